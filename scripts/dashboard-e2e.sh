#!/usr/bin/env bash
# End-to-end test of the dashboard in a real Chromium against a real MAMOS stack: a Temporal
# dev server, the orchestrator, one enrolled agent and the built dashboard, all on free ports
# with their state in a temporary folder. Everything it starts is stopped when it exits.
set -euo pipefail

# shellcheck source-path=SCRIPTDIR source=lib/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"
# shellcheck source-path=SCRIPTDIR source=lib/local-services.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/local-services.sh"

DASHBOARD_DIR="$ROOT/dashboard"
CHROMIUM_BIN="${CHROMIUM_BIN:-/usr/bin/chromium}"
SCREENSHOT_DIR="$DASHBOARD_DIR/e2e-screenshots"
E2E_AGENT_HOSTNAME="${E2E_AGENT_HOSTNAME:-e2e-agent}"
E2E_AGENT2_HOSTNAME="${E2E_AGENT2_HOSTNAME:-e2e-agent-web}"

usage() {
  cat <<EOF_USAGE
Usage: scripts/dashboard-e2e.sh [--no-build] [--serve] [--keep] [-h|--help] [-- PLAYWRIGHT_ARGS...]

Runs the dashboard's Playwright tests (dashboard/e2e/) in Debian's Chromium ($CHROMIUM_BIN)
against a real stack that this script starts on free ports in a temporary folder:
  1. finds or installs the Temporal CLI (see scripts/lib/common.sh) and Chromium; checks java;
  2. builds the jars with ./mvnw -B -q package -DskipTests if either is missing;
  3. installs the dashboard's dependencies (npm ci) if needed and builds it (npm run build);
  4. starts the Temporal dev server, the orchestrator (liveness every 2s), enrolls an agent
     named '$E2E_AGENT_HOSTNAME' and starts it, then starts the dashboard (next start);
  5. runs the tests of e2e/dashboard.spec.ts, e2e/users-and-roles.spec.ts, then
     e2e/live-reconnect.spec.ts, during which it restarts the orchestrator; then enrolls a
     second agent '$E2E_AGENT2_HOSTNAME' with labels env=e2e,role=web and runs
     e2e/fanout-and-schedules.spec.ts; screenshots of each page go to ${SCREENSHOT_DIR#"$ROOT"/}/;
  6. stops everything it started, in reverse order.

Logs and data are kept in the temporary folder when something fails (its path is printed).

Options:
  --no-build   use the dashboard's existing build (.next) instead of running npm run build
  --serve      start the stack and keep it running (no tests) until Ctrl-C; prints the URLs
  --keep       keep the temporary folder even when everything passed
  -h, --help   show this help
Arguments after -- go to \`playwright test\` unchanged (e.g. -- --grep cancel).

Needs: java 17+, python3, node 20.9+ with npm, and Chromium (installed with apt-get when
missing and running as root on Debian/Ubuntu; elsewhere set CHROMIUM_BIN).
EOF_USAGE
}

build=true
serve=false
keep=false
playwright_args=()
while (($#)); do
  case "$1" in
    --no-build) build=false ;;
    --serve) serve=true ;;
    --keep) keep=true ;;
    -h | --help) usage; exit 0 ;;
    --) shift; playwright_args=("$@"); break ;;
    *) usage >&2; die "unknown option: $1" ;;
  esac
  shift
done

# --- processes we started (scripts/lib/common.sh), stopped on exit -----------
WORK_DIR=""
succeeded=false

stop_started() {
  stop_processes
  if [[ -n "$WORK_DIR" && -d "$WORK_DIR" ]]; then
    if $succeeded && ! $keep; then
      rm -rf "$WORK_DIR"
    else
      log "Logs and data kept in $WORK_DIR"
    fi
  fi
}
trap stop_started EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# timed LABEL COMMAND...: runs COMMAND and logs how long it took.
timed() {
  local label="$1" started=$SECONDS
  shift
  "$@"
  log "$label took $((SECONDS - started))s"
}

# --- preconditions -----------------------------------------------------------
ensure_java
ensure_temporal
command -v node >/dev/null || die "node (20.9 or newer) is not on PATH"
command -v npm >/dev/null || die "npm is not on PATH"
ensure_chromium

if [[ ! -f "$ORCHESTRATOR_JAR" || ! -f "$AGENT_JAR" ]]; then
  log "Building the jars (./mvnw -B -q package -DskipTests)"
  (cd "$ROOT" && timed "Building the jars" ./mvnw -B -q package -DskipTests)
fi

cd "$DASHBOARD_DIR"
if [[ ! -x node_modules/.bin/next || ! -x node_modules/.bin/playwright ]]; then
  log "Installing the dashboard's dependencies (npm ci)"
  timed "npm ci" npm ci --no-audit --no-fund
fi
export NEXT_TELEMETRY_DISABLED=1
if $build || [[ ! -f .next/BUILD_ID ]]; then
  log "Building the dashboard (npm run build)"
  timed "npm run build" npm run build
fi

WORK_DIR="$(mktemp -d "${TMPDIR:-/tmp}/mamos-dashboard-e2e.XXXXXX")"
LOG_DIR="$WORK_DIR/logs"
mkdir -p "$LOG_DIR" "$WORK_DIR/temporal" "$WORK_DIR/orchestrator" "$WORK_DIR/agent" "$WORK_DIR/agent2"
chmod 700 "$WORK_DIR/orchestrator" "$WORK_DIR/agent" "$WORK_DIR/agent2"
read -r temporal_port temporal_ui_port orchestrator_port gateway_port agent_metrics_port agent2_metrics_port \
  dashboard_port <<<"$(free_ports 7)"
orchestrator_url="http://localhost:$orchestrator_port"
dashboard_url="http://localhost:$dashboard_port"
log "Working in $WORK_DIR"

# --- Temporal ----------------------------------------------------------------
stack_started=$SECONDS
log "Starting the Temporal dev server on localhost:$temporal_port"
start_process temporal "$MAMOS_TEMPORAL_BIN" server start-dev --headless \
  --port "$temporal_port" --ui-port "$temporal_ui_port" \
  --db-filename "$WORK_DIR/temporal/temporal.db" "${TEMPORAL_SQLITE_PRAGMAS[@]}"
temporal_pid="${started_pids[-1]}"
deadline=$((SECONDS + 60))
until "$MAMOS_TEMPORAL_BIN" operator namespace describe --namespace default \
  --address "localhost:$temporal_port" >/dev/null 2>&1; do
  pid_alive "$temporal_pid" || fail_with_log temporal "the Temporal dev server exited"
  ((SECONDS < deadline)) || fail_with_log temporal "Temporal did not get ready within 60s"
  sleep 1
done

# --- orchestrator ------------------------------------------------------------
# start_orchestrator: starts it (again) on the same port and data folder, waits until healthy.
start_orchestrator() {
  log "Starting the orchestrator on $orchestrator_url"
  start_process orchestrator env \
    SERVER_PORT="$orchestrator_port" \
    MAMOS_DATA_DIR="$WORK_DIR/orchestrator" \
    MAMOS_TEMPORAL_TARGET="localhost:$temporal_port" \
    MAMOS_TEMPORAL_UI_URL="http://localhost:$temporal_ui_port" \
    MAMOS_GATEWAY_PORT="$gateway_port" \
    MAMOS_GATEWAY_BIND_ADDRESS=127.0.0.1 \
    MAMOS_LIVENESS_INTERVAL=2s \
    MAMOS_LIVENESS_HISTORY_INTERVAL=4s \
    MAMOS_JOBS_HEARTBEAT_TIMEOUT=5s \
    MAMOS_LIVE_ALLOWED_ORIGINS="$dashboard_url" \
    java -jar "$ORCHESTRATOR_JAR"
  orchestrator_pid="${started_pids[-1]}"
  wait_http "$orchestrator_url/health" 180 "$orchestrator_pid" \
    || fail_with_log orchestrator "the orchestrator did not become healthy"
}
start_orchestrator
admin_password_file="$WORK_DIR/orchestrator/admin-password"
[[ -s "$admin_password_file" ]] || die "the orchestrator is up but wrote no $admin_password_file"

# --- agent -------------------------------------------------------------------
# enroll_agent NAME HOSTNAME METRICS_PORT [TOKEN_JSON]: enrolls an agent with a fresh token
# (created with TOKEN_JSON, e.g. with labels) into $WORK_DIR/NAME and starts it.
enroll_agent() {
  local name="$1" hostname="$2" metrics_port="$3" token_json="${4:-}"
  [[ -n "$token_json" ]] || token_json='{"ttlSeconds":600}'
  local access_token enrollment_token
  access_token="$(api POST "$orchestrator_url/api/v1/auth/token" \
    "{\"username\":\"admin\",\"password\":$(json_string "$(<"$admin_password_file")")}" | json_field accessToken)"
  enrollment_token="$(api POST "$orchestrator_url/api/v1/enrollment-tokens" "$token_json" \
    "$access_token" | json_field token)"
  log "Enrolling agent '$hostname'"
  MAMOS_AGENT_TOKEN="$enrollment_token" java -jar "$AGENT_JAR" enroll --server "$orchestrator_url" \
    --config "$WORK_DIR/$name/agent.properties" --hostname "$hostname" \
    >>"$LOG_DIR/$name.log" 2>&1 || fail_with_log "$name" "agent enrollment failed"
  start_process "$name" java -jar "$AGENT_JAR" run --config "$WORK_DIR/$name/agent.properties" \
    --metrics-address "127.0.0.1:$metrics_port"
}
enroll_agent agent "$E2E_AGENT_HOSTNAME" "$agent_metrics_port"

# --- dashboard ---------------------------------------------------------------
log "Starting the dashboard on $dashboard_url"
start_process dashboard env MAMOS_API_URL="$orchestrator_url" \
  node_modules/.bin/next start --port "$dashboard_port" --hostname localhost
wait_http "$dashboard_url/login" 60 "${started_pids[-1]}" \
  || fail_with_log dashboard "the dashboard did not start"
log "Stack is up after $((SECONDS - stack_started))s"

if $serve; then
  cat <<EOF_SERVE

The stack is running.
  Dashboard    : $dashboard_url  (user admin, password in $admin_password_file)
  Orchestrator : $orchestrator_url
  Logs         : $LOG_DIR

Press Ctrl-C to stop.
EOF_SERVE
  set +e
  wait -n "${started_pids[@]}"
  set -e
  die "a process of the stack exited on its own; see $LOG_DIR"
fi

# --- tests -------------------------------------------------------------------
# run_playwright SPEC...: runs these spec files with the stack's addresses in E2E_*.
run_playwright() {
  E2E_BASE_URL="$dashboard_url" \
    E2E_API_URL="$orchestrator_url" \
    E2E_ADMIN_PASSWORD_FILE="$admin_password_file" \
    E2E_AGENT_HOSTNAME="$E2E_AGENT_HOSTNAME" \
    E2E_AGENT2_HOSTNAME="$E2E_AGENT2_HOSTNAME" \
    E2E_SCREENSHOT_DIR="$SCREENSHOT_DIR" \
    E2E_RESTART_REQUEST_FILE="$restart_request_file" \
    CHROMIUM_BIN="$CHROMIUM_BIN" \
    node_modules/.bin/playwright test --config e2e/playwright.config.ts --pass-with-no-tests \
    "$@" "${playwright_args[@]}"
}

rm -rf "$SCREENSHOT_DIR"
mkdir -p "$SCREENSHOT_DIR"
restart_request_file="$WORK_DIR/restart-orchestrator"
tests_started=$SECONDS

log "Running the Playwright tests: the pages (e2e/dashboard.spec.ts)"
run_playwright e2e/dashboard.spec.ts || die "Playwright tests failed; traces in $DASHBOARD_DIR/e2e-results"

log "Running the Playwright tests: users, audit and the VIEWER role (e2e/users-and-roles.spec.ts)"
run_playwright e2e/users-and-roles.spec.ts || die "Playwright tests failed; traces in $DASHBOARD_DIR/e2e-results"

# The reconnect test asks for an orchestrator restart (by creating the request file) while a
# page is open; this script does the restart, so it alone owns the processes.
log "Running the Playwright tests: live feed across an orchestrator restart (e2e/live-reconnect.spec.ts)"
run_playwright e2e/live-reconnect.spec.ts &
playwright_pid=$!
deadline=$((SECONDS + 120))
while [[ ! -e "$restart_request_file" ]] && pid_alive "$playwright_pid" && ((SECONDS < deadline)); do
  sleep 0.5
done
if [[ -e "$restart_request_file" ]]; then
  log "Restarting the orchestrator, as the test asked"
  kill -TERM "$orchestrator_pid"
  wait "$orchestrator_pid" 2>/dev/null || true
  start_orchestrator
fi
wait "$playwright_pid" || die "Playwright tests failed; traces in $DASHBOARD_DIR/e2e-results"

# A second agent, with labels from its enrollment token, for the fan-out tests.
enroll_agent agent2 "$E2E_AGENT2_HOSTNAME" "$agent2_metrics_port" \
  '{"ttlSeconds":600,"labels":{"env":"e2e","role":"web"}}'
log "Running the Playwright tests: fan-out, labels and schedules (e2e/fanout-and-schedules.spec.ts)"
run_playwright e2e/fanout-and-schedules.spec.ts || die "Playwright tests failed; traces in $DASHBOARD_DIR/e2e-results"

succeeded=true
log "Playwright tests passed in $((SECONDS - tests_started))s; screenshots in $SCREENSHOT_DIR"
