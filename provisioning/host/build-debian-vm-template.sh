#!/usr/bin/env bash
# Builds the VM template "debian-12" once per version: a real Debian 12 (bookworm) system made
# from Debian packages with debootstrap (no image is downloaded), configured by cloud-init from
# the NoCloud seed Lodge attaches (vdb, label CIDATA). Nothing is installed on the host but the
# build tools. Writes:
#   DIR/vm-templates/debian-12.qcow2         ext4 root straight on the disk (no partition table):
#                                            systemd, cloud-init, openssh-server, nginx, pure-ftpd
#   DIR/vm-boot/debian-12/vmlinuz, initrd.img  the tree's own cloud kernel and initramfs (direct boot)
#   DIR/vm-boot/debian-12/template.properties  what the worker reports to the catalogue
# See docs/vm-templates.md.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
top="${1:-/var/lib/lodge}"
name=debian-12
suite=bookworm
mirror="${LODGE_DEBIAN_MIRROR:-http://deb.debian.org/debian}"
pool="$top/vm-templates"
boot="$top/vm-boot/$name"
image="$pool/$name.qcow2"
# init= names systemd itself: /sbin/init is an absolute symlink, which the busybox initramfs
# cannot follow into the new root before switch_root.
cmdline="root=/dev/vda ro init=/lib/systemd/systemd console=tty0 console=ttyS0,115200 quiet"
# What the guest runs, beside debootstrap's minbase; --no-install-recommends keeps it small.
packages=(systemd-sysv udev dbus linux-image-cloud-amd64 initramfs-tools zstd e2fsprogs
          cloud-init ifupdown iproute2 net-tools netbase openssh-server nginx-light pure-ftpd ca-certificates
          qemu-guest-agent)
# net-tools: cloud-init 22.4 renders the seed's routes (the default route) for ifupdown as
# "post-up route add ..."; without route(8) the guest comes up without a default route.
# qemu-guest-agent: lets the node freeze the guest's filesystems for a backup (guest-fsfreeze)
# through the domain's virtio-serial channel org.qemu.guest_agent.0; its unit is bound to that
# port's device, so without the channel it simply does not start (no failed unit).

# The version follows this script, the guest's files and the exact package files apt would fetch
# for the packages above (a Debian point or security release of any of them rebuilds the template).
uris() { apt-get download --print-uris "${packages[@]}" 2>/dev/null; }
listing="$(uris)" || { apt-get update -qq; listing="$(uris)"; }
version="$name-1-$( { cat "$here/build-debian-vm-template.sh" "$here"/debian-vm/*;
  echo "$listing" | awk '{ print $2, $4 }'; } | sha256sum | cut -c1-12)"
if [ "$(cat "$boot/.lodge-template" 2>/dev/null)" = "$version" ] && [ -f "$image" ] \
    && [ -f "$boot/vmlinuz" ] && [ -f "$boot/initrd.img" ] && [ -f "$boot/template.properties" ]; then
  exit 0
fi

started=$SECONDS
missing=()
for pkg in debootstrap qemu-utils e2fsprogs cpio; do
  dpkg-query -W -f '${Status}' "$pkg" 2>/dev/null | grep -q 'ok installed' || missing+=("$pkg")
done
if [ "${#missing[@]}" -gt 0 ]; then
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null \
    || { apt-get update -qq && apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null; }
fi

mkdir -p "$pool" "$(dirname "$boot")"
tmp="$(mktemp -d "$(dirname "$boot")/.build-$name.XXXXXX")"
root="$tmp/root"
unmount() { # what debootstrap or this script mounted in the tree (possibly twice)
  local m
  for m in dev/pts proc sys var/cache/apt/archives; do
    while mountpoint -q "$root/$m" 2>/dev/null; do umount -l "$root/$m"; done
  done
}
cleanup() {
  unmount
  rm -rf "$tmp"
}
trap cleanup EXIT
chmod 755 "$tmp"

