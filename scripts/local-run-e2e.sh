#!/usr/bin/env bash
# The newcomer's path, end to end: scripts/mamos-local.sh run as the README says (in a temporary
# data folder, on free ports), its dashboard driven in Debian's Chromium (sign in, a first job from
# the new-job form, its output), then a Ctrl-C, after which nothing it started may be left running.
set -euo pipefail

# shellcheck source-path=SCRIPTDIR source=lib/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"
# shellcheck source-path=SCRIPTDIR source=lib/local-services.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/local-services.sh"

usage() {
  cat <<EOF_USAGE
Usage: scripts/local-run-e2e.sh [--build] [--keep] [-h|--help]

Checks scripts/mamos-local.sh the way a newcomer uses it:
  1. starts it in its own process group, with its data in a temporary folder and every port free
     (DATA_DIR, TEMPORAL_PORT, ORCHESTRATOR_PORT, ... as scripts/lib/common.sh reads them), and
     waits for "MAMOS is running." (at most 10 minutes);
  2. runs dashboard/e2e/local-run.spec.ts in Debian's Chromium against the dashboard URL it
     printed: signs in as admin with the password from the file it named, waits for the agent
     online, runs echo from the new-job form and sees its output;
  3. sends SIGINT to its process group, as Ctrl-C in its terminal does, and checks that it exits
     within 60 s, that every process it started is gone and that its ports are free again.
Prints how long the first job's output took to show, counted from the start of mamos-local.sh.

Options:
  --build   let mamos-local.sh build the jars (by default it runs with --no-build when both jars
            exist); the dashboard is built by mamos-local.sh whenever its sources changed
  --keep    keep the temporary folder even when everything passed
  -h, --help  show this help
EOF_USAGE
}

local_args=()
keep=false
build=false
while (($#)); do
  case "$1" in
    --build) build=true ;;
    --keep) keep=true ;;
    -h | --help) usage; exit 0 ;;
    *) usage >&2; die "unknown option: $1" ;;
  esac
  shift
done
if ! $build && [[ -f "$ORCHESTRATOR_JAR" && -f "$AGENT_JAR" ]]; then
  local_args+=(--no-build)
fi

ensure_java
ensure_chromium
command -v node >/dev/null || die "node (20.9 or newer) is not on PATH"

