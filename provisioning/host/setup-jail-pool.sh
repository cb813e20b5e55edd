#!/usr/bin/env bash
# A reflink-capable store for jail images on a node whose own filesystem cannot reflink (ext4),
# the way LXD makes a loop-backed pool when there is no dedicated disk: a sparse file formatted
# XFS with reflink=1, loop-mounted with `discard` (blocks freed inside return to the host file),
# and each DIR bind-mounted from a folder of it. One filesystem under the jail images and the
# backup work area is what lets a backup's copy be a reflink clone (docs/backups.md).
# Idempotent; fast when already done. Usage:
#   setup-jail-pool.sh [--file F] [--size S] [--mount M] [--no-fstab] DIR...
# --size: of a new file only (default: 80% of the free space where F is); --no-fstab: mount
# now only (tests). A DIR that is not yet a mount must be empty or absent: move jails in by hand.
set -euo pipefail

file=/var/lib/lodge/pools/jails.xfs
mount_point=/var/lib/lodge/pools/jails
size=
fstab=true
dirs=()
while [ $# -gt 0 ]; do
  case "$1" in
    --file) file="$2"; shift 2 ;;
    --size) size="$2"; shift 2 ;;
    --mount) mount_point="$2"; shift 2 ;;
    --no-fstab) fstab=false; shift ;;
    -*) echo "setup-jail-pool: unknown option $1" >&2; exit 2 ;;
    *) dirs+=("$1"); shift ;;
  esac
done
[ ${#dirs[@]} -gt 0 ] || { echo "setup-jail-pool: name the directories to put on the pool" >&2; exit 2; }

not_empty() { [ -d "$1" ] && [ -n "$(ls -A "$1")" ]; }

if [ ! -f "$file" ]; then
  for dir in "${dirs[@]}"; do
    if ! mountpoint -q "$dir" && not_empty "$dir"; then
      echo "setup-jail-pool: $dir is not empty: move its jails elsewhere first (docs/backups.md)" >&2
      exit 1
    fi
  done
  mkdir -p "$(dirname "$file")"
  if [ -z "$size" ]; then
    size="$(( $(df --output=avail -B1 "$(dirname "$file")" | tail -1) / 10 * 8 ))"
  fi
  truncate -s "$size" "$file.new"
  mkfs.xfs -q -m reflink=1 -L lodge-jails "$file.new"
  mv "$file.new" "$file"
  echo "lodge: jail pool created: $file ($size bytes, sparse, XFS reflink=1)"
fi

mkdir -p "$mount_point"
if ! mountpoint -q "$mount_point"; then
  mount -t xfs -o loop,discard "$file" "$mount_point"
fi
if ! xfs_info "$mount_point" | grep -q 'reflink=1'; then
  echo "setup-jail-pool: $mount_point is not an XFS with reflink=1" >&2
  exit 1
fi

for dir in "${dirs[@]}"; do
  source_dir="$mount_point/$(basename "$dir")"
  mkdir -p "$source_dir"
  if ! mountpoint -q "$dir"; then
    if not_empty "$dir"; then
      echo "setup-jail-pool: $dir is not empty: move its content to $source_dir first" >&2
      exit 1
    fi
    mkdir -p "$dir"
    mount --bind "$source_dir" "$dir"
  fi
done

# Mounted again at boot where something reads fstab (systemd, mount -a); without it, `./lodge run`
# mounts the pool through setup-host.sh before starting the worker.
if $fstab; then
  add_fstab() { grep -qF "$1" /etc/fstab 2>/dev/null || echo "$1" >> /etc/fstab; }
  add_fstab "$file $mount_point xfs loop,discard,nofail 0 0"
  for dir in "${dirs[@]}"; do
    add_fstab "$mount_point/$(basename "$dir") $dir none bind,nofail,x-systemd.requires-mounts-for=$mount_point 0 0"
  done
fi
