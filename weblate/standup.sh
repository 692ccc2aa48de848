#!/usr/bin/env bash
# A throwaway Weblate for CareBridge's catalogs, all on 127.0.0.1:
#   PostgreSQL (own cluster), git daemon (a bare clone of this repository), Weblate's runserver.
#
#   weblate/standup.sh up      install what is missing, start everything, write $RUN/instance.env
#   weblate/standup.sh down    stop what `up` started (by the pids it recorded) and remove $RUN
#   weblate/standup.sh status  what is running
#   weblate/standup.sh shell -c CODE   Django code against the running instance (tests add users)
#
# Cached between runs (CAREBRIDGE_WEBLATE_CACHE, default ~/.cache/carebridge-weblate): the
# Weblate venv and a migrated template database. Each `up` starts from an empty Weblate: a fresh
# database copied from the template, a fresh data dir and a fresh clone of the repository.
# Variables: CAREBRIDGE_WEBLATE_PYTHON (a Python >= 3.12), CAREBRIDGE_WEBLATE_SOURCE (the
# repository to serve, default this one at HEAD), CAREBRIDGE_WEBLATE_PORT / _PG_PORT / _GIT_PORT.
set -euo pipefail

WEBLATE_VERSION=2026.10.1
HERE="$(cd "$(dirname "$0")" && pwd)"
REPO="$(cd "$HERE/.." && pwd)"
CACHE="${CAREBRIDGE_WEBLATE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/carebridge-weblate}"
RUN="${CAREBRIDGE_WEBLATE_RUN:-$CACHE/run}"
SOURCE="${CAREBRIDGE_WEBLATE_SOURCE:-$REPO}"
PORT="${CAREBRIDGE_WEBLATE_PORT:-18765}"
PG_PORT="${CAREBRIDGE_WEBLATE_PG_PORT:-55432}"
GIT_PORT="${CAREBRIDGE_WEBLATE_GIT_PORT:-19418}"
VENV="$CACHE/venv"
# PostgreSQL will not run as root: as root the cluster belongs to the `postgres` user, which
# cannot enter /root, so it lives under /var/cache instead.
if [ "$(id -u)" = 0 ]; then
  PGDATA_DIR="${CAREBRIDGE_WEBLATE_PGDATA:-/var/cache/carebridge-weblate/pgdata}"
else
  PGDATA_DIR="${CAREBRIDGE_WEBLATE_PGDATA:-$CACHE/pgdata}"
fi
TEMPLATE_DB="weblate_tpl_${WEBLATE_VERSION//./_}"
APT_PACKAGES=(postgresql git liblz4-dev libzstd-dev libxxhash-dev libacl1-dev pkg-config gcc libpq-dev)

