#!/usr/bin/env bash
# Benchmarks MAMOS on a stack of its own (see docs/BENCHMARKS.md for what each figure means).
set -euo pipefail

# shellcheck source-path=SCRIPTDIR source=lib/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"

BENCHMARKS_DIR="$DATA_DIR/benchmarks"
# Heartbeat interval of the benchmark stack's agents; offline detection is judged against it.
BENCH_LIVENESS_INTERVAL_S="${BENCH_LIVENESS_INTERVAL_S:-5}"

usage() {
  cat <<EOF
Usage: scripts/benchmark.sh [options]

Starts a private MAMOS stack on free ports in a temporary folder (Temporal dev server with
an in-memory store, the orchestrator with a ${BENCH_LIVENESS_INTERVAL_S}s liveness interval, one real agent),
measures it, prints a table and writes JSON to ${BENCHMARKS_DIR#"$ROOT"/}/<UTC timestamp>.json:
  (1) submit-to-result latency of one trivial job on one real agent (p50/p95/p99);
  (2) the floor: a bare one-activity Temporal workflow via the SDK, and the ratio (1)/(2);
  (5) the idle real agent's RSS and CPU, the orchestrator's and Temporal's;
  (6) seconds from kill -9 of the agent to OFFLINE in the store;
  (4) sustained throughput with simulated agents (mamos-agent simulate);
  (3) one job to N simulated agents (targets.agentIds), until every run is final in the store,
      next to the fan-out floor: one bare workflow, one activity on each of N queues;
  (5) the orchestrator's RSS and CPU with the largest simulated fleet heartbeating.
Builds the jars only when they are missing. Stops everything it started on exit.
Takes about 10 minutes with the defaults; run it on a quiet machine.

Environment: AGENT_JAVA_OPTS  JVM options of the real agent (default: the shipped ones, scripts/lib/agent-jvm.options;
                              AGENT_JAVA_OPTS= (empty) for the JVM's defaults).

Options:
  --iterations N          latency and floor runs measured, after 20 warm-up runs (default 200)
  --fleet-sizes A,B       simulated fleet sizes for fan-out; the largest also for footprint
                          (after --fleet-settle seconds; with Temporal's request mix)
                          (default 100,1000; empty to skip)
  --throughput-agents N   simulated agents for the throughput run (default 50)
  --throughput-seconds N  length of the throughput run; 0 skips it (default 60)
  --idle-seconds N        idle time of the real agent before its footprint (default 60)
  --fleet-settle N        seconds the largest fleet runs ONLINE before its footprint (default 30)
  --no-fan-out            measure the largest fleet's footprint only, no fan-out
  --keep                  keep the temporary folder (logs) instead of deleting it
  -h, --help              show this help
EOF
}

iterations=200
fleet_sizes="100,1000"
throughput_agents=50
throughput_seconds=60
idle_seconds=60
fleet_settle=30
fan_out=true
keep=false
original_args="$*"
while (($#)); do
  case "$1" in
    --iterations) iterations="$2"; shift ;;
    --fleet-sizes) fleet_sizes="$2"; shift ;;
    --throughput-agents) throughput_agents="$2"; shift ;;
    --throughput-seconds) throughput_seconds="$2"; shift ;;
    --idle-seconds) idle_seconds="$2"; shift ;;
    --fleet-settle) fleet_settle="$2"; shift ;;
    --no-fan-out) fan_out=false ;;
    --keep) keep=true ;;
    -h | --help) usage; exit 0 ;;
    *) usage >&2; die "unknown option: $1" ;;
  esac
  shift
done

# --- processes we started, stopped in reverse order on exit ------------------
work="$(mktemp -d "${TMPDIR:-/tmp}/mamos-benchmark.XXXXXX")"
pids_file="$work/pids"   # benchmark.py appends the simulators it starts here
LOG_DIR="$work"          # start_process (scripts/lib/common.sh) logs here

stop_started() {
  local pid
  # A second Ctrl-C or TERM must not cut the clean-up short and leave processes behind.
  trap '' INT TERM
  if [[ -s "$pids_file" ]]; then
    while read -r pid; do
      # Only our own simulators, each by its id.
      if pid_alive "$pid"; then kill -TERM "$pid" 2>/dev/null || true; fi
    done <"$pids_file"
  fi
  stop_processes
  if $keep; then
    log "Kept $work"
  else
    rm -rf "$work"
  fi
}
trap stop_started EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# --- preconditions -----------------------------------------------------------
ensure_java
ensure_temporal
ensure_jars
# Copies, so a rebuild elsewhere in the tree cannot swap a jar under a running benchmark.
cp "$ORCHESTRATOR_JAR" "$work/mamos-orchestrator.jar"
cp "$AGENT_JAR" "$work/mamos-agent.jar"
orchestrator_jar="$work/mamos-orchestrator.jar"
agent_jar="$work/mamos-agent.jar"
if (($(awk '{print int($1)}' /proc/loadavg) >= $(nproc))); then
  warn "load average $(cut -d' ' -f1 /proc/loadavg) on $(nproc) CPUs: figures will be pessimistic"
fi

