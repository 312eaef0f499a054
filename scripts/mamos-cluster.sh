#!/usr/bin/env bash
# Starts MAMOS's multi-machine topology on this one machine: PostgreSQL, a real Temporal cluster
# on it, two orchestrator replicas on one PostgreSQL store behind a local load balancer (Debian's
# haproxy), an enrolled agent and the dashboard. Stays in the foreground; Ctrl-C stops exactly
# what it started.
set -euo pipefail

# shellcheck source-path=SCRIPTDIR source=lib/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"
# shellcheck source-path=SCRIPTDIR source=lib/local-services.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/local-services.sh"

REPLICAS="${MAMOS_CLUSTER_REPLICAS:-2}"
CLUSTER_PG_PORT="${CLUSTER_PG_PORT:-5440}"
# The replicas' own ports: API 4010, 4011, ...; agent gateway 4240, 4241, ...
REPLICA_API_BASE="${REPLICA_API_BASE:-4010}"
REPLICA_GATEWAY_BASE="${REPLICA_GATEWAY_BASE:-4240}"

usage() {
  cat <<EOF
Usage: scripts/mamos-cluster.sh [--no-build] [-h|--help]

Starts, in the foreground, on loopback:
  1. PostgreSQL (scripts/postgres.sh) on 127.0.0.1:$CLUSTER_PG_PORT, data in ${DATA_DIR#"$ROOT"/}/cluster/postgres;
  2. a real Temporal cluster on it (scripts/temporal-cluster.sh: the server built from source into
     .tools/ on first use, about 4 minutes; one frontend on $TEMPORAL_PORT, two history, two matching and
     one worker instance);
  3. $REPLICAS orchestrator replicas (API on $REPLICA_API_BASE.., agent gateway on $REPLICA_GATEWAY_BASE..) on one
     PostgreSQL database \`mamos\` and one data folder (${DATA_DIR#"$ROOT"/}/cluster/orchestrator: their shared
     keys and secrets), started one after the other;
  4. haproxy (Debian's package, installed when missing) on $ORCHESTRATOR_PORT (HTTP and WebSocket, a client
     kept on one replica by its address while it is up)
     and $GATEWAY_PORT (the agents' gRPC, TCP to any replica's gateway);
  5. one agent enrolled through the load balancer (once; ${DATA_DIR#"$ROOT"/}/cluster/agent/agent.properties) and the
     dashboard on $DASHBOARD_PORT against the load balancer.
Temporal has no Web UI in this topology (the UI server is not built here); job links point nowhere.
Logs: ${DATA_DIR#"$ROOT"/}/cluster/logs/. Set MAMOS_CLUSTER_REPLICAS for another number of replicas.

Options:
  --no-build   use the jars already in */target
  -h, --help   show this help
EOF
}

build=true
while (($#)); do
  case "$1" in
    --no-build) build=false ;;
    -h | --help) usage; exit 0 ;;
    *) usage >&2; die "unknown option: $1" ;;
  esac
  shift
done

CLUSTER_DIR="$DATA_DIR/cluster"
PG_DIR="$CLUSTER_DIR/postgres"
TEMPORAL_DIR="$CLUSTER_DIR/temporal"
ORCHESTRATOR_DATA="$CLUSTER_DIR/orchestrator"
AGENT_DATA="$CLUSTER_DIR/agent"
AGENT_CONFIG="$AGENT_DATA/agent.properties"
ADMIN_PASSWORD_FILE="$ORCHESTRATOR_DATA/admin-password"
LOG_DIR="$CLUSTER_DIR/logs"

cleanup() {
  stop_processes
  if [[ -d "$TEMPORAL_DIR" ]]; then
    "$ROOT/scripts/temporal-cluster.sh" stop "$TEMPORAL_DIR" || true
  fi
  "$ROOT/scripts/postgres.sh" stop "$PG_DIR" || true
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

ensure_java
ensure_temporal
if ! command -v haproxy >/dev/null; then
  ((EUID == 0)) || die "haproxy is not installed (apt-get install --no-install-recommends haproxy)"
  log "Installing Debian's haproxy"
  apt-get update -qq >/dev/null
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends haproxy >/dev/null
fi
ports=("$ORCHESTRATOR_PORT" "$GATEWAY_PORT" "$DASHBOARD_PORT" "$CLUSTER_PG_PORT" "$TEMPORAL_PORT")
for ((i = 0; i < REPLICAS; i++)); do
  ports+=($((REPLICA_API_BASE + i)) $((REPLICA_GATEWAY_BASE + i)))
done
for port in "${ports[@]}"; do
  port_in_use "$port" && die "port $port is already in use (is MAMOS already running?)"
done

if $build; then
  log "Building the jars (./mvnw -B -q package -DskipTests)"
  (cd "$ROOT" && ./mvnw -B -q package -DskipTests)
fi
[[ -f "$ORCHESTRATOR_JAR" && -f "$AGENT_JAR" ]] || die "missing jars; run without --no-build"
mkdir -p "$LOG_DIR" "$ORCHESTRATOR_DATA" "$AGENT_DATA"
chmod 700 "$ORCHESTRATOR_DATA" "$AGENT_DATA"
ensure_dashboard_deps
ensure_dashboard_build

# --- PostgreSQL and Temporal -------------------------------------------------------
"$ROOT/scripts/postgres.sh" start "$PG_DIR" "$CLUSTER_PG_PORT"
"$ROOT/scripts/postgres.sh" createdb "$PG_DIR" "$CLUSTER_PG_PORT" mamos
log "Starting the Temporal cluster (frontend 127.0.0.1:$TEMPORAL_PORT)"
"$ROOT/scripts/temporal-cluster.sh" start "$TEMPORAL_DIR" "$TEMPORAL_PORT" "$PG_DIR" "$CLUSTER_PG_PORT"

# --- orchestrator replicas -----------------------------------------------------------
for ((i = 0; i < REPLICAS; i++)); do
  api_port=$((REPLICA_API_BASE + i))
  log "Starting orchestrator replica $i on 127.0.0.1:$api_port (gateway $((REPLICA_GATEWAY_BASE + i)))"
  start_process "orchestrator-$i" env \
    SERVER_PORT="$api_port" \
    SERVER_ADDRESS=127.0.0.1 \
    MAMOS_DATA_DIR="$ORCHESTRATOR_DATA" \
    MAMOS_STORE_URL="jdbc:postgresql://127.0.0.1:$CLUSTER_PG_PORT/mamos" \
    MAMOS_STORE_USERNAME=mamos \
    MAMOS_STORE_PASSWORD_FILE="$PG_DIR/password" \
    MAMOS_TEMPORAL_TARGET="127.0.0.1:$TEMPORAL_PORT" \
    MAMOS_GATEWAY_PORT=$((REPLICA_GATEWAY_BASE + i)) \
    MAMOS_GATEWAY_BIND_ADDRESS=127.0.0.1 \
    MAMOS_GATEWAY_ADVERTISED_TARGET="127.0.0.1:$GATEWAY_PORT" \
    MAMOS_DASHBOARD_URL="$DASHBOARD_URL" \
    MAMOS_LIVE_ALLOWED_ORIGINS="$DASHBOARD_URL" \
    MAMOS_HTTP_TRUSTED_PROXIES="127.0.0.1,::1" \
    java -jar "$ORCHESTRATOR_JAR"
  # One after the other: the first creates the schema and the shared secrets.
  wait_http "http://127.0.0.1:$api_port/health" 180 "${started_pids[-1]}" \
    || fail_with_log "orchestrator-$i" "orchestrator replica $i did not become healthy"
done

# --- load balancer -------------------------------------------------------------------
{
  cat <<EOF_CFG
# Written by scripts/mamos-cluster.sh: any replica answers any request.
global
  maxconn 4096
defaults
  timeout connect 5s
  timeout client 1h
  timeout server 1h
  timeout tunnel 1h
frontend api
  mode http
  bind 127.0.0.1:$ORCHESTRATOR_PORT
  option forwardfor
  default_backend orchestrators
backend orchestrators
  mode http
  # Sticky by client address: a live-feed ticket is still kept by the replica that issued it, and
  # a change pushed to the WebSocket clients of the replica that saw it (docs/DEPLOYMENT.md).
  balance source
  hash-type consistent
  option httpchk GET /health
EOF_CFG
  for ((i = 0; i < REPLICAS; i++)); do
    echo "  server replica-$i 127.0.0.1:$((REPLICA_API_BASE + i)) check inter 2s"
  done
  cat <<EOF_CFG
frontend gateway
  mode tcp
  bind 127.0.0.1:$GATEWAY_PORT
  default_backend gateways
backend gateways
  mode tcp
  balance leastconn
EOF_CFG
  for ((i = 0; i < REPLICAS; i++)); do
    echo "  server gateway-$i 127.0.0.1:$((REPLICA_GATEWAY_BASE + i)) check port $((REPLICA_API_BASE + i)) inter 2s"
  done
} >"$CLUSTER_DIR/haproxy.cfg"
haproxy -c -q -f "$CLUSTER_DIR/haproxy.cfg" || die "haproxy refused $CLUSTER_DIR/haproxy.cfg"
start_process haproxy haproxy -db -f "$CLUSTER_DIR/haproxy.cfg"
wait_http "$ORCHESTRATOR_URL/health" 30 "${started_pids[-1]}" || fail_with_log haproxy "the load balancer did not answer"

# --- agent and dashboard ---------------------------------------------------------------
admin_password="$(<"$ADMIN_PASSWORD_FILE")"
access_token="$(api POST "$ORCHESTRATOR_URL/api/v1/auth/token" \
  "{\"username\":\"admin\",\"password\":$(json_string "$admin_password")}" | json_field accessToken)"
if [[ ! -f "$AGENT_CONFIG" ]]; then
  log "Enrolling an agent through the load balancer"
  enrollment_token="$(api POST "$ORCHESTRATOR_URL/api/v1/enrollment-tokens" '{"ttlSeconds":600}' \
    "$access_token" | json_field token)"
  java -jar "$AGENT_JAR" enroll --server "$ORCHESTRATOR_URL" --token "$enrollment_token" \
    --config "$AGENT_CONFIG" >>"$LOG_DIR/agent.log" 2>&1 || fail_with_log agent "agent enrollment failed"
fi
start_process agent env MAMOS_AGENT_METRICS_ADDRESS="127.0.0.1:$AGENT_METRICS_PORT" MALLOC_ARENA_MAX=2 \
  java "@$AGENT_JVM_OPTIONS" -jar "$AGENT_JAR" run --config "$AGENT_CONFIG"
start_dashboard "$DASHBOARD_PORT" "$ORCHESTRATOR_URL"

cat <<EOF

MAMOS (cluster topology) is running.
  Dashboard          : $DASHBOARD_URL  (user admin, password in $ADMIN_PASSWORD_FILE)
  API (load balancer): $ORCHESTRATOR_URL  -> replicas 127.0.0.1:$REPLICA_API_BASE..$((REPLICA_API_BASE + REPLICAS - 1))
  Agent gateway (LB) : $GATEWAY_TARGET  -> replicas 127.0.0.1:$REPLICA_GATEWAY_BASE..$((REPLICA_GATEWAY_BASE + REPLICAS - 1))
  Temporal frontend  : 127.0.0.1:$TEMPORAL_PORT  (instances: scripts/temporal-cluster.sh status $TEMPORAL_DIR)
  PostgreSQL         : 127.0.0.1:$CLUSTER_PG_PORT  (user mamos, password in $PG_DIR/password)
  Logs               : $LOG_DIR/ and $TEMPORAL_DIR/*.log

Press Ctrl-C to stop.
EOF

set +e
wait -n "${started_pids[@]}"
set -e
for i in "${!started_pids[@]}"; do
  if ! pid_alive "${started_pids[i]}"; then
    fail_with_log "${started_names[i]}" "${started_names[i]} exited on its own; stopping the rest"
  fi
done