WORK_DIR="$(mktemp -d "${TMPDIR:-/tmp}/mamos-local-run-e2e.XXXXXX")"
local_pid=""
succeeded=false
cleanup() {
  # Only if the check itself failed before the stop: the stop is what is being tested.
  if [[ -n "$local_pid" ]] && pid_alive "$local_pid"; then
    kill -TERM -- "-$local_pid" 2>/dev/null || true
    wait "$local_pid" 2>/dev/null || true
  fi
  if $succeeded && ! $keep; then
    rm -rf "$WORK_DIR"
  else
    log "Output, logs and data kept in $WORK_DIR"
  fi
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

read -r temporal_port temporal_ui_port orchestrator_port gateway_port agent_metrics_port dashboard_port \
  <<<"$(free_ports 6)"
ports=("$temporal_port" "$temporal_ui_port" "$orchestrator_port" "$gateway_port" "$agent_metrics_port" "$dashboard_port")
output="$WORK_DIR/mamos-local.out"
data_dir="$WORK_DIR/data"

log "Starting scripts/mamos-local.sh ${local_args[*]} (data $data_dir, output $output)"
started=$SECONDS
# Its own process group (job control on for this one start), so that SIGINT reaches it and its
# children as a terminal's Ctrl-C does; a background job of a script would otherwise ignore SIGINT.
set -m
DATA_DIR="$data_dir" TEMPORAL_PORT="$temporal_port" TEMPORAL_UI_PORT="$temporal_ui_port" \
  ORCHESTRATOR_PORT="$orchestrator_port" GATEWAY_PORT="$gateway_port" \
  AGENT_METRICS_PORT="$agent_metrics_port" DASHBOARD_PORT="$dashboard_port" \
  "$ROOT/scripts/mamos-local.sh" "${local_args[@]}" >"$output" 2>&1 &
local_pid=$!
set +m

deadline=$((SECONDS + 600))
until grep -q '^MAMOS is running\.' "$output"; do
  if ! pid_alive "$local_pid"; then
    tail -n 40 "$output" >&2
    die "scripts/mamos-local.sh exited before it was running"
  fi
  if ((SECONDS > deadline)); then
    tail -n 40 "$output" >&2
    die "scripts/mamos-local.sh was not running after 600s"
  fi
  sleep 1
done
log "mamos-local.sh says MAMOS is running after $((SECONDS - started))s"

# The URL and the password file are taken from what it printed, as a person would.
dashboard_url="$(sed -nE 's/^  Dashboard +: (http[^ ]+).*/\1/p' "$output" | head -n 1)"
password_file="$(sed -nE 's/^  Dashboard +: .*password in ([^)]+)\).*/\1/p' "$output" | head -n 1)"
orchestrator_url="$(sed -nE 's/^  Orchestrator API +: (http[^ ]+).*/\1/p' "$output" | head -n 1)"
[[ "$dashboard_url" == "http://localhost:$dashboard_port" ]] \
  || die "mamos-local.sh printed the dashboard URL '$dashboard_url', not http://localhost:$dashboard_port"
[[ -s "$password_file" ]] || die "the admin password file it named ('$password_file') is missing or empty"
# The dashboard URL comes first: it is what a newcomer opens.
first_url="$(grep -m 1 -E '^  [A-Z][A-Za-z ]+: ' "$output")"
[[ "$first_url" == "  Dashboard"* ]] || die "the first address mamos-local.sh printed is not the dashboard's: $first_url"

screenshots="$WORK_DIR/screenshots"
mkdir -p "$screenshots"
log "Running the Playwright test of the local run (dashboard/e2e/local-run.spec.ts) against $dashboard_url"
(cd "$ROOT/dashboard" && E2E_BASE_URL="$dashboard_url" E2E_API_URL="$orchestrator_url" \
  E2E_ADMIN_PASSWORD_FILE="$password_file" E2E_SCREENSHOT_DIR="$screenshots" CHROMIUM_BIN="$CHROMIUM_BIN" \
  node_modules/.bin/playwright test --config e2e/playwright.config.ts e2e/local-run.spec.ts) \
  || die "the local run's dashboard test failed; mamos-local.sh's output: $output, logs: $data_dir/logs"
log "First job's output shown in the dashboard $((SECONDS - started))s after mamos-local.sh started"

# Every process it started, by the pids it logged.
mapfile -t pids < <(sed -nE 's/.*Started [a-z-]+ \(pid ([0-9]+)\).*/\1/p' "$output")
((${#pids[@]} >= 4)) || die "mamos-local.sh logged ${#pids[@]} started processes, expected at least 4 (temporal, orchestrator, agent, dashboard)"
log "Ctrl-C: SIGINT to mamos-local.sh's process group (it started ${#pids[@]} processes: ${pids[*]})"
kill -INT -- "-$local_pid"
stop_deadline=$((SECONDS + 60))
while pid_alive "$local_pid" && ((SECONDS < stop_deadline)); do
  sleep 0.5
done
pid_alive "$local_pid" && die "mamos-local.sh still running 60s after Ctrl-C"
set +e
wait "$local_pid"
rc=$?
set -e
local_pid=""
((rc == 130)) || die "mamos-local.sh exited $rc after Ctrl-C, expected 130"
left=()
for pid in "${pids[@]}"; do
  if pid_alive "$pid"; then
    left+=("$pid")
  fi
done
((${#left[@]} == 0)) || die "still running after mamos-local.sh stopped: ${left[*]}"
for port in "${ports[@]}"; do
  port_in_use "$port" && die "port $port still in use after mamos-local.sh stopped"
done
log "mamos-local.sh stopped cleanly on Ctrl-C: exit 130, no process or port left"
succeeded=true
