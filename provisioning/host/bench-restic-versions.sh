#!/usr/bin/env bash
# restic releases beside `tar -cf - . | zstd -1` on the same files, without libvirt or Lodge
# (docs/benchmarks.md, "restic 0.18 and 0.19 beside 0.14"). Usage:
#   bench-restic-versions.sh LABEL=/path/to/restic[:extra backup options] ...
# e.g. 0.14=/usr/bin/restic  0.18=/tmp/x/usr/bin/restic  "0.18-off=/tmp/x/usr/bin/restic:--compression off"
# Writes the JailBackupBenchmark's mix (32,768 text files of 1-15 KiB, 6 text and 6 random files of
# 64 MiB: ~1 GiB) under a scratch folder, reads it once into the page cache, then for each restic:
# a full backup into a fresh repository (format 2) and three unchanged second backups, each timed
# (wall) and its CPU (user + sys, children included: steadier than wall time on a shared node);
# `tar | zstd -1` at the start and the end. Prints a Markdown table with load averages. Root not needed.
set -euo pipefail
work=$(mktemp -d /tmp/restic-versions.XXXXXX)
trap 'rm -rf "$work"' EXIT
tree=$work/tree
python3 - "$tree" <<'EOF'
import os, random, sys
root = sys.argv[1]
words = ("lorem ipsum dolor sit amet consectetur adipiscing elit sed do eiusmod tempor incididunt ut labore et dolore"
         " magna aliqua GET POST index.php /var/www/html 200 404 user session cookie Mozilla/5.0"
         " 2026-11-26T08:00:00Z INFO WARN ERROR hosting lodge jail backup").split(" ")
rnd = random.Random(8)
def text(size):
    # Log-like: random words, a line break every ~8th, a number after every ~6th (zstd -1: about a third).
    n = size // 6 + 64
    out = [w + s if rnd.random() >= 1 / 6 else w + s + str(rnd.randrange(100000)) + " "
           for w, s in zip(rnd.choices(words, k=n), rnd.choices(" \n", weights=(7, 1), k=n))]
    b = "".join(out).encode()
    return b[:size] if len(b) >= size else b + text(size - len(b))
for i in range(32768):
    d = f"{root}/small/d{i // 512}"
    os.makedirs(d, exist_ok=True)
    with open(f"{d}/f{i}.log", "wb") as f:
        f.write(text(1024 + rnd.randrange(15 * 1024)))
os.makedirs(f"{root}/large")
for i in range(6):
    with open(f"{root}/large/log{i}.txt", "wb") as f:
        f.write(text(64 << 20))
    with open(f"{root}/large/blob{i}.bin", "wb") as f:
        f.write(rnd.randbytes(64 << 20))
EOF
tar -cf - -C "$tree" . > /dev/null
bytes=$(du -sb --apparent-size "$tree" | cut -f1)
echo "password-$$-$RANDOM" > $work/password
load() { cut -d' ' -f1-3 /proc/loadavg; }
# timed LABEL COMMAND...: one table row (wall s, MiB/s, CPU s, load before)
timed() {
  local label=$1 before times; shift
  before=$(load)
  times=$( { TIMEFORMAT='%R %U %S'; time "$@" > /dev/null 2>&1; } 2>&1 )
  awk -v l="$label" -v t="$times" -v b="$bytes" -v ld="$before" 'BEGIN { split(t, x, " ");
    printf "| %s | %.2f | %.0f | %.2f | %s |\n", l, x[1], b / 1048576 / x[1], x[2] + x[3], ld }'
}
tarzstd() { tar -cf - -C "$tree" . | zstd -1 -q -c > /dev/null; }

echo "$(( bytes / 1048576 )) MiB in $(find "$tree" -type f | wc -l) files"
echo
echo "| run | wall s | MiB/s | CPU s | load (1, 5, 15 min) |"
echo "|---|---|---|---|---|"
timed 'tar -cf - . \| zstd -1' tarzstd
for spec in "$@"; do
  label=${spec%%=*}; rest=${spec#*=}; bin=${rest%%:*}; opts=""
  if [[ $rest == *:* ]]; then opts=${rest#*:}; fi
  repo=$work/repo-$label
  r=("$bin" --repo "$repo" --password-file $work/password --cache-dir $work/cache-$label --quiet)
  "${r[@]}" init > /dev/null
  # shellcheck disable=SC2086 # opts: several words on purpose
  backup() { (cd "$tree" && "${r[@]}" backup --host bench --one-file-system $opts .); }
  timed "restic $("$bin" version | cut -d' ' -f2) $opts, full" backup
  for i in 1 2 3; do timed "… unchanged 2nd backup ($i)" backup; done
  echo "| … repository: $(du -sm "$repo" | cut -f1) MiB |  |  |  |  |"
  rm -rf "$repo" $work/cache-$label
done
timed 'tar -cf - . \| zstd -1' tarzstd
