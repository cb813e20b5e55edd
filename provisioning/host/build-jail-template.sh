#!/usr/bin/env bash
# Builds the jail template once per version: a busybox root (sh, httpd, ip) plus pure-ftpd and
# the libraries it links (libssl and libcrypto among them: FTPS), about 11 MB. Each jail's image
# is made from a copy of it plus the jail's own files (see RootFilesystem.java), its FTPS key and
# certificate included. Debian's busybox has no ftpd, hence pure-ftpd.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
dir="${1:-/var/lib/lodge/templates/busybox}"
# The version follows this script and the init script, so changing either rebuilds the template.
version="busybox-pureftpd-4-$(cat "$here/build-jail-template.sh" "$here/lodge-init" | sha256sum | cut -c1-12)"
[ "$(cat "$dir/.lodge-template" 2>/dev/null)" = "$version" ] && exit 0

mkdir -p "$(dirname "$dir")"
tmp="$(mktemp -d "$(dirname "$dir")/.build.XXXXXX")"
trap 'rm -rf "$tmp"' EXIT
root="$tmp/root"
mkdir -p "$root"/{bin,sbin,usr/bin,usr/sbin,etc,proc,sys,dev,tmp,run,root,var/www,var/log,var/run}
chmod 1777 "$root/tmp"
chmod 700 "$root/root"

cp /bin/busybox "$root/bin/busybox"
for applet in $(/bin/busybox --list-full); do
  [ "$applet" = "bin/busybox" ] || ln -sf /bin/busybox "$root/$applet"
done

# pure-ftpd from its Debian package, unpacked rather than installed (installing would start
# an FTP server on the host), with every library it links copied beside it.
(cd "$tmp" && { apt-get download pure-ftpd >/dev/null 2>&1 || { apt-get update -qq && apt-get download pure-ftpd >/dev/null; }; })
dpkg-deb -x "$tmp"/pure-ftpd_*.deb "$tmp/deb"
install -m 0755 "$tmp/deb/usr/sbin/pure-ftpd" "$root/usr/sbin/pure-ftpd"
for lib in $(ldd "$root/usr/sbin/pure-ftpd" | awk '/=> \// { print $3 } /^\t\/lib/ { print $1 }'); do
  mkdir -p "$root$(dirname "$lib")"
  cp -L "$lib" "$root$lib"
done
if ldd "$root/usr/sbin/pure-ftpd" | grep -q "not found"; then
  echo "lodge: pure-ftpd misses libraries: $(ldd "$root/usr/sbin/pure-ftpd" | grep 'not found')" >&2
  exit 1
fi
# util-linux's setpriv: lodge-init drops capabilities from its bounding set with it (busybox's
# setpriv cannot).
install -m 0755 /usr/bin/setpriv "$root/usr/bin/setpriv"
for lib in $(ldd "$root/usr/bin/setpriv" | awk '/=> \// { print $3 }'); do
  mkdir -p "$root$(dirname "$lib")"
  cp -L "$lib" "$root$lib"
done
mkdir -p "$root/lib64"
[ -e "$root/lib64/ld-linux-x86-64.so.2" ] || cp -L /lib64/ld-linux-x86-64.so.2 "$root/lib64/"
printf 'passwd: files\ngroup: files\nshadow: files\n' > "$root/etc/nsswitch.conf"

install -m 0755 "$here/lodge-init" "$root/sbin/lodge-init"
echo "$version" > "$root/.lodge-template"
rm -rf "$dir"
mv "$root" "$dir"
echo "lodge: jail template $version built in $dir ($(du -sh "$dir" | cut -f1))"
