#!/usr/bin/env bash
# Vendors xterm.js (the browser terminal of the jail console) from its npm package into the
# portal's static files, so the build needs no npm. Run again to change the version.
set -euo pipefail
version="${1:-6.0.0}"
here="$(cd "$(dirname "$0")" && pwd)"
target="$here/../src/main/resources/static/xterm"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
(cd "$tmp" && npm pack --silent "@xterm/xterm@$version" >/dev/null && tar xzf xterm-xterm-"$version".tgz)
rm -rf "$target"
mkdir -p "$target"
cp "$tmp/package/lib/xterm.mjs" "$tmp/package/css/xterm.css" "$tmp/package/LICENSE" "$target/"
echo "$version" > "$target/VERSION"
echo "xterm.js $version vendored into $target"
