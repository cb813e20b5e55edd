#!/usr/bin/env bash
# Builds the jail template "web-php" once per version: the minimal template (busybox, pure-ftpd,
# setpriv; see build-jail-template.sh) plus nginx and PHP-FPM 8.2 with the libraries they link,
# unpacked from Debian 12's own packages (apt-get download + dpkg-deb -x: no maintainer scripts,
# nothing installed or started on the host). Like the minimal template, bin, sbin, lib, lib64 and
# usr are shared read-only by every jail made from it; the rest (etc, var) is copied into each
# jail's image. The jail's own init is web-php/lodge-init.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
templates="${1:-/var/lib/lodge/templates}"
base="$templates/busybox"
dir="$templates/web-php"
packages=(nginx nginx-common php8.2-fpm php8.2-common php-common tzdata
          libc6 libgcc-s1 libstdc++6 libcrypt1 libssl3 zlib1g libpcre2-8-0 libargon2-1 libsodium23 libxml2
          libicu72 liblzma5 libzstd1 liblz4-1 libbz2-1.0 libsystemd0 libcap2 libgcrypt20 libgpg-error0
          libapparmor1 libacl1 libmagic1 libmagic-mgc libffi8)

uris() { apt-get download --print-uris "${packages[@]}" 2>/dev/null; }
# The version follows this script, the init, the base template and the exact package files apt
# would fetch (a Debian security update of nginx or PHP rebuilds the template).
listing="$(uris)" || { apt-get update -qq; listing="$(uris)"; }
version="web-php-1-$( { cat "$here/build-web-php-template.sh" "$here"/web-php/*; cat "$base/.lodge-template";
  echo "$listing" | awk '{ print $2, $4 }'; } | sha256sum | cut -c1-12)"
# Retired trees (see below) go once no process, in any jail's mount namespace, mounts them.
sweep_retired() {
  for old in "$templates"/.retired/web-php-*; do
    [ -d "$old" ] || continue
    grep -qsF ".retired/$(basename "$old")" /proc/[0-9]*/mountinfo || rm -rf "$old"
  done
}
if [ "$(cat "$dir/.lodge-template" 2>/dev/null)" = "$version" ] && [ -s "$templates/web-php.properties" ]; then
  sweep_retired
  exit 0
fi

started=$SECONDS
tmp="$(mktemp -d "$templates/.build.XXXXXX")"
trap 'rm -rf "$tmp"' EXIT
mkdir "$tmp/debs"
(cd "$tmp/debs" && { apt-get download "${packages[@]}" >/dev/null 2>&1 \
  || { apt-get update -qq && apt-get download "${packages[@]}" >/dev/null; }; })
root="$tmp/root"
cp -a "$base" "$root"
for deb in "$tmp"/debs/*.deb; do
  dpkg-deb -x "$deb" "$root"
done
# What a jail never uses: documentation, the packages' systemd/init/cron/apache glue.
rm -rf "$root"/usr/share/{doc,man,lintian,bug,apport} "$root"/usr/lib/systemd "$root"/lib/systemd \
  "$root"/etc/{apache2,cron.d,init.d,logrotate.d,ufw,default,systemd} "$root"/usr/share/nginx/html \
  "$root"/var/www/html "$root"/etc/nginx/sites-available "$root"/etc/nginx/sites-enabled
# Every program and module must find all its libraries inside the tree itself.
missing=""
while IFS= read -r -d '' elf; do
  if ! out="$(chroot "$root" /lib64/ld-linux-x86-64.so.2 --list "/${elf#"$root"/}" 2>&1)" \
      || echo "$out" | grep -q "not found"; then
    missing+="${elf#"$root"}: $(echo "$out" | grep -E 'not found|cannot open' | tr -s ' \t' ' ')\n"
  fi
done < <(find "$root/usr/sbin/nginx" "$root/usr/sbin/php-fpm8.2" "$root/usr/lib/php" -type f \( -name nginx -o -name 'php-fpm8.2' -o -name '*.so' \) -print0)
if [ -n "$missing" ]; then
  printf 'lodge: the web-php template misses libraries:\n%b' "$missing" >&2
  exit 1
fi

# The PHP settings Debian's postinst would make; the modules of php8.2-common are loaded.
install -d "$root/etc/php/8.2/fpm/conf.d"
install -m 0644 "$root/usr/lib/php/8.2/php.ini-production" "$root/etc/php/8.2/fpm/php.ini"
for ini in "$root"/usr/share/php8.2-common/common/*.ini; do
  [ -e "$ini" ] && install -m 0644 "$ini" "$root/etc/php/8.2/fpm/conf.d/20-$(basename "$ini")"
done
rm -f "$root"/etc/php/8.2/fpm/pool.d/www.conf
install -m 0644 "$here/web-php/nginx.conf" "$root/etc/nginx/nginx.conf"
install -m 0644 "$here/web-php/php-fpm.conf" "$root/etc/php/8.2/fpm/php-fpm.conf"
install -m 0755 "$here/web-php/lodge-init" "$root/sbin/lodge-init"
install -d -m 0755 "$root/var/lib/nginx" "$root/var/log/nginx" "$root/run"
ln -sf /usr/share/zoneinfo/Etc/UTC "$root/etc/localtime"
echo "$version" > "$root/.lodge-template"

# Jails running from the old tree keep it (their mounts follow the directory, not its name): it is
# retired, not deleted.
if [ -d "$dir" ]; then
  mkdir -p "$templates/.retired"
  mv "$dir" "$templates/.retired/web-php-$(cat "$dir/.lodge-template" 2>/dev/null || echo unknown)-$$"
fi
mv "$root" "$dir"
sweep_retired
"$here/describe-jail-template.sh" "$dir" "Debian 12: nginx $(dpkg-deb -f "$tmp"/debs/nginx_*.deb Version), PHP-FPM $(dpkg-deb -f "$tmp"/debs/php8.2-fpm_*.deb Version), pure-ftpd, busybox" php 128
echo "lodge: jail template $version built in $dir ($(du -sh "$dir" | cut -f1), $((SECONDS - started)) s)"
