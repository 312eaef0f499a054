#!/usr/bin/env bash
# A PostgreSQL server of the project's own, in a folder of its own, on loopback: the store of
# the MAMOS tests and of the cluster topology (scripts/mamos-cluster.sh), and the persistence of
# the real Temporal server. Installs Debian's postgresql when its binaries are missing.
set -euo pipefail

# shellcheck source-path=SCRIPTDIR source=lib/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"

usage() {
  cat <<'EOF_USAGE'
Usage: scripts/postgres.sh start DIR PORT     initialise DIR (first time) and start the server on
                                              127.0.0.1:PORT; returns once it accepts connections
       scripts/postgres.sh stop DIR           fast shutdown of the server of DIR
       scripts/postgres.sh createdb DIR PORT NAME
                                              create database NAME unless it exists
       scripts/postgres.sh url PORT NAME      print the JDBC URL of database NAME
       scripts/postgres.sh install            install Debian's postgresql if it is missing

DIR/pgdata holds the cluster, DIR/password the generated password (mode 0600) of its superuser
`mamos`, DIR/postgres.log the server's log. Connections: TCP on 127.0.0.1 only, password
(SCRAM-SHA-256) required; the Unix socket lives in DIR/socket (mode 0700). Run as root, the
server runs as the `postgres` user (PostgreSQL refuses root), which then owns DIR/pgdata.
EOF_USAGE
}

PG_USER=mamos

# pg_bin: prints the folder of the newest installed PostgreSQL's server binaries.
pg_bin() {
  local dir
  dir="$(find /usr/lib/postgresql -mindepth 2 -maxdepth 2 -name bin -type d 2>/dev/null | sort -V | tail -n 1)"
  [[ -n "$dir" && -x "$dir/initdb" ]] || return 1
  printf '%s\n' "$dir"
}

install_postgres() {
  pg_bin >/dev/null && return 0
  ((EUID == 0)) || die "PostgreSQL is not installed (apt-get install --no-install-recommends postgresql, as root)"
  log "Installing Debian's postgresql (apt-get install --no-install-recommends postgresql)"
  apt-get update -qq >/dev/null
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends postgresql >/dev/null
  # The package starts a cluster of its own on 5432; the project's servers never use it.
  if command -v pg_ctlcluster >/dev/null; then
    pg_lsclusters -h 2>/dev/null | while read -r version name _; do
      pg_ctlcluster "$version" "$name" stop 2>/dev/null || true
    done
  fi
  pg_bin >/dev/null || die "postgresql installed, but no initdb under /usr/lib/postgresql"
}

# as_server COMMAND...: runs COMMAND as the user the server runs as.
as_server() {
  if ((EUID == 0)); then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

start_postgres() {
  local dir="$1" port="$2" bin
  install_postgres
  bin="$(pg_bin)"
  mkdir -p "$dir"
  dir="$(cd "$dir" && pwd)"
  if [[ ! -s "$dir/pgdata/PG_VERSION" ]]; then
    [[ -s "$dir/password" ]] || (umask 077 && python3 -c 'import secrets; print(secrets.token_urlsafe(24))' >"$dir/password")
    rm -rf "$dir/pgdata"
    mkdir -p "$dir/pgdata" "$dir/socket"
    local pwfile="$dir/pgdata.pw"
    (umask 077 && cp "$dir/password" "$pwfile")
    if ((EUID == 0)); then
      chown postgres: "$dir/pgdata" "$dir/socket" "$pwfile"
    fi
    as_server "$bin/initdb" -D "$dir/pgdata" -U "$PG_USER" --pwfile="$pwfile" \
      --auth-local=scram-sha-256 --auth-host=scram-sha-256 -E UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 \
      || { rm -f "$pwfile"; tail -n 20 "$dir/initdb.log" >&2; die "initdb failed (log: $dir/initdb.log)"; }
    rm -f "$pwfile"
    # Loopback only: no other host can even try a password.
    as_server tee "$dir/pgdata/pg_hba.conf" >/dev/null <<'EOF_HBA'
# MAMOS: loopback only, password required.
local   all   all                 scram-sha-256
host    all   all   127.0.0.1/32  scram-sha-256
EOF_HBA
  fi
  chmod 0700 "$dir/socket" 2>/dev/null || true
  if as_server "$bin/pg_ctl" -D "$dir/pgdata" status >/dev/null 2>&1; then
    log "PostgreSQL of $dir already runs"
  else
    as_server touch "$dir/postgres.log" 2>/dev/null || { touch "$dir/postgres.log"; ((EUID == 0)) && chown postgres: "$dir/postgres.log"; }
    as_server "$bin/pg_ctl" -D "$dir/pgdata" -l "$dir/postgres.log" -w -t 60 start \
      -o "-c listen_addresses=127.0.0.1 -p $port -c unix_socket_directories=$dir/socket -c unix_socket_permissions=0700 -c max_connections=300" \
      >/dev/null || { tail -n 20 "$dir/postgres.log" >&2; die "PostgreSQL did not start (log: $dir/postgres.log)"; }
    log "PostgreSQL on 127.0.0.1:$port (data: $dir/pgdata, log: $dir/postgres.log)"
  fi
}

stop_postgres() {
  local dir="$1" bin
  bin="$(pg_bin)" || return 0
  [[ -d "$dir/pgdata" ]] || return 0
  as_server "$bin/pg_ctl" -D "$dir/pgdata" -m fast -w -t 60 stop >/dev/null 2>&1 || true
}

create_database() {
  local dir="$1" port="$2" name="$3" bin
  [[ "$name" =~ ^[a-z_][a-z0-9_]*$ ]] || die "database name must match [a-z_][a-z0-9_]*: $name"
  bin="$(pg_bin)"
  local exists
  exists="$(PGPASSWORD="$(cat "$dir/password")" "$bin/psql" -h 127.0.0.1 -p "$port" -U "$PG_USER" -d postgres \
    -tAc "SELECT 1 FROM pg_database WHERE datname = '$name'")"
  [[ "$exists" == 1 ]] && return 0
  PGPASSWORD="$(cat "$dir/password")" "$bin/psql" -q -h 127.0.0.1 -p "$port" -U "$PG_USER" -d postgres \
    -c "CREATE DATABASE $name"
}

case "${1:-}" in
  start) (($# == 3)) || { usage >&2; exit 2; }; start_postgres "$2" "$3" ;;
  stop) (($# == 2)) || { usage >&2; exit 2; }; stop_postgres "$2" ;;
  createdb) (($# == 4)) || { usage >&2; exit 2; }; create_database "$2" "$3" "$4" ;;
  url) (($# == 3)) || { usage >&2; exit 2; }; printf 'jdbc:postgresql://127.0.0.1:%s/%s\n' "$2" "$3" ;;
  install) install_postgres ;;
  -h | --help) usage ;;
  *) usage >&2; exit 2 ;;
esac