# --- the root tree -----------------------------------------------------------------------------
# Downloaded packages stay in a cache on the node: a rebuild fetches only what changed.
cache=/var/cache/lodge/debian-vm
mkdir -p "$cache/debootstrap" "$cache/apt/partial"
debootstrap --variant=minbase --cache-dir="$cache/debootstrap" "$suite" "$root" "$mirror" > "$tmp/debootstrap.log" 2>&1 \
  || { tail -n 20 "$tmp/debootstrap.log" >&2; exit 1; }
# Nothing starts inside the chroot; no documentation, manual pages or translations, now or later.
printf '#!/bin/sh\nexit 101\n' > "$root/usr/sbin/policy-rc.d"
chmod 755 "$root/usr/sbin/policy-rc.d"
cat > "$root/etc/dpkg/dpkg.cfg.d/01-lodge-nodoc" <<'DPKG'
path-exclude /usr/share/doc/*
path-include /usr/share/doc/*/copyright
path-exclude /usr/share/man/*
path-exclude /usr/share/info/*
path-exclude /usr/share/locale/*
path-include /usr/share/locale/locale.alias
path-exclude /usr/share/lintian/*
DPKG
# The kernel package needs initramfs-tools, whose initramfs the VM does not boot (see below):
# keep its build in the chroot small and quick.
mkdir -p "$root/etc/initramfs-tools/conf.d"
printf 'MODULES=list\nRESUME=none\n' > "$root/etc/initramfs-tools/conf.d/lodge.conf"
printf 'do_symlinks = no\n' > "$root/etc/kernel-img.conf"
echo "deb $mirror $suite main
deb $mirror $suite-updates main
deb http://security.debian.org/debian-security $suite-security main" > "$root/etc/apt/sources.list"
mount -t proc proc "$root/proc"
mount -t sysfs sysfs "$root/sys"
mount --bind "$cache/apt" "$root/var/cache/apt/archives"
chroot "$root" apt-get update -qq
DEBIAN_FRONTEND=noninteractive chroot "$root" apt-get install -y -qq --no-install-recommends \
  -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold "${packages[@]}" > "$tmp/apt.log" 2>&1 \
  || { tail -n 30 "$tmp/apt.log" >&2; exit 1; }
kver="$(basename "$(ls -d "$root"/lib/modules/* | head -n 1)")"
[ -f "$root/boot/vmlinuz-$kver" ] || { echo "lodge: no kernel in the tree" >&2; exit 1; }
chroot "$root" sh -c 'cd /tmp && apt-get download -qq busybox-static' > /dev/null

# --- configuration -----------------------------------------------------------------------------
cfg="$here/debian-vm"
install -m 0644 "$cfg/90-lodge.cfg" "$root/etc/cloud/cloud.cfg.d/90-lodge.cfg"
# No fsck at boot (10 s under TCG for a clean filesystem): ext4's journal keeps it consistent.
printf '/dev/vda / ext4 errors=remount-ro 0 0\n' > "$root/etc/fstab"
printf 'auto lo\niface lo inet loopback\n\nsource /etc/network/interfaces.d/*\n' > "$root/etc/network/interfaces"
# nginx: one site, the FTP account's web root; no stock page.
rm -f "$root"/etc/nginx/sites-enabled/* "$root"/var/www/html/index.nginx-debian.html
install -m 0644 "$cfg/nginx-site.conf" "$root/etc/nginx/sites-enabled/lodge"
install -m 0755 "$cfg/lodge-site" "$cfg/lodge-guest-status" "$cfg/lodge-new-instance" "$root/usr/local/sbin/"
install -D -m 0644 "$cfg/nginx-lodge.conf" "$root/etc/systemd/system/nginx.service.d/lodge.conf"
# pure-ftpd: Lodge's own unit replaces the package's init script.
rm -f "$root/etc/init.d/pure-ftpd" "$root"/etc/rc?.d/*pure-ftpd
install -m 0644 "$cfg/pure-ftpd.service" "$root/etc/systemd/system/pure-ftpd.service"
install -m 0644 "$cfg/lodge-ready.service" "$root/etc/systemd/system/lodge-ready.service"
install -m 0644 "$cfg/99-lodge-grow.rules" "$root/etc/udev/rules.d/99-lodge-grow.rules"
install -m 0644 "$cfg/modprobe-lodge.conf" "$root/etc/modprobe.d/lodge.conf"
chroot "$root" systemctl enable -q pure-ftpd.service lodge-ready.service
# Homes are web roots: readable by nginx, and no shell dotfiles in them.
sed -i -E 's/^#?HOME_MODE.*/HOME_MODE\t0755/' "$root/etc/login.defs"
grep -q '^HOME_MODE' "$root/etc/login.defs" || printf 'HOME_MODE\t0755\n' >> "$root/etc/login.defs"
find "$root/etc/skel" -mindepth 1 -delete
# What a hosting VM does not need at boot, each costing seconds under TCG.
for unit in apt-daily.timer apt-daily-upgrade.timer man-db.timer e2scrub_all.timer e2scrub_reap.service \
    fstrim.timer dpkg-db-backup.timer systemd-pstore.service getty@tty1.service ifupdown-pre.service \
    modprobe@drm.service modprobe@fuse.service modprobe@loop.service modprobe@dm_mod.service \
    modprobe@configfs.service sys-kernel-tracing.mount sys-kernel-debug.mount sys-kernel-config.mount \
    sys-fs-fuse-connections.mount dev-hugepages.mount systemd-binfmt.service proc-sys-fs-binfmt_misc.automount \
    inetd.service; do
  ln -sf /dev/null "$root/etc/systemd/system/$unit"
