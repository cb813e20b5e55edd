#!/usr/bin/env bash
# Prepares a Debian 12 host to be a Lodge node, idempotently (fast when already done):
# packages, the libvirt daemon, the cgroup fix for LXC, the busybox jail template and the VM
# test template.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
export DEBIAN_FRONTEND=noninteractive

packages=(libvirt-daemon libvirt-clients libvirt-daemon-driver-qemu libvirt-daemon-driver-lxc libvirt0
          qemu-system-x86 qemu-utils dnsmasq-base iptables busybox-static e2fsprogs iproute2 libsodium23
          dosfstools mtools cpio
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

# The qemu driver refuses to start without these.
getent group kvm >/dev/null || groupadd --system kvm
getent group libvirt-qemu >/dev/null || groupadd --system libvirt-qemu
getent passwd libvirt-qemu >/dev/null || useradd --system --no-create-home --gid kvm libvirt-qemu
mkdir -p /etc/libvirt; touch /etc/libvirt/qemu.conf
grep -q '^user = "root"' /etc/libvirt/qemu.conf || echo 'user = "root"' >> /etc/libvirt/qemu.conf
grep -q '^group = "root"' /etc/libvirt/qemu.conf || echo 'group = "root"' >> /etc/libvirt/qemu.conf

# libvirt's LXC driver fails when cgroup2 holds only hugetlb: give hugetlb a v1 hierarchy.
if [ -d /sys/fs/cgroup/unified ] && ! mountpoint -q /sys/fs/cgroup/hugetlb; then
  mkdir -p /sys/fs/cgroup/hugetlb
  mount -t cgroup -o hugetlb cgroup /sys/fs/cgroup/hugetlb
fi

# No systemd here: start the daemons ourselves when they are not answering.
mkdir -p /var/log/libvirt /var/run/libvirt /var/lib/lodge
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

"$here/build-jail-template.sh"
"$here/build-vm-template.sh"

# Docker: the engine, docker-compose and the locally built base image that docker/ and its test
# (DockerStackIT) need.
"$here/setup-docker.sh"
