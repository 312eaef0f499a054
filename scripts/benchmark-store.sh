#!/usr/bin/env bash
# Benchmarks reading a large orchestrator store (see docs/BENCHMARKS.md, "Store at 100,000 jobs").
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=lib/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"
BENCHMARKS_DIR="$DATA_DIR/benchmarks"

usage() {
  cat <<EOF_USAGE
Usage: scripts/benchmark-store.sh [--jobs N] [--keep] [-h|--help]

Starts a private orchestrator (and a Temporal dev server with an in-memory store) on free ports in a
temporary folder, submits one real job, stops the orchestrator and clones that job into N finished
jobs in its SQLite store (one in ten a fan-out to ten agents; 1 KiB of output per run), starts it
again and times, through the REST API, the first job page (50 and 200 jobs), a deep page, one job
and a fan-out's runs (p50 and max of 20 calls), and the store file's size. Prints JSON and writes
it to ${BENCHMARKS_DIR#"$ROOT"/}/store-<UTC timestamp>.json. Builds the jars only when missing.
  --jobs N   finished jobs in the store (default 100000)
  --keep     keep the temporary folder
EOF_USAGE
}

jobs=100000
keep=false
while (($#)); do
  case "$1" in
    --jobs) jobs="$2"; shift ;;
    --keep) keep=true ;;
    -h | --help) usage; exit 0 ;;
    *) usage >&2; die "unknown option: $1" ;;
  esac
  shift
done

work="$(mktemp -d "${TMPDIR:-/tmp}/mamos-benchmark-store.XXXXXX")"
LOG_DIR="$work"
stop_started() {
  trap '' INT TERM
  stop_processes
  if $keep; then log "Kept $work"; else rm -rf "$work"; fi
}
trap stop_started EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

ensure_java
ensure_temporal
ensure_jars
cp "$ORCHESTRATOR_JAR" "$work/mamos-orchestrator.jar"

read -r temporal_port temporal_ui_port orchestrator_port <<<"$(free_ports 3)"
temporal_target="localhost:$temporal_port"
orchestrator_url="http://localhost:$orchestrator_port"
start_process temporal "$MAMOS_TEMPORAL_BIN" server start-dev --headless \
  --port "$temporal_port" --ui-port "$temporal_ui_port" --log-level warn
deadline=$((SECONDS + 60))
until "$MAMOS_TEMPORAL_BIN" operator namespace describe --namespace default \
  --address "$temporal_target" >/dev/null 2>&1; do
  ((SECONDS < deadline)) || fail_with_log temporal "Temporal did not get ready within 60s"
  sleep 1
done

start_orchestrator() {
  start_process orchestrator env SERVER_PORT="$orchestrator_port" MAMOS_DATA_DIR="$work/orchestrator" \
    MAMOS_TEMPORAL_TARGET="$temporal_target" java -jar "$work/mamos-orchestrator.jar"
  orchestrator_pid="${started_pids[-1]}"
  wait_http "$orchestrator_url/health" 180 "$orchestrator_pid" \
    || fail_with_log orchestrator "the orchestrator did not become healthy"
}
stop_orchestrator() {
  kill -TERM "$orchestrator_pid"
  while pid_alive "$orchestrator_pid"; do sleep 0.2; done
}
token() {
  api POST "$orchestrator_url/api/v1/auth/token" \
    "{\"username\":\"admin\",\"password\":$(json_string "$(<"$work/orchestrator/admin-password")")}" \
    | json_field accessToken
}

start_orchestrator
access_token="$(token)"
enrollment_token="$(api POST "$orchestrator_url/api/v1/enrollment-tokens" '{"ttlSeconds":600}' \
  "$access_token" | json_field token)"
java -jar "$AGENT_JAR" enroll --server "$orchestrator_url" --token "$enrollment_token" \
  --config "$work/agent/agent.properties" >>"$work/agent.log" 2>&1 || fail_with_log agent "enrollment failed"
agent_id="$(sed -n 's/^agent\.id=//p' "$work/agent/agent.properties")"
# The agent never runs: the job only gives the store a real row of each kind to clone.
api POST "$orchestrator_url/api/v1/jobs" \
  "{\"agentId\":\"$agent_id\",\"command\":\"echo\",\"args\":[\"x\"],\"offlineWaitSeconds\":1}" \
  "$access_token" >/dev/null
stop_orchestrator

log "Filling the store with $jobs finished jobs"
started=$SECONDS
python3 "$ROOT/scripts/lib/benchmark_store.py" fill --db "$work/orchestrator/mamos.db" --jobs "$jobs"
log "Filled in $((SECONDS - started)) s; starting the orchestrator on it"

start_orchestrator
mkdir -p "$BENCHMARKS_DIR"
python3 "$ROOT/scripts/lib/benchmark_store.py" measure --url "$orchestrator_url" --token "$(token)" \
  --db "$work/orchestrator/mamos.db" --out "$BENCHMARKS_DIR/store-$(date -u +%Y%m%dT%H%M%SZ).json"