done
echo "$name" > "$root/etc/hostname"
passwd -R "$root" -l root >/dev/null
echo "$version" > "$root/etc/lodge-template"

# Kernel and initramfs go beside the image (direct kernel boot); the tree keeps the modules.
# The initramfs is lodge-test's (vm/initramfs-init: busybox insmods virtio, mounts /dev/vda,
# switch_root): initramfs-tools' own, with udev, took 14 s of a boot under TCG, this one ~1 s.
mkdir -p "$tmp/boot" "$tmp/bb"
cp "$root/boot/vmlinuz-$kver" "$tmp/boot/vmlinuz"
dpkg-deb -x "$root"/tmp/busybox-static_*.deb "$tmp/bb"
initrd="$tmp/initrd"
moddir="$root/lib/modules/$kver"
mkdir -p "$initrd"/{bin,dev,proc,sys,newroot,lib/modules}
install -m 0755 "$tmp/bb/bin/busybox" "$initrd/bin/busybox"
for applet in $("$initrd/bin/busybox" --list); do
  [ "$applet" = busybox ] || ln -sf busybox "$initrd/bin/$applet"
done
install -m 0755 "$here/vm/initramfs-init" "$initrd/init"
mknod -m 600 "$initrd/dev/console" c 5 1 2>/dev/null || true
declare -A modfile=() seen=()
while IFS= read -r f; do
  m="$(basename "$f" .ko)"
  modfile["${m//-/_}"]="$f"
done < <(find "$moddir/kernel" -name '*.ko')
order=()
addmod() { # module name: its dependencies (from .modinfo "depends="), then itself; built-ins skipped
  local m="${1//-/_}" dep
  [ -z "${seen[$m]:-}" ] || return 0
  seen[$m]=1
  [ -n "${modfile[$m]:-}" ] || return 0
  for dep in $(tr '\0' '\n' < "${modfile[$m]}" | sed -n '/^depends=/{s///;s/,/ /g;p;q}'); do
    addmod "$dep"
  done
  order+=("$m")
}
for m in virtio_pci virtio_blk; do
  addmod "$m"