say() { printf '[weblate %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { say "error: $*"; exit 1; }

pg_bin() {
  local found
  found="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)"
  [ -n "$found" ] && [ -x "$found/pg_ctl" ] && { echo "$found"; return; }
  command -v pg_ctl >/dev/null 2>&1 && { dirname "$(command -v pg_ctl)"; return; }
  return 1
}

as_pg() {  # run a PostgreSQL program as the cluster's owner
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

psql_() { "$(pg_bin)/psql" -h 127.0.0.1 -p "$PG_PORT" -U postgres -v ON_ERROR_STOP=1 -qAt "$@"; }

# --- 1. system packages ------------------------------------------------------------------------
need_apt() {
  local missing=()
  pg_bin >/dev/null || missing+=(postgresql)
  command -v git >/dev/null || missing+=(git)
  command -v cc >/dev/null || missing+=(gcc)
  for header in lz4.h zstd.h xxhash.h sys/acl.h; do
    [ -e "/usr/include/$header" ] || missing+=("$header")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    say "installing with apt-get: ${APT_PACKAGES[*]} (missing: ${missing[*]})"
    export DEBIAN_FRONTEND=noninteractive
    timeout 600 apt-get update -qq
    timeout 900 apt-get install -y -qq "${APT_PACKAGES[@]}" >/dev/null
  else
    die "missing ${missing[*]}; run: sudo apt-get install ${APT_PACKAGES[*]}"
  fi
}

# --- 2. a Python >= 3.12 -----------------------------------------------------------------------
find_python() {
  local candidate
  for candidate in "${CAREBRIDGE_WEBLATE_PYTHON:-}" python3.13 python3.12 \
      $(ls -d "${PYENV_ROOT:-$HOME/.pyenv}"/versions/3.1[2-9]*/bin/python3 2>/dev/null | sort -rV) python3; do
    [ -n "$candidate" ] || continue
    command -v "$candidate" >/dev/null 2>&1 || continue
    if "$candidate" -c 'import sys, venv, ensurepip; sys.exit(sys.version_info < (3, 12))' 2>/dev/null; then
      command -v "$candidate"; return 0
    fi
  done
  # Debian 13 ships 3.13; Debian 12 only 3.11 (where Weblate 2026.x does not install).
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    for pkg in python3.13 python3.12; do
      if apt-cache show "$pkg" >/dev/null 2>&1; then
        say "installing $pkg and ${pkg}-venv with apt-get"
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$pkg" "${pkg}-venv" "${pkg}-dev" >/dev/null
        command -v "$pkg"; return 0
      fi
    done
  fi
  return 1
}

install_weblate() {
  [ "$(cat "$VENV/.installed" 2>/dev/null)" = "$WEBLATE_VERSION" ] && return 0
  local python
  python="$(find_python)" || die "Weblate $WEBLATE_VERSION needs Python >= 3.12 and none was found.
  This machine's Debian offers no python3.12/3.13 package (Debian 12 has 3.11, on which the newest
  installable Weblate is 5.14.3, whose PyGObject dependency does not build). Install one (pyenv,
  Debian 13's python3.13) and rerun with CAREBRIDGE_WEBLATE_PYTHON=/path/to/python3.12."
  say "creating $VENV with $python ($("$python" --version))"
  rm -rf "$VENV"
  "$python" -m venv "$VENV"
  say "pip install weblate[postgres]==$WEBLATE_VERSION (compiles borgbackup; a few minutes)"
  timeout 1800 "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check \
    "weblate[postgres]==$WEBLATE_VERSION" 2> >(grep -v "^WARNING: Location" >&2) \
    || die "pip install failed (see above)"
  echo "$WEBLATE_VERSION" > "$VENV/.installed"
}

# --- 3. PostgreSQL -----------------------------------------------------------------------------
start_postgres() {
  local bin; bin="$(pg_bin)"
  if [ ! -f "$PGDATA_DIR/PG_VERSION" ]; then
    say "initdb $PGDATA_DIR"
    mkdir -p "$PGDATA_DIR"
    [ "$(id -u)" = 0 ] && chown postgres:postgres "$PGDATA_DIR"
    as_pg "$bin/initdb" -D "$PGDATA_DIR" -U postgres -A trust -E UTF8 --locale=C.UTF-8 >/dev/null
  fi
  if as_pg "$bin/pg_ctl" -D "$PGDATA_DIR" status >/dev/null 2>&1; then
    say "PostgreSQL already running in $PGDATA_DIR"
  else
    say "starting PostgreSQL on 127.0.0.1:$PG_PORT"
    # Loopback only, socket in the data dir, trust auth: a test cluster nobody else can reach.
    as_pg "$bin/pg_ctl" -D "$PGDATA_DIR" -l "$PGDATA_DIR/server.log" -w -t 60 \
      -o "-c listen_addresses=127.0.0.1 -p $PG_PORT -k $PGDATA_DIR -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
      start >/dev/null || { tail -20 "$PGDATA_DIR/server.log" >&2; die "PostgreSQL did not start"; }
  fi
  echo started > "$RUN/postgres.started"
  psql_ -d postgres -c "SELECT 1" >/dev/null
  psql_ -d postgres -tc "SELECT 1 FROM pg_roles WHERE rolname='weblate'" | grep -q 1 \
    || psql_ -d postgres -c "CREATE ROLE weblate LOGIN SUPERUSER"
}

# --- 4. the repository on git:// ---------------------------------------------------------------
start_git_daemon() {
  mkdir -p "$RUN/git"
  local head; head="$(git -C "$SOURCE" rev-parse HEAD)"
  git clone --quiet --bare --no-local "$SOURCE" "$RUN/git/carebridge.git"
  # Serve exactly HEAD of the source as branch main (whatever the source's branch is called).
  git -C "$RUN/git/carebridge.git" update-ref refs/heads/main "$head"
  git -C "$RUN/git/carebridge.git" symbolic-ref HEAD refs/heads/main
  git -C "$RUN/git/carebridge.git" config receive.denyCurrentBranch ignore
  git -C "$RUN/git/carebridge.git" config daemon.receivepack true
  say "git daemon on git://127.0.0.1:$GIT_PORT/carebridge.git (HEAD ${head:0:10})"
  setsid git daemon --reuseaddr --listen=127.0.0.1 --port="$GIT_PORT" --base-path="$RUN/git" \
    --export-all --enable=receive-pack --informative-errors "$RUN/git" \
    >"$RUN/git-daemon.log" 2>&1 &
  echo $! > "$RUN/git-daemon.pid"
  local i
  for i in $(seq 1 50); do
    git ls-remote "git://127.0.0.1:$GIT_PORT/carebridge.git" >/dev/null 2>&1 && return 0
    sleep 0.2
  done
  die "git daemon did not answer on 127.0.0.1:$GIT_PORT"
}

# --- 5. Weblate --------------------------------------------------------------------------------
weblate_env() {
  export PYTHONPATH="$RUN" DJANGO_SETTINGS_MODULE=carebridge_weblate_settings
  export CAREBRIDGE_WEBLATE_PORT="$PORT" CAREBRIDGE_WEBLATE_PG_PORT="$PG_PORT"
  export CAREBRIDGE_WEBLATE_DATA="$RUN/data" CAREBRIDGE_WEBLATE_DB=weblate
  export CAREBRIDGE_WEBLATE_SECRET="${CAREBRIDGE_WEBLATE_SECRET:-$(od -An -tx1 -N24 /dev/urandom | tr -d ' \n')}"
}

wl() { timeout "${WL_TIMEOUT:-900}" "$VENV/bin/weblate" "$@"; }

prepare_database() {
  psql_ -d postgres -c "DROP DATABASE IF EXISTS weblate WITH (FORCE)"
  if psql_ -d postgres -tc "SELECT 1 FROM pg_database WHERE datname='$TEMPLATE_DB'" | grep -q 1; then
    say "fresh database from the migrated template $TEMPLATE_DB"
    psql_ -d postgres -c "CREATE DATABASE weblate OWNER weblate TEMPLATE $TEMPLATE_DB"
  else
    say "first run: migrating an empty database (a few minutes), kept as template $TEMPLATE_DB"
    psql_ -d postgres -c "CREATE DATABASE weblate OWNER weblate"
    wl migrate --noinput >"$RUN/migrate.log" 2>&1 || { tail -30 "$RUN/migrate.log" >&2; die "migrate failed"; }
    psql_ -d postgres -c "CREATE DATABASE $TEMPLATE_DB OWNER weblate TEMPLATE weblate"
  fi
}

start_weblate() {
  mkdir -p "$RUN/data"
  cp "$HERE/settings_local.py" "$RUN/carebridge_weblate_settings.py"
  weblate_env
  prepare_database
  local password token
  password="$(od -An -tx1 -N12 /dev/urandom | tr -d ' \n')"
  # One Django start-up instead of three (each costs seconds): what `migrate` does outside the
  # database (the VCS app's post-migrate hook writes DATA_DIR/home/.gitconfig with the committer
  # identity and the PO merge driver; a database copied from the template skips migrate), the
  # admin, and its API token.
  token="$(wl shell -c "
from django.apps import apps
from django.core.management import call_command
from weblate.auth.models import User
apps.get_app_config('vcs').post_migrate(None)
call_command('createadmin', username='admin', email='admin@carebridge.invalid', password='$password', update=True)
print('TOKEN=' + User.objects.get(username='admin').auth_token.key)" 2>>"$RUN/migrate.log" | sed -n 's/^TOKEN=//p')"
  [ -n "$token" ] || { tail -30 "$RUN/migrate.log" >&2; die "could not create the admin user"; }
  say "starting Weblate on http://127.0.0.1:$PORT/"
  setsid "$VENV/bin/weblate" runserver --noreload --nothreading "127.0.0.1:$PORT" >"$RUN/weblate.log" 2>&1 &
  echo $! > "$RUN/weblate.pid"
  local i
  for i in $(seq 1 240); do
    if curl -fsS -o /dev/null "http://127.0.0.1:$PORT/api/" 2>/dev/null; then break; fi
    kill -0 "$(cat "$RUN/weblate.pid")" 2>/dev/null || { tail -30 "$RUN/weblate.log" >&2; die "Weblate exited"; }
    sleep 0.5
  done
  curl -fsS -o /dev/null "http://127.0.0.1:$PORT/api/" || { tail -30 "$RUN/weblate.log" >&2; die "Weblate did not answer"; }
  cat > "$RUN/instance.env" <<EOF
CAREBRIDGE_WEBLATE_URL=http://127.0.0.1:$PORT
CAREBRIDGE_WEBLATE_TOKEN=$token
CAREBRIDGE_WEBLATE_ADMIN_PASSWORD=$password
CAREBRIDGE_WEBLATE_REPO=git://127.0.0.1:$GIT_PORT/carebridge.git
CAREBRIDGE_WEBLATE_BARE=$RUN/git/carebridge.git
CAREBRIDGE_WEBLATE_SOURCE_HEAD=$(git -C "$SOURCE" rev-parse HEAD)
CAREBRIDGE_WEBLATE_VERSION=$WEBLATE_VERSION
EOF
  say "ready: $RUN/instance.env"
}

stop_pidfile() {  # stop the process (group) recorded in a pid file: TERM, then KILL after 10 s
  local file="$1" pid i
  [ -f "$file" ] || return 0
  pid="$(cat "$file")"
  if kill -0 "$pid" 2>/dev/null; then
    kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null || true
    for i in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
    kill -KILL -- "-$pid" 2>/dev/null || kill -KILL "$pid" 2>/dev/null || true
  fi
  rm -f "$file"
}

down() {
  say "stopping Weblate, git daemon and PostgreSQL"
  stop_pidfile "$RUN/weblate.pid"
  stop_pidfile "$RUN/git-daemon.pid"
  if [ -f "$RUN/postgres.started" ] && [ -f "$PGDATA_DIR/PG_VERSION" ]; then
    as_pg "$(pg_bin)/pg_ctl" -D "$PGDATA_DIR" -m fast -w -t 60 stop >/dev/null 2>&1 || true
  fi
  if [ -z "${CAREBRIDGE_WEBLATE_KEEP:-}" ]; then rm -rf "$RUN"; fi
}

up() {
  local started=$SECONDS
  [ -f "$RUN/weblate.pid" ] && down
  rm -rf "$RUN"; mkdir -p "$RUN" "$CACHE"
  # Whatever fails from here on, leave nothing running.
  trap 'status=$?; if [ $status -ne 0 ]; then CAREBRIDGE_WEBLATE_KEEP=1 down; fi' EXIT
  need_apt
  install_weblate
  start_postgres
  start_git_daemon
  start_weblate
  trap - EXIT
  say "stood up in $((SECONDS - started)) s"
}

status() {
  local name
  for name in weblate git-daemon; do
    if [ -f "$RUN/$name.pid" ] && kill -0 "$(cat "$RUN/$name.pid")" 2>/dev/null; then
      echo "$name: running (pid $(cat "$RUN/$name.pid"))"
    else
      echo "$name: not running"
    fi
  done
  as_pg "$(pg_bin)/pg_ctl" -D "$PGDATA_DIR" status >/dev/null 2>&1 && echo "postgres: running ($PGDATA_DIR)" \
    || echo "postgres: not running"
}

case "${1:-}" in
  up) up ;;
  down) down ;;
  status) status ;;
  shell)
    [ -f "$RUN/instance.env" ] || die "no Weblate stood up in $RUN (run: $0 up)"
    shift; weblate_env; wl shell "$@" ;;
  *) echo "usage: $0 up|down|status|shell -c CODE" >&2; exit 2 ;;
esac
