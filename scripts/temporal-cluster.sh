#!/usr/bin/env bash
# A real Temporal cluster of the project's own, in a folder of its own, on loopback: the server
# built from source (scripts/lib/temporal-server.sh), its persistence and visibility on a
# PostgreSQL of scripts/postgres.sh, each service instance a process of its own with the config
# infra/temporal/temporal-cluster.yaml.
set -euo pipefail

# shellcheck source-path=SCRIPTDIR source=lib/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"
# shellcheck source-path=SCRIPTDIR source=lib/temporal-server.sh
source "$ROOT/scripts/lib/temporal-server.sh"

# How many instances of each service run: more than one history and matching instance share
# the history shards and the task-queue partitions between them.
HISTORY_INSTANCES="${TEMPORAL_CLUSTER_HISTORY_INSTANCES:-2}"
MATCHING_INSTANCES="${TEMPORAL_CLUSTER_MATCHING_INSTANCES:-2}"
CLUSTER_CONFIG="$ROOT/infra/temporal/temporal-cluster.yaml"
STARTUP_SECONDS=120
PG_USER=mamos

usage() {
  cat <<EOF_USAGE
Usage: scripts/temporal-cluster.sh build
       scripts/temporal-cluster.sh start DIR BASE_PORT PG_DIR PG_PORT
       scripts/temporal-cluster.sh stop DIR
       scripts/temporal-cluster.sh status DIR

build  builds the Temporal server $TEMPORAL_SERVER_VERSION and its SQL tool unless they are built, and
       prints their folder (for MAMOS_TEMPORAL_SERVER_DIR); a cold build takes about 4 minutes.
start  builds the Temporal server $TEMPORAL_SERVER_VERSION unless it is built (into
       ${TEMPORAL_SERVER_DIR#"$ROOT"/}; a MAMOS_TEMPORAL_SERVER_DIR set is used instead), creates the
       databases temporal and temporal_visibility on the PostgreSQL of PG_DIR (started by
       scripts/postgres.sh on 127.0.0.1:PG_PORT; its superuser $PG_USER, password PG_DIR/password),
       sets up and updates their schemas with temporal-sql-tool, and starts one frontend,
       $HISTORY_INSTANCES history, $MATCHING_INSTANCES matching and one worker instance, each a process
       of its own. Returns once the frontend answers on 127.0.0.1:BASE_PORT, the namespace
       \`default\` exists (retention $TEMPORAL_CLUSTER_RETENTION), its visibility answers a list query
       and every instance has joined the cluster. Instances already running are kept, missing
       ones started: run it again after killing one.
stop   SIGTERM to each instance of DIR (SIGKILL after 30s); the PostgreSQL is left running.
status one line per instance of DIR: name, pid, running or stopped.

Ports from BASE_PORT (see infra/temporal/temporal-cluster.yaml): frontend gRPC BASE_PORT (the
address of clients and workers) and membership +1; history instance i +10+2i, +11+2i; matching
+20+2i, +21+2i; worker +30, +31; all below 32768 (Temporal's membership table keeps ports
as a SMALLINT). DIR/NAME.log is each instance's log, DIR/NAME.pid its pid
(NAME: frontend-0, history-0, history-1, matching-0, ...). Set TEMPORAL_CLUSTER_HISTORY_INSTANCES
or TEMPORAL_CLUSTER_MATCHING_INSTANCES (1 to 5) for other counts.
EOF_USAGE
}

# instances: prints "SERVICE INSTANCE" per process of the cluster, in start order.
instances() {
  local i
  echo "frontend 0"
  for ((i = 0; i < HISTORY_INSTANCES; i++)); do echo "history $i"; done
  for ((i = 0; i < MATCHING_INSTANCES; i++)); do echo "matching $i"; done
  echo "worker 0"
}

# running_pid DIR NAME: prints the pid of instance NAME when it runs (Linux: reads /proc).
running_pid() {
  local file="$1/$2.pid" pid
  [[ -s "$file" ]] || return 1
  pid="$(cat "$file")"
  pid_alive "$pid" || return 1
  # A pid file outlives its process, and the pid may have gone to another process since.
  [[ "$(tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null)" == *temporal-server* ]] || return 1
  printf '%s\n' "$pid"
}

sql_tool() {
  SQL_PASSWORD="$(cat "$PG_DIR/password")" "$SERVER_DIR/bin/temporal-sql-tool" --plugin postgres12 \
    --ep 127.0.0.1 -p "$PG_PORT" -u "$PG_USER" "$@"
}

# setup_schema DATABASE SCHEMA: creates DATABASE and brings it to the newest SCHEMA
# (temporal or visibility); each step is a no-op when already done.
setup_schema() {
  local db="$1" schema="$2"
  "$ROOT/scripts/postgres.sh" createdb "$PG_DIR" "$PG_PORT" "$db"
  sql_tool --db "$db" setup-schema -v 0.0 >>"$DIR/schema.log" 2>&1 \
    || { tail -n 20 "$DIR/schema.log" >&2; die "setup-schema of $db failed (log: $DIR/schema.log)"; }
  sql_tool --db "$db" update-schema -d "$SERVER_DIR/schema/postgresql/v12/$schema/versioned" >>"$DIR/schema.log" 2>&1 \
    || { tail -n 20 "$DIR/schema.log" >&2; die "update-schema of $db failed (log: $DIR/schema.log)"; }
}

# start_instance SERVICE INSTANCE: starts it detached from this script (it outlives it).
start_instance() {
  local service="$1" instance="$2" name="$1-$2" pid
  if pid="$(running_pid "$DIR" "$name")"; then
    log "$name already runs (pid $pid)"
    return 0
  fi
  STARTED[$service]=$((${STARTED[$service]:-0} + 1))
  MAMOS_TEMPORAL_BASE_PORT="$BASE_PORT" MAMOS_TEMPORAL_INSTANCE="$instance" MAMOS_TEMPORAL_DB_PORT="$PG_PORT" \
    MAMOS_TEMPORAL_DB_USER="$PG_USER" MAMOS_TEMPORAL_DB_PASSWORD="$(cat "$PG_DIR/password")" \
    setsid "$SERVER_DIR/bin/temporal-server" --config-file "$CLUSTER_CONFIG" start --service "$service" \
    </dev/null >>"$DIR/$name.log" 2>&1 &
  echo "$!" >"$DIR/$name.pid"
  log "Started $name (pid $!), log: $DIR/$name.log"
}

temporal_cli() {
  "$MAMOS_TEMPORAL_BIN" "$@" --address "127.0.0.1:$BASE_PORT" >>"$DIR/temporal-cli.log" 2>&1
}

# sql QUERY: its result from the cluster's database temporal, unaligned, fields split by a space.
sql() {
  PGPASSWORD="$(cat "$PG_DIR/password")" psql -h 127.0.0.1 -p "$PG_PORT" -U "$PG_USER" -d temporal -tA -F ' ' -c "$1"
}

# Temporal's role numbers in its cluster_membership table.
declare -A ROLE=([frontend]=1 [history]=2 [matching]=3 [worker]=4)
# Instances this run started, by service: they must show up with a session of this run.
declare -A STARTED=()

# joined SERVICE EXPECTED SINCE: true once EXPECTED instances of SERVICE on this cluster's ports
# heartbeat into the membership table (Temporal drops a member whose heartbeat is 20s old), and
# as many as this run started have a session begun after SINCE (UTC): a killed instance's record
# stays fresh for a while, its restarted successor must have joined anew.
joined() {
  local service="$1" expected="$2" since="$3" counts
  counts="$(sql "SELECT count(DISTINCT rpc_port), count(*) FILTER (WHERE session_start >= '$since')
       FROM cluster_membership
      WHERE role = ${ROLE[$service]} AND rpc_port BETWEEN $BASE_PORT AND $((BASE_PORT + 39))
        AND last_heartbeat > (now() AT TIME ZONE 'UTC') - interval '20 seconds'")" || return 1
  local live="${counts% *}" new="${counts#* }"
  ((live >= expected && new >= ${STARTED[$service]:-0}))
}

# await_frontend DEADLINE NAME...: until the frontend serves; fails as soon as one of the
# instances NAME exited.
await_frontend() {
  local deadline="$1" name
  shift
  until temporal_cli operator cluster health; do
    for name in "$@"; do
      pid_alive "$(cat "$DIR/$name.pid")" || { tail -n 30 "$DIR/$name.log" >&2; die "$name exited (log: $DIR/$name.log)"; }
    done
    ((SECONDS < deadline)) || die "the frontend did not answer on 127.0.0.1:$BASE_PORT within ${STARTUP_SECONDS}s (logs in $DIR)"
    sleep 1
  done
}

# await_ready SINCE DEADLINE: until the frontend serves, `default` exists and lists, and every
# instance joined (those started by this run with a session after SINCE).
await_ready() {
  local since="$1" deadline="$2"
  local names
  mapfile -t names < <(instances | awk '{print $1 "-" $2}')
  await_frontend "$deadline" "${names[@]}"
  if ! temporal_cli operator namespace describe --namespace default; then
    log "Registering the namespace default (retention $TEMPORAL_CLUSTER_RETENTION)"
    temporal_cli operator namespace create --namespace default --retention "$TEMPORAL_CLUSTER_RETENTION" \
      || temporal_cli operator namespace describe --namespace default \
      || die "could not register the namespace default (see $DIR/temporal-cli.log)"
  fi
  # The orchestrator's own list query: SQL advanced visibility answers it.
  until temporal_cli workflow list --namespace default --limit 1 \
    --query "WorkflowType = 'AgentLivenessWorkflow' AND ExecutionStatus = 'Running'"; do
    ((SECONDS < deadline)) || die "visibility of default did not answer within ${STARTUP_SECONDS}s (see $DIR/temporal-cli.log)"
    sleep 1
  done
  local service count
  for service in frontend history matching worker; do
    count="$(instances | grep -c "^$service ")"
    until joined "$service" "$count" "$since"; do
      ((SECONDS < deadline)) || die "not every $service instance joined the cluster within ${STARTUP_SECONDS}s (logs in $DIR)"
      sleep 1
    done
  done
}

start_cluster() {
  local started=$SECONDS
  [[ "$BASE_PORT" =~ ^[0-9]+$ && "$PG_PORT" =~ ^[0-9]+$ ]] || die "BASE_PORT and PG_PORT are port numbers"
  # Temporal keeps each member's port in a SMALLINT column of its cluster_membership table.
  ((BASE_PORT + 39 <= 32767)) || die "BASE_PORT must be at most 32728: Temporal's membership table keeps ports as a SMALLINT"
  ((HISTORY_INSTANCES >= 1 && HISTORY_INSTANCES <= 5 && MATCHING_INSTANCES >= 1 && MATCHING_INSTANCES <= 5)) \
    || die "1 to 5 history and matching instances (the port layout has room for 5)"
  [[ -s "$PG_DIR/password" ]] || die "no PostgreSQL of scripts/postgres.sh in $PG_DIR (start it first)"
  command -v psql >/dev/null || die "psql is needed (Debian's postgresql-client)"
  mkdir -p "$DIR"
  DIR="$(cd "$DIR" && pwd)"
  ensure_temporal_server
  SERVER_DIR="$MAMOS_TEMPORAL_SERVER_DIR"
  ensure_temporal
  log "Setting up the schemas of temporal and temporal_visibility on 127.0.0.1:$PG_PORT (log: $DIR/schema.log)"
  setup_schema temporal temporal
  setup_schema temporal_visibility visibility
  local since deadline=$((SECONDS + STARTUP_SECONDS))
  since="$(date -u '+%F %T.%N')"
  # The frontend first, the others once the cluster's metadata record exists: the first process
  # on a new database writes it, and others starting that moment fail ("Failed to apply cluster
  # metadata"). Not until the frontend serves: alone, it waits out the join of members that a
  # stop left in the membership table.
  start_instance frontend 0
  until [[ "$(sql "SELECT count(*) FROM cluster_metadata_info")" -ge 1 ]]; do
    pid_alive "$(cat "$DIR/frontend-0.pid")" || { tail -n 30 "$DIR/frontend-0.log" >&2; die "frontend-0 exited (log: $DIR/frontend-0.log)"; }
    ((SECONDS < deadline)) || die "frontend-0 wrote no cluster metadata within ${STARTUP_SECONDS}s (log: $DIR/frontend-0.log)"
    sleep 0.2
  done
  while read -r service instance; do
    [[ "$service" == frontend ]] || start_instance "$service" "$instance"
  done < <(instances)
  await_ready "$since" "$deadline"
  log "Temporal cluster up in $((SECONDS - started))s: frontend 127.0.0.1:$BASE_PORT, namespace default, $(instances | wc -l) instances (logs in $DIR)"
}

# pid_names DIR: the instance names that have a pid file in DIR.
pid_names() {
  local file
  for file in "$1"/*.pid; do
    [[ -e "$file" ]] && basename "$file" .pid
  done
}

# stop_instances NAME...: SIGTERM to each, then waits for all (SIGKILL after 30s).
stop_instances() {
  local name pid
  for name in "$@"; do
    pid="$(running_pid "$DIR" "$name")" || continue
    log "Stopping $name (pid $pid)"
    kill -TERM "$pid" 2>/dev/null || true
  done
  for name in "$@"; do
    pid="$(running_pid "$DIR" "$name")" || continue
    await_exit "$name" "$pid" 30
  done
}

stop_cluster() {
  [[ -d "$DIR" ]] || return 0
  # The worker service first: its system workers drain through the frontend, and without one
  # its shutdown waits out the 30s.
  local name workers=() others=()
  for name in $(pid_names "$DIR"); do
    if [[ "$name" == worker-* ]]; then workers+=("$name"); else others+=("$name"); fi
  done
  stop_instances "${workers[@]}"
  stop_instances "${others[@]}"
}

status_cluster() {
  local name pid
  for name in $(pid_names "$DIR"); do
    if pid="$(running_pid "$DIR" "$name")"; then
      printf '%-12s %-8s running\n' "$name" "$pid"
    else
      printf '%-12s %-8s stopped\n' "$name" "-"
    fi
  done
}

case "${1:-}" in
  start)
    (($# == 5)) || { usage >&2; exit 2; }
    DIR="$2" BASE_PORT="$3" PG_DIR="$4" PG_PORT="$5"
    start_cluster
    ;;
  build)
    (($# == 1)) || { usage >&2; exit 2; }
    ensure_temporal_server
    printf '%s\n' "$MAMOS_TEMPORAL_SERVER_DIR"
    ;;
  stop) (($# == 2)) || { usage >&2; exit 2; }; DIR="$2"; stop_cluster ;;
  status) (($# == 2)) || { usage >&2; exit 2; }; DIR="$2"; status_cluster ;;
  -h | --help) usage ;;
  *) usage >&2; exit 2 ;;
esac
