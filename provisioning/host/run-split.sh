#!/usr/bin/env bash
# Starts Lodge on this node as two processes (what `./lodge run` does):
#   - the portal (web tier) as the unprivileged system user `lodge`, LODGE_ROLES=portal; it starts
#     and owns the embedded PostgreSQL (so PostgreSQL never runs as root) on 127.0.0.1:$LODGE_DB_PORT;
#   - the worker as root, LODGE_ROLES=worker, listening on no port (server.port=-1); it alone talks to libvirt and runs
#     host programs, and connects to that PostgreSQL with the password file (root reads it).
# Usage: run-split.sh JAR [Spring arguments for both processes...]. Runs until either process
# ends (or SIGINT/SIGTERM), then stops the other.
set -euo pipefail
jar="$(realpath "$1")"; shift
user=lodge

data_dir="$(realpath -m "${LODGE_DATA:-./data/postgres}")"
home="$(dirname "$data_dir")"
password_file="$(realpath -m "${LODGE_DB_PASSWORD_FILE:-$data_dir.password}")"
key_file="$(realpath -m "${LODGE_SECRETS_KEY_FILE:-$home/secrets.key}")"
db_port="${LODGE_DB_PORT:-54329}"

# The portal's user owns the database and the secret files (0600); root reads them anyway.
# Data made by root before the split is handed over. The directory holding them becomes the
# portal user's only when it is new or the default ./data: an existing directory given through
# LODGE_DATA may hold root's things, and must already be writable by that user.
if [ ! -d "$home" ] || [ -z "${LODGE_DATA:-}" ]; then
  install -d -o "$user" -g "$user" -m 0750 "$home"
fi
install -d -o "$user" -g "$user" -m 0700 "$data_dir" "$home/tmp"
chown -R "$user:$user" "$data_dir"
for f in "$password_file" "$key_file"; do
  if [ -e "$f" ]; then chown "$user:$user" "$f"; chmod 0600 "$f"; fi
done
if ! setpriv --reuid="$user" --regid="$user" --init-groups test -w "$home" -a -x "$home"; then
  echo "lodge: the user $user cannot write in $home: give it that directory, or choose LODGE_DATA elsewhere" >&2
  exit 1
fi
# The checkout may sit where the portal's user cannot read (/root/...): it runs its own copy.
install -C -m 0644 -o root -g root "$jar" "$home/lodge.jar"

common=(--lodge.embedded-db.dir="$data_dir" --lodge.embedded-db.password-file="$password_file"
        --lodge.embedded-db.port="$db_port" --lodge.secrets.key-file="$key_file")

# Replaces the calling (sub)shell: call it inside ( ... ).
as_portal_user() {
  cd "$home" && exec setpriv --reuid="$user" --regid="$user" --init-groups \
    env HOME="$home" LODGE_ROLES=portal java -Djava.io.tmpdir="$home/tmp" "$@"
}

# Class data sharing for the portal (about a third less CPU to start, so it answers sooner after
# a crash): once per jar, the jar is extracted and a training run that stops after the context
# refresh, on a throw-away database, writes the archive. The portal's user makes it and only the
# portal maps it; the root worker runs the checkout's jar, never something that user could write.
# The training run compiles with C1 only: the archive holds classes, not compiled code, so it is
# the same, and that JVM spends about 40% less CPU (docs/benchmarks.md, "Test suite time").
app="$home/app"
stamp="$(sha256sum "$home/lodge.jar" | cut -d' ' -f1)"
if [ "$(cat "$app/jar.sha256" 2>/dev/null)" != "$stamp" ]; then
  rm -rf "$app" "$home/tmp/cds-training"
  install -d -o "$user" -g "$user" -m 0750 "$app" "$home/tmp/cds-training"
  echo "lodge: preparing the portal's class data sharing archive for this jar (once)" >&2
  if (as_portal_user -Djarmode=tools -jar "$home/lodge.jar" extract --destination "$app/jar" >/dev/null) \
     && (as_portal_user -XX:TieredStopAtLevel=1 -XX:ArchiveClassesAtExit="$app/lodge.jsa" -Dspring.context.exit=onRefresh -jar "$app/jar/lodge.jar" \
          --lodge.embedded-db.dir="$home/tmp/cds-training/postgres" --lodge.embedded-db.password-file="$home/tmp/cds-training/password" \
          --lodge.embedded-db.port=0 --lodge.secrets.key-file="$home/tmp/cds-training/secrets.key" \
          --lodge.embedded-db.mode=start --server.port=0 >"$home/tmp/cds-training.log" 2>&1) \
     && [ -s "$app/lodge.jsa" ]; then
    echo "$stamp" >"$app/jar.sha256"
    # Its log holds the throw-away database's generated admin password: kept only on failure.
    rm -f "$home/tmp/cds-training.log"
  else
    echo "lodge: no class data sharing archive (see $home/tmp/cds-training.log); the portal starts without it" >&2
  fi
  rm -rf "$home/tmp/cds-training"
fi
if [ -s "$app/jar.sha256" ]; then
  portal_jar=(-XX:SharedArchiveFile="$app/lodge.jsa" -jar "$app/jar/lodge.jar")
else
  portal_jar=(-jar "$home/lodge.jar")
fi

(as_portal_user "${portal_jar[@]}" "${common[@]}" --lodge.embedded-db.mode=start "$@") &
portal=$!
# C1 only, as lodge-worker.service runs it (docs/benchmarks.md, "The worker's JIT").
LODGE_ROLES=worker java -XX:TieredStopAtLevel=1 -jar "$jar" "${common[@]}" --lodge.embedded-db.mode=connect \
  --server.port=-1 "$@" &
worker=$!

# The worker first: it uses the database the portal's process runs.
stop() {
  kill -TERM "$worker" 2>/dev/null || true
  wait "$worker" 2>/dev/null
  kill -TERM "$portal" 2>/dev/null || true
}
trap stop INT TERM
set +e
wait -n "$portal" "$worker"
status=$?
stop
wait "$portal" "$worker"
exit "$status"
