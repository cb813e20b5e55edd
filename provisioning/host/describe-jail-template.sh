#!/usr/bin/env bash
# Writes the catalogue entry of a built jail template beside it (TEMPLATES/NAME.properties), read
# by the worker (JailTemplates.java) and reported to the portal: its operating system, version,
# what its web server runs, and a content hash of the whole tree (names, modes, owners, link
# targets and file contents), so two nodes' copies of one version can be compared.
# Usage: describe-jail-template.sh DIR "OS TEXT" html|php MIN_MEMORY_MIB
set -euo pipefail
dir="$1" os="$2" serves="$3" memory="$4"
name="$(basename "$dir")"
out="$(dirname "$dir")/$name.properties"
version="$(cat "$dir/.lodge-template")"
grep -qxF "version=$version" "$out" 2>/dev/null && grep -qxF "min-memory-mib=$memory" "$out" && exit 0
hash="$(tar -C "$dir" --sort=name --numeric-owner --mtime=@0 --format=gnu -cf - . | sha256sum | cut -d' ' -f1)"
cat > "$out.new" <<PROPS
# Written by provisioning/host/describe-jail-template.sh
name=$name
os=$os
version=$version
content-hash=sha256:$hash
serves=$serves
min-memory-mib=$memory
PROPS
mv "$out.new" "$out"