read -r temporal_port temporal_ui_port temporal_metrics_port orchestrator_port gateway_port <<<"$(free_ports 5)"
temporal_target="localhost:$temporal_port"
orchestrator_url="http://localhost:$orchestrator_port"

# --- Temporal (in-memory store: nothing of the benchmark outlives it) --------
# 1,000 simulated agents each hold a long poll and heartbeat; raise the dev server's caps on
# concurrent long polls per namespace (1,200) and on requests per second (2,400), which the
# fleet otherwise hits ("namespace rate limit exceeded"), so they are not what is measured.
start_process temporal "$MAMOS_TEMPORAL_BIN" server start-dev --headless \
  --port "$temporal_port" --ui-port "$temporal_ui_port" --metrics-port "$temporal_metrics_port" --log-level warn \
  --dynamic-config-value frontend.namespaceCount=10000 \
  --dynamic-config-value frontend.namespaceRPS=50000 \
  --dynamic-config-value frontend.rps=50000
temporal_pid="${started_pids[-1]}"
deadline=$((SECONDS + 60))
until "$MAMOS_TEMPORAL_BIN" operator namespace describe --namespace default \
  --address "$temporal_target" >/dev/null 2>&1; do
  pid_alive "$temporal_pid" || fail_with_log temporal "the Temporal dev server exited"
  ((SECONDS < deadline)) || fail_with_log temporal "Temporal did not get ready within 60s"
  sleep 1
done
log "Temporal is ready on $temporal_target"

# --- orchestrator ------------------------------------------------------------
start_process orchestrator env \
  SERVER_PORT="$orchestrator_port" \
  MAMOS_DATA_DIR="$work/orchestrator" \
  MAMOS_TEMPORAL_TARGET="$temporal_target" \
  MAMOS_GATEWAY_PORT="$gateway_port" \
  MAMOS_GATEWAY_BIND_ADDRESS=127.0.0.1 \
  MAMOS_LIVENESS_INTERVAL="${BENCH_LIVENESS_INTERVAL_S}s" \
  java -jar "$orchestrator_jar"
orchestrator_pid="${started_pids[-1]}"
wait_http "$orchestrator_url/health" 180 "$orchestrator_pid" \
  || fail_with_log orchestrator "the orchestrator did not become healthy"
admin_password_file="$work/orchestrator/admin-password"
[[ -s "$admin_password_file" ]] || die "the orchestrator wrote no $admin_password_file"
log "The orchestrator is healthy on $orchestrator_url"

# --- one real agent ------------------------------------------------------------
access_token="$(api POST "$orchestrator_url/api/v1/auth/token" \
  "{\"username\":\"admin\",\"password\":$(json_string "$(<"$admin_password_file")")}" | json_field accessToken)"
enrollment_token="$(api POST "$orchestrator_url/api/v1/enrollment-tokens" '{"ttlSeconds":600}' \
  "$access_token" | json_field token)"
agent_config="$work/agent/agent.properties"
java -jar "$agent_jar" enroll --server "$orchestrator_url" --token "$enrollment_token" \
  --config "$agent_config" --allow /usr/bin/echo,/usr/bin/true >>"$work/agent.log" 2>&1 \
  || fail_with_log agent "agent enrollment failed"
agent_id="$(sed -n 's/^agent\.id=//p' "$agent_config")"
[[ -n "$agent_id" ]] || die "no agent.id in $agent_config"
# The shipped JVM options (and MALLOC_ARENA_MAX=2, as the launchers set) unless AGENT_JAVA_OPTS is set.
agent_java_opts="${AGENT_JAVA_OPTS-$(sed -e 's/#.*//' "$AGENT_JVM_OPTIONS" | xargs)}"
# shellcheck disable=SC2086 # the JVM options are several words on purpose.
start_process agent env MALLOC_ARENA_MAX=2 java $agent_java_opts -jar "$agent_jar" run --config "$agent_config" --metrics-address off
agent_pid="${started_pids[-1]}"

# --- measure -------------------------------------------------------------------
mkdir -p "$BENCHMARKS_DIR"
out="$BENCHMARKS_DIR/$(date -u +%Y%m%dT%H%M%SZ).json"
python3 "$ROOT/scripts/lib/benchmark.py" \
  --command "scripts/benchmark.sh${original_args:+ $original_args}" \
  --url "$orchestrator_url" --admin-password-file "$admin_password_file" \
  --agent-id "$agent_id" --agent-pid "$agent_pid" \
  --orchestrator-pid "$orchestrator_pid" --temporal-pid "$temporal_pid" \
  --temporal-target "$temporal_target" --agent-jar "$agent_jar" \
  --temporal-metrics-url "http://localhost:$temporal_metrics_port/metrics" \
  --work-dir "$work" --pids-file "$pids_file" --out "$out" \
  --iterations "$iterations" --fleet-sizes "$fleet_sizes" --interval "$BENCH_LIVENESS_INTERVAL_S" \
  --throughput-agents "$throughput_agents" --throughput-seconds "$throughput_seconds" \
  --idle-seconds "$idle_seconds" --agent-java-opts "$agent_java_opts" \
  --fleet-settle "$fleet_settle" --fan-out "$fan_out" \
  --git "$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)$(
    git -C "$ROOT" diff --quiet HEAD 2>/dev/null || echo '+uncommitted changes')"