done
for m in "${order[@]}"; do
  cp "${modfile[$m]}" "$initrd/lib/modules/$m.ko"
  echo "$m" >> "$initrd/lib/modules/modules.order"
done
(cd "$initrd" && find . | LC_ALL=C sort | cpio -o -H newc --quiet | gzip -9n) > "$tmp/boot/initrd.img"
rm -f "$root"/boot/initrd.img-* "$root"/boot/vmlinuz-* "$root"/boot/System.map-*
# Per-instance state comes from the seed at first boot: no machine id, host keys or logs.
unmount
rm -f "$root/usr/sbin/policy-rc.d" "$root"/etc/ssh/ssh_host_*
chroot "$root" cloud-init clean --logs >/dev/null 2>&1 || true
chroot "$root" apt-get clean
rm -rf "$root"/var/lib/apt/lists/* "$root"/var/cache/debconf/*-old "$root"/var/log/*.log "$root"/var/log/apt/* \
  "$root"/tmp/* "$root"/var/tmp/*
: > "$root/etc/machine-id"
rm -f "$root/var/lib/dbus/machine-id"
hash="$(tar -C "$root" --sort=name --numeric-owner --mtime=@0 --format=gnu -cf - . | sha256sum | cut -d' ' -f1)"

# --- the image: ext4 on the whole disk, filled from the tree (no loop mount, no nbd) ------------
used_mib=$(( $(du -sm "$root" | cut -f1) ))
size_mib=$(( (used_mib * 13 / 10 + 64 + 255) / 256 * 256 ))
truncate -s "${size_mib}M" "$tmp/root.img"
mkfs.ext4 -q -F -L debian-root -b 4096 -E root_owner=0:0 -d "$root" "$tmp/root.img"
qemu-img convert -q -c -f raw -O qcow2 "$tmp/root.img" "$tmp/$name.qcow2"

# --- install: boot files first, the base image last (the worker lists templates by image) ------
old="$(cat "$boot/.lodge-template" 2>/dev/null || true)"
if [ -f "$image" ] && [ -n "$old" ] && [ "$old" != "$version" ]; then
  # Linked clones read this file: keep the old base where they can still find it.
  for overlay in $(find "$top" -path "$pool" -prune -o -name '*.qcow2' -print 2>/dev/null); do
    if qemu-img info -U --output=json "$overlay" 2>/dev/null | grep -q "\"backing-filename\": \"$image\""; then
      mkdir -p "$top/vm-boot/.old"
      [ -f "$top/vm-boot/.old/$old.qcow2" ] || cp --sparse=always "$image" "$top/vm-boot/.old/$old.qcow2"
      qemu-img rebase -u -F qcow2 -b "$top/vm-boot/.old/$old.qcow2" "$overlay"
      echo "lodge: $overlay now backed by $top/vm-boot/.old/$old.qcow2"
    fi
  done
fi
mkdir -p "$boot"
install -m 0644 "$tmp/boot/vmlinuz" "$boot/vmlinuz"
install -m 0644 "$tmp/boot/initrd.img" "$boot/initrd.img"
cat > "$boot/template.properties" <<PROPS
name=$name
os=Debian 12 ($(cat "$root/etc/debian_version"), kernel $kver; cloud-init, openssh-server, nginx, pure-ftpd, qemu-guest-agent)
min-disk-bytes=$((size_mib * 1024 * 1024))
customisation=cloud-init $(chroot "$root" dpkg-query -W -f '${Version}' cloud-init) NoCloud seed (vdb, label CIDATA)
cmdline=$cmdline
memory-mib-min=256
content-hash=sha256:$hash
PROPS
mv -f "$tmp/$name.qcow2" "$image"
echo "$version" > "$boot/.lodge-template"
echo "lodge: VM template $version built in $((SECONDS - started)) s: $image ($(du -h "$image" | cut -f1)," \
  "${size_mib} MiB virtual, tree ${used_mib} MiB), kernel $kver, initrd $(du -h "$boot/initrd.img" | cut -f1)"
