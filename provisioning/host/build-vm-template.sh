#!/usr/bin/env bash
# Builds the VM test template "lodge-test" once per version, from Debian packages only (unpacked
# with dpkg-deb, nothing installed on the host but the build tools):
#   DIR/vm-templates/lodge-test.qcow2        ext4 root (no partition table), 64 MiB virtual:
#                                            busybox (static), pure-ftpd, resize2fs, qemu-ga, the guest init
#   DIR/vm-boot/lodge-test/vmlinuz           Debian cloud kernel (linux-image-cloud-amd64)
#   DIR/vm-boot/lodge-test/initrd.img        busybox + virtio/vfat/button modules (virtio_console for
#                                            the guest agent's port); mounts /dev/vda
#   DIR/vm-boot/lodge-test/template.properties
# The guest applies a cloud-init NoCloud seed (vdb, label CIDATA): see docs/vm-templates.md.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
top="${1:-/var/lib/lodge}"
name=lodge-test
size_mib=64
pool="$top/vm-templates"
boot="$top/vm-boot/$name"
image="$pool/$name.qcow2"
cmdline="root=/dev/vda rw console=tty0 console=ttyS0,115200 quiet"
# The version follows this script and the guest files, so changing any of them rebuilds.
version="$name-1-$(cat "$here/build-vm-template.sh" "$here"/vm/* | sha256sum | cut -c1-12)"
if [ "$(cat "$boot/.lodge-template" 2>/dev/null)" = "$version" ] && [ -f "$image" ] \
    && [ -f "$boot/vmlinuz" ] && [ -f "$boot/initrd.img" ] && [ -f "$boot/template.properties" ]; then
  exit 0
fi

# Build tools (cpio, mkfs.ext4/resize2fs, qemu-img) and what the host needs for seeds (mkfs.vfat, mcopy).
missing=()
for pkg in cpio dosfstools mtools qemu-utils e2fsprogs; do
  dpkg-query -W -f '${Status}' "$pkg" 2>/dev/null | grep -q 'ok installed' || missing+=("$pkg")
done
if [ "${#missing[@]}" -gt 0 ]; then
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null \
    || { apt-get update -qq && apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null; }
fi

mkdir -p "$pool" "$(dirname "$boot")"
tmp="$(mktemp -d "$(dirname "$boot")/.build.XXXXXX")"
trap 'rm -rf "$tmp"' EXIT
chmod 755 "$tmp"

download() { # package...: into $tmp/debs, updating the package lists once if needed
  mkdir -p "$tmp/debs"
  (cd "$tmp/debs" && { apt-get download "$@" >/dev/null 2>&1 || { apt-get update -qq && apt-get download "$@" >/dev/null; }; })
}
# busybox-static from its .deb (installing it would replace a host's dynamic busybox).
download busybox-static pure-ftpd qemu-guest-agent linux-image-cloud-amd64
kpkg="$(dpkg-deb -f "$tmp"/debs/linux-image-cloud-amd64_*.deb Depends | tr ',' '\n' \
  | sed -n 's/^ *\(linux-image-[0-9][^ ]*-cloud-amd64\).*/\1/p' | head -n 1)"
[ -n "$kpkg" ] || { echo "lodge: no kernel package behind linux-image-cloud-amd64" >&2; exit 1; }
download "$kpkg"
for deb in "$tmp"/debs/busybox-static_*.deb "$tmp"/debs/pure-ftpd_*.deb "$tmp"/debs/qemu-guest-agent_*.deb \
    "$tmp"/debs/"$kpkg"_*.deb; do
  dpkg-deb -x "$deb" "$tmp/x"
done
kver="${kpkg#linux-image-}"
bb="$tmp/x/bin/busybox"

# --- the root filesystem ---------------------------------------------------------------------
root="$tmp/root"
mkdir -p "$root"/{bin,sbin,usr/bin,usr/sbin,etc/lodge,etc/acpi/PWRF,proc,sys,dev,tmp,run,root,var/www,var/log,var/lib/lodge-guest,lib64}
chmod 1777 "$root/tmp"
chmod 700 "$root/root"
install -m 0755 "$bb" "$root/bin/busybox"
for applet in $("$bb" --list-full); do
  [ "$applet" = "bin/busybox" ] || ln -sf /bin/busybox "$root/$applet"
done

