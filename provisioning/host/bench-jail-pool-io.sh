#!/usr/bin/env bash
# The jail pool's I/O beside the node's own store, without libvirt (docs/benchmarks.md, "Jail pool:
# ext4 beside the XFS loop file"). On the store of /var/lib/lodge (ext4 here) and on a throw-away
# 8 GiB XFS reflink=1 loop-file pool made by setup-jail-pool.sh:
#  1. ten rounds, alternating the stores, of the storage part of a jail's provisioning: a sparse
#     64 MiB image, mkfs.ext4 -d of the busybox template, loop mount and unmount;
#  2. three rounds of: mkfs.ext4 -d of the web-php template into a 2 GiB image; a 256 MiB write
#     with fsync inside it, loop-mounted like a running jail's; 600 MiB of random data, the page
#     cache dropped, then fsfreeze + copy of the image (reflink when the store can) + thaw.
# Root; leaves nothing behind.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
base=/var/lib/lodge/pool-io-bench
mkdir -p $base/ext4
"$here/setup-jail-pool.sh" --file $base/pool.xfs --size 8G --mount $base/xfs --no-fstab $base/xfs-dir >/dev/null
cleanup() {
  for m in $base/ext4/mnt $base/xfs-dir/mnt $base/xfs-dir $base/xfs; do
    if mountpoint -q $m; then umount $m; fi
  done
  rm -rf $base
}
trap cleanup EXIT
ms() { echo $(( ($2 - $1) / 1000000 )); }
load() { cut -d' ' -f1-3 /proc/loadavg; }

for round in $(seq 1 10); do
  for store in ext4 xfs-dir; do
    d=$base/$store
    t0=$(date +%s%N)
    rm -f $d/img; truncate -s 64M $d/img
    mkfs.ext4 -q -d /var/lib/lodge/templates/busybox $d/img
    mkdir -p $d/mnt; mount -o loop $d/img $d/mnt; umount $d/mnt
    echo "$store provisioning storage round $round: $(ms $t0 "$(date +%s%N)") ms"
  done
done
echo "load $(load)"

for store in ext4 xfs-dir; do
  d=$base/$store
  for run in 1 2 3; do
    rm -f $d/img; truncate -s 2G $d/img
    t0=$(date +%s%N); mkfs.ext4 -q -d /var/lib/lodge/templates/web-php $d/img; t1=$(date +%s%N)
    mount -o loop $d/img $d/mnt
    t2=$(date +%s%N); dd if=/dev/zero of=$d/mnt/w bs=1M count=256 conv=fsync status=none; t3=$(date +%s%N)
    rm $d/mnt/w
    dd if=/dev/urandom of=$d/mnt/r bs=1M count=600 conv=fsync status=none
    echo 3 > /proc/sys/vm/drop_caches
    rm -f $d/copy.img
    t4=$(date +%s%N); fsfreeze --freeze $d/mnt
    if cp --reflink=always $d/img $d/copy.img 2>/dev/null; then how=reflink; else cp --sparse=always $d/img $d/copy.img; how=sparse; fi
    fsfreeze --unfreeze $d/mnt; t5=$(date +%s%N)
    umount $d/mnt; rm -f $d/copy.img $d/img
    echo "$store run $run: mkfs.ext4 -d web-php $(ms $t0 $t1) ms; dd 256 MiB fsync $(ms $t2 $t3) ms;" \
      "freeze ($how copy, 1 GiB image, cold cache) $(ms $t4 $t5) ms; load $(load)"
  done
done
