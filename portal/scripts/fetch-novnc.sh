#!/usr/bin/env bash
# Vendors noVNC (the browser VNC client of the VM console) from its npm package into the
# portal's static files, so the build needs no npm. Run again to change the version.
set -euo pipefail
version="${1:-1.7.0}"
here="$(cd "$(dirname "$0")" && pwd)"
target="$here/../src/main/resources/static/novnc"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
(cd "$tmp" && npm pack --silent "@novnc/novnc@$version" >/dev/null && tar xzf novnc-novnc-"$version".tgz)
rm -rf "$target"
mkdir -p "$target"
cp -r "$tmp/package/core" "$tmp/package/vendor" "$tmp/package/LICENSE.txt" "$tmp/package/AUTHORS" "$target/"
echo "$version" > "$target/VERSION"
echo "noVNC $version vendored into $target"
