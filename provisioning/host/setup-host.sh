#!/usr/bin/env bash
# Prepares a Debian 12 host to be a Lodge node, idempotently (fast when already done):
# packages, the libvirt daemon, the cgroup fix for LXC, the jail templates (busybox, web-php) and
# the VM templates (lodge-test, debian-12).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
export DEBIAN_FRONTEND=noninteractive

packages=(nftables libvirt-daemon libvirt-clients libvirt-daemon-driver-qemu libvirt-daemon-driver-lxc libvirt0
          qemu-system-x86 qemu-utils dnsmasq-base iptables busybox-static e2fsprogs iproute2 libsodium23
          dosfstools mtools cpio openssl restic util-linux coreutils tar zstd xfsprogs
          chromium chromium-driver curl openjdk-17-jdk-headless maven)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "lodge: installing ${missing[*]}"
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# The portal (web tier) runs as this unprivileged user, never as root (provisioning/host/run-split.sh).
getent passwd lodge >/dev/null || useradd --system --user-group --no-create-home --home-dir /nonexistent \
  --shell /usr/sbin/nologin lodge

# The qemu driver refuses to start without these.
getent group kvm >/dev/null || groupadd --system kvm
getent group libvirt-qemu >/dev/null || groupadd --system libvirt-qemu
getent passwd libvirt-qemu >/dev/null || useradd --system --no-create-home --gid kvm libvirt-qemu
# QEMU guests run as libvirt-qemu:kvm (Debian's default), never as root: libvirt hands each guest
# its own disk files (dynamic ownership). Earlier Lodge versions set root here: undo that.
mkdir -p /etc/libvirt; touch /etc/libvirt/qemu.conf
# Without udev /dev/kvm stays root's alone (0600). libvirt then finds KVM in its QEMU capability
# probe but unusable by libvirt-qemu when it checks its cache, throws the cache away and probes
# QEMU again (seconds of CPU) on almost every qemu:///system call. Debian's udev rule, by hand.
# (Lodge itself still picks KVM only on a CPU with VT-x/AMD-V: VmDefinitions.)
if [ -c /dev/kvm ] && [ "$(stat -c %G:%a /dev/kvm)" != kvm:660 ]; then
  chgrp kvm /dev/kvm
  chmod 0660 /dev/kvm
fi
qemu_conf_changed=false
if grep -Eq '^(user|group) = "root"' /etc/libvirt/qemu.conf; then
  sed -i -E '/^(user|group) = "root"$/d' /etc/libvirt/qemu.conf
  qemu_conf_changed=true
fi

# libvirt's LXC driver fails when cgroup2 holds only hugetlb: give hugetlb a v1 hierarchy.
if [ -d /sys/fs/cgroup/unified ] && ! mountpoint -q /sys/fs/cgroup/hugetlb; then
  mkdir -p /sys/fs/cgroup/hugetlb
  mount -t cgroup -o hugetlb cgroup /sys/fs/cgroup/hugetlb
fi

# The units' traffic filter is an nftables table in the bridge family (nft/unit-filter.nft,
# loaded by the worker): check that this kernel has it before any unit depends on it.
nft -c -f "$here/../src/main/resources/nft/unit-filter.nft" || {
  echo "lodge: this kernel cannot load the units' traffic filter (nftables, bridge family)" >&2
  exit 1
}

# A reflink-capable jail store (docs/backups.md, "The jail pool"): opt-in with LODGE_JAIL_POOL=xfs-file
# on the first run; after that the pool file itself is the choice, and every run mounts it again,
# before libvirt (its jail pool) and the worker look at the directories.
if [ "${LODGE_JAIL_POOL:-dir}" = xfs-file ] || [ -f /var/lib/lodge/pools/jails.xfs ]; then
  "$here/setup-jail-pool.sh" ${LODGE_JAIL_POOL_SIZE:+--size "$LODGE_JAIL_POOL_SIZE"} \
    /var/lib/lodge/jails /var/lib/lodge/backup-work
fi

# No systemd here: start the daemons ourselves when they are not answering.
mkdir -p /var/log/libvirt /var/run/libvirt /var/lib/lodge
if $qemu_conf_changed && pgrep -x libvirtd >/dev/null; then
  # The qemu driver reads its user at start: restart the daemon (guests keep running).
  pkill -x libvirtd
  for _ in $(seq 1 50); do pgrep -x libvirtd >/dev/null || break; sleep 0.2; done
fi
if ! virsh -c lxc:///system version >/dev/null 2>&1; then
  pgrep -x virtlogd >/dev/null || virtlogd -d
  pgrep -x libvirtd >/dev/null || libvirtd -d
  for _ in $(seq 1 50); do
    virsh -c lxc:///system version >/dev/null 2>&1 && break
    sleep 0.2
  done
fi
for uri in lxc:///system qemu:///system; do
  virsh -c "$uri" list >/dev/null 2>&1 || { echo "lodge: libvirt does not answer on $uri" >&2; exit 1; }
done

# The node CA: the worker signs each unit's own FTPS certificate with it (a customer is root in
# their unit, so no key is shared between units). Made once; the key is readable by root only.
# To use a CA of your own, replace both files or point lodge.node.tls.* at yours (README, FTPS).
tls=/var/lib/lodge/tls
if [ ! -s "$tls/node-ca.key" ] || [ ! -s "$tls/node-ca.crt" ]; then
  install -d -m 0755 "$tls"
  (umask 077 && openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -sha256 -days 7300 \
    -subj "/O=Lodge/CN=Lodge node CA $(hostname -f 2>/dev/null || hostname)" \
    -addext "basicConstraints=critical,CA:TRUE,pathlen:0" -addext "keyUsage=critical,keyCertSign,cRLSign" \
    -keyout "$tls/node-ca.key.new" -out "$tls/node-ca.crt.new" 2>/dev/null)
  chmod 0644 "$tls/node-ca.crt.new"
  mv "$tls/node-ca.key.new" "$tls/node-ca.key"
  mv "$tls/node-ca.crt.new" "$tls/node-ca.crt"
  echo "lodge: node CA created: $tls/node-ca.crt (give it to FTPS clients to trust)"
fi

"$here/build-jail-template.sh"
"$here/describe-jail-template.sh" /var/lib/lodge/templates/busybox \
  "BusyBox $(/bin/busybox --help | head -1 | awk '{ print $2 }') with pure-ftpd (Debian 12)" html 16
# The Debian web stack (nginx + PHP-FPM), built on the template above: docs/jail-templates.md.
"$here/build-web-php-template.sh"
"$here/build-vm-template.sh"
# A real Debian 12 VM template (debootstrap, cloud-init, nginx, pure-ftpd): docs/vm-templates.md.
# Several minutes the first time and after a Debian update of its packages, ~1 s otherwise;
# LODGE_DEBIAN_VM_TEMPLATE=skip leaves it out (`./lodge test`: only the slow group boots it).
if [ "${LODGE_DEBIAN_VM_TEMPLATE:-build}" != skip ]; then
  "$here/build-debian-vm-template.sh"
fi

# Docker: the engine, docker-compose and the locally built base image that docker/ and its test
# (DockerStackIT) need.
"$here/setup-docker.sh"
