#!/usr/bin/env bash
# Prepares this host to build and run Lodge's docker/ stack, idempotently (fast when already done):
# Debian's Docker engine and docker-compose, a running dockerd, and the base image
# debian:bookworm-slim built locally with debootstrap, because no image registry is reachable from
# our machines. docker/Dockerfile stays standard: with a registry the same FROM line is pulled.
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive

packages=(docker.io docker-compose debootstrap)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "lodge: installing ${missing[*]}"
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# Debian's client, not whatever else is first on PATH.
docker=/usr/bin/docker

# No systemd here: start dockerd ourselves when it does not answer, detached from this script.
if ! "$docker" info >/dev/null 2>&1; then
  if ! pgrep -x dockerd >/dev/null; then
    mkdir -p /var/log
    setsid nohup /usr/sbin/dockerd >>/var/log/dockerd.log 2>&1 </dev/null &
  fi
  for _ in $(seq 1 150); do
    "$docker" info >/dev/null 2>&1 && break
    sleep 0.2
  done
  "$docker" info >/dev/null 2>&1 || { echo "lodge: dockerd does not answer (see /var/log/dockerd.log)" >&2; exit 1; }
fi

# The base image, once: a minimal Debian 12 root from the Debian mirror, imported under the name
# the official image has, so `FROM debian:bookworm-slim` resolves locally.
if ! "$docker" image inspect debian:bookworm-slim >/dev/null 2>&1; then
  echo "lodge: building the base image debian:bookworm-slim with debootstrap"
  root="$(mktemp -d /var/tmp/lodge-bookworm.XXXXXX)"
  trap 'rm -rf "$root"' EXIT
  debootstrap --variant=minbase bookworm "$root" http://deb.debian.org/debian >/dev/null
  # Like the official image: no package lists or caches, and dpkg skips its fsyncs (a build
  # layer is thrown away whole on failure; this halves the apt-get installs of the builds).
  rm -rf "$root"/var/cache/apt/archives/*.deb "$root"/var/lib/apt/lists/*
  echo force-unsafe-io > "$root"/etc/dpkg/dpkg.cfg.d/docker-apt-speedup
  printf '%s\n' 'DPkg::Post-Invoke { "rm -f /var/cache/apt/archives/*.deb /var/cache/apt/archives/partial/*.deb /var/cache/apt/*.bin || true"; };' \
    'Dir::Cache::pkgcache ""; Dir::Cache::srcpkgcache "";' > "$root"/etc/apt/apt.conf.d/docker-clean
  tar -C "$root" -c . | "$docker" import --change 'CMD ["bash"]' - debian:bookworm-slim >/dev/null
fi