# pure-ftpd (Debian's busybox has no ftpd), resize2fs and QEMU's guest agent (it freezes the
# filesystems for a consistent VM backup), with every library they link.
install -m 0755 "$tmp/x/usr/sbin/pure-ftpd" "$root/usr/sbin/pure-ftpd"
install -m 0755 "$tmp/x/usr/sbin/qemu-ga" "$root/usr/sbin/qemu-ga"
install -m 0755 "$(command -v resize2fs || echo /sbin/resize2fs)" "$root/sbin/resize2fs"
for bin in "$root/usr/sbin/pure-ftpd" "$root/usr/sbin/qemu-ga" "$root/sbin/resize2fs"; do
  for lib in $(ldd "$bin" | awk '/=> \// { print $3 } /^\t\/lib/ { print $1 }'); do
    mkdir -p "$root$(dirname "$lib")"
    cp -L "$lib" "$root$lib"
  done
  if ldd "$bin" | grep -q "not found"; then
    echo "lodge: $bin misses libraries: $(ldd "$bin" | grep 'not found')" >&2
    exit 1
  fi
done
[ -e "$root/lib64/ld-linux-x86-64.so.2" ] || cp -L /lib64/ld-linux-x86-64.so.2 "$root/lib64/"

# Base accounts; the guest init rewrites /etc/passwd, group, shadow from these plus the seed.
printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/bin/false\n' > "$root/etc/lodge/passwd"
printf 'root:x:0:\ntty:x:5:\nnogroup:x:65534:\n' > "$root/etc/lodge/group"
printf 'root:!:19000:0:99999:7:::\nnobody:!:19000:0:99999:7:::\n' > "$root/etc/lodge/shadow"
chmod 0640 "$root/etc/lodge/shadow"
cp "$root/etc/lodge/passwd" "$root/etc/lodge/group" "$root/etc/lodge/shadow" "$root/etc/"
printf '/bin/sh\n/bin/false\n' > "$root/etc/shells"
printf 'passwd: files\ngroup: files\nshadow: files\nhosts: files\n' > "$root/etc/nsswitch.conf"
echo "/var/www" > "$root/etc/lodge/docroot"
echo lodge-guest > "$root/etc/hostname"
ln -sf /proc/mounts "$root/etc/mtab"
install -m 0644 "$here/vm/inittab" "$root/etc/inittab"
install -m 0755 "$here/vm/power-button" "$root/etc/acpi/PWRF/00000080"
install -m 0755 "$here/vm/lodge-vm-init" "$root/sbin/lodge-vm-init"
echo "$version" > "$root/etc/lodge/template"

# ext4 straight on the disk, filled from the directory (no loop mount). 4 KiB blocks so the
# reserved GDT blocks let it grow online to 1024 x its size (64 GiB).
truncate -s "${size_mib}M" "$tmp/root.img"
mkfs.ext4 -q -F -L lodge-root -b 4096 -J size=4 -E root_owner=0:0 -d "$root" "$tmp/root.img"
qemu-img convert -q -f raw -O qcow2 "$tmp/root.img" "$tmp/$name.qcow2"

# --- the initramfs: busybox + the modules the cloud kernel has as modules, deps first ----------
initrd="$tmp/initrd"
moddir="$tmp/x/lib/modules/$kver"
mkdir -p "$initrd"/{bin,dev,proc,sys,newroot,lib/modules}
install -m 0755 "$bb" "$initrd/bin/busybox"
for applet in $("$bb" --list); do
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
for m in virtio_pci virtio_blk virtio_net virtio_rng virtio_console vfat nls_cp437 nls_ascii nls_utf8 button evdev; do
  addmod "$m"
done
for m in "${order[@]}"; do
  cp "${modfile[$m]}" "$initrd/lib/modules/$m.ko"
  echo "$m" >> "$initrd/lib/modules/modules.order"
done
(cd "$initrd" && find . | LC_ALL=C sort | cpio -o -H newc --quiet | gzip -9n) > "$tmp/initrd.img"

# --- install: boot files first, the base image last (the portal lists templates by image) -----
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
install -m 0644 "$tmp/x/boot/vmlinuz-$kver" "$boot/vmlinuz"
install -m 0644 "$tmp/initrd.img" "$boot/initrd.img"
cat > "$boot/template.properties" <<EOF
name=$name
os=Lodge test guest (busybox, Debian ${kver%%-*} cloud kernel $kver)
min-disk-bytes=$((size_mib * 1024 * 1024))
customisation=cloud-init NoCloud seed (vdb, label CIDATA)
cmdline=$cmdline
memory-mib-min=96
EOF
mv -f "$tmp/$name.qcow2" "$image"
echo "$version" > "$boot/.lodge-template"
echo "lodge: VM template $version built: $image ($(du -h "$image" | cut -f1)), kernel $kver, initrd $(du -h "$boot/initrd.img" | cut -f1)"
