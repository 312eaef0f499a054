#!/usr/bin/env bash
# Checks the monitoring of a running MAMOS: a throw-away Prometheus, configured from the
# committed infra/prometheus/prometheus.yml, must scrape the orchestrator, find the agents
# through the orchestrator's service discovery, and answer every query of the Grafana
# "MAMOS Overview" dashboard with data.
set -euo pipefail

# shellcheck source-path=SCRIPTDIR source=lib/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"
# shellcheck source-path=SCRIPTDIR source=lib/local-services.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/local-services.sh"

PROMETHEUS_CONFIG="$ROOT/infra/prometheus/prometheus.yml"
PROMETHEUS_RULES="$ROOT/infra/prometheus/rules/mamos-alerts.yml"
PROMETHEUS_RULE_TESTS="$ROOT/infra/prometheus/rules/mamos-alerts.test.yml"
GRAFANA_DATASOURCES="$ROOT/infra/grafana/provisioning/datasources/prometheus.yml"
GRAFANA_DASHBOARD="$ROOT/infra/grafana/dashboards/mamos-overview.json"
CHECKS="$ROOT/scripts/lib/check_monitoring.py"
SD_TOKEN_NAME="prometheus-sd-token"
# Scrapes and SD refreshes of the throw-away Prometheus: faster than the committed 15s, so
# rate() windows fill within seconds.
CHECK_SCRAPE_INTERVAL="5s"

usage() {
  cat <<EOF
Usage: scripts/check-monitoring.sh [options]

Checks the monitoring of MAMOS. Static checks always run:
  - promtool check config on infra/prometheus/prometheus.yml, check + unit tests of its rules;
  - the Grafana dashboard infra/grafana/dashboards/mamos-overview.json: title "MAMOS Overview",
    unique panel ids, grid positions, every panel/target/variable datasource resolves to the
    uid provisioned in infra/grafana/provisioning/datasources/prometheus.yml.
Then, against a RUNNING MAMOS (skipped with --static):
  1. the orchestrator's service-discovery endpoint refuses requests without its token and
     lists the agents with the token from <data dir>/$SD_TOKEN_NAME;
  2. a config rendered from the committed one (orchestrator address and token path replaced,
     intervals $CHECK_SCRAPE_INTERVAL) passes promtool; Prometheus starts with it on a free port
     and a temporary storage dir, and is stopped (only it) on exit;
  3. Prometheus scrapes the orchestrator and at least N agents found through discovery (health up);
  4. every panel query of the dashboard (\$agent and \$instance as .*, \$__rate_interval as 1m)
     parses and returns at least one series, and every variable query finds values.
     Run a few jobs first: job histograms and counters only exist after jobs finished.
Prometheus and promtool are installed with apt-get (Debian package "prometheus") when missing.

Options:
  --orchestrator-url URL  orchestrator base URL (env MAMOS_ORCHESTRATOR_URL; default $ORCHESTRATOR_URL)
  --data-dir DIR          orchestrator data dir holding $SD_TOKEN_NAME
                          (env MAMOS_DATA_DIR; default ${DATA_DIR#"$ROOT"/}/orchestrator)
  --agents N              agents expected online and scraped (env MAMOS_EXPECTED_AGENTS; default 1)
  --prometheus-port PORT  port of the throw-away Prometheus (default: a free port)
  --timeout SECONDS       how long to wait for targets and for data (default 180)
  --static                only the static checks; no running MAMOS needed
  -h, --help              show this help

Exit status: 0 when every check passed, 1 otherwise.
EOF
}

orchestrator_url="${MAMOS_ORCHESTRATOR_URL:-$ORCHESTRATOR_URL}"
orchestrator_data="${MAMOS_DATA_DIR:-$DATA_DIR/orchestrator}"
expected_agents="${MAMOS_EXPECTED_AGENTS:-1}"
prometheus_port=""
timeout=180
static_only=false
while (($#)); do
  case "$1" in
    --orchestrator-url) orchestrator_url="${2:?--orchestrator-url needs a value}"; shift ;;
    --data-dir) orchestrator_data="${2:?--data-dir needs a value}"; shift ;;
    --agents) expected_agents="${2:?--agents needs a value}"; shift ;;
    --prometheus-port) prometheus_port="${2:?--prometheus-port needs a value}"; shift ;;
    --timeout) timeout="${2:?--timeout needs a value}"; shift ;;
    --static) static_only=true ;;
    -h | --help) usage; exit 0 ;;
    *) usage >&2; die "unknown option: $1" ;;
  esac
  shift
done
[[ "$expected_agents" =~ ^[0-9]+$ ]] || die "--agents must be a number, got '$expected_agents'"
[[ "$timeout" =~ ^[0-9]+$ ]] || die "--timeout must be a number of seconds, got '$timeout'"
orchestrator_url="${orchestrator_url%/}"

checks() { python3 "$CHECKS" "$@"; }


# --- static checks -------------------------------------------------------------------------
command -v python3 >/dev/null || die "python3 is needed"
ensure_prometheus
log "Prometheus: $(prometheus --version 2>&1 | head -n 1)"

log "promtool check config ${PROMETHEUS_CONFIG#"$ROOT"/}"
promtool check config "$PROMETHEUS_CONFIG"
log "promtool check rules + test rules"
promtool check rules "$PROMETHEUS_RULES"
promtool test rules "$PROMETHEUS_RULE_TESTS"
log "Validating ${GRAFANA_DASHBOARD#"$ROOT"/}"
checks dashboard --dashboard "$GRAFANA_DASHBOARD" --datasources "$GRAFANA_DATASOURCES"

if $static_only; then
  log "Static monitoring checks passed"
  exit 0
fi

# --- the running stack ---------------------------------------------------------------------
token_file="$orchestrator_data/$SD_TOKEN_NAME"
[[ "$orchestrator_url" =~ ^http://([^/]+)$ ]] \
  || die "--orchestrator-url must look like http://host:port, got '$orchestrator_url'"
orchestrator_address="${BASH_REMATCH[1]}"
[[ "$orchestrator_address" == *:* ]] || orchestrator_address="$orchestrator_address:80"
[[ -r "$token_file" ]] || die "no readable $token_file (is --data-dir the orchestrator's data dir?)"
wait_http "$orchestrator_url/health" 10 || die "the orchestrator does not answer at $orchestrator_url/health"

log "Checking service discovery at $orchestrator_url/api/v1/prometheus/targets"
checks discovery --orchestrator-url "$orchestrator_url" --token-file "$token_file" \
  --agents "$expected_agents" --timeout "$timeout"

work_dir="$(mktemp -d -t mamos-monitoring.XXXXXX)"
prometheus_pid=""
cleanup() {
  if [[ -n "$prometheus_pid" ]] && pid_alive "$prometheus_pid"; then
    log "Stopping Prometheus (pid $prometheus_pid)"
    kill -TERM "$prometheus_pid" 2>/dev/null || true
    wait "$prometheus_pid" 2>/dev/null || true
  fi
  rm -rf "$work_dir"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

checks render --config "$PROMETHEUS_CONFIG" --orchestrator "$orchestrator_address" \
  --token-file "$token_file" --scrape-interval "$CHECK_SCRAPE_INTERVAL" --out-dir "$work_dir/config"
promtool check config "$work_dir/config/prometheus.yml"

prometheus_port="${prometheus_port:-$(free_ports 1)}"
! port_in_use "$prometheus_port" || die "port $prometheus_port is already in use"
prometheus_url="http://127.0.0.1:$prometheus_port"
log "Starting Prometheus on $prometheus_url (storage $work_dir/data, log $work_dir/prometheus.log)"
prometheus --config.file="$work_dir/config/prometheus.yml" --storage.tsdb.path="$work_dir/data" \
  --web.listen-address="127.0.0.1:$prometheus_port" >"$work_dir/prometheus.log" 2>&1 &
prometheus_pid=$!

on_failure() {
  warn "last lines of the Prometheus log:"
  tail -n 20 "$work_dir/prometheus.log" >&2 || true
  die "$1"
}
wait_http "$prometheus_url/-/ready" 60 "$prometheus_pid" || on_failure "Prometheus did not become ready"

log "Waiting for the orchestrator and $expected_agents agent target(s) to be up (at most ${timeout}s)"
checks targets --prometheus "$prometheus_url" --agents "$expected_agents" --timeout "$timeout" \
  || on_failure "scrape targets are not healthy"

log "Running every query of the dashboard (at most ${timeout}s for data to appear)"
checks queries --prometheus "$prometheus_url" --dashboard "$GRAFANA_DASHBOARD" \
  --agents "$expected_agents" --timeout "$timeout" || on_failure "dashboard queries failed"

log "Monitoring checks passed: Prometheus scrapes the orchestrator and $expected_agents agent(s), and every panel of the MAMOS Overview dashboard has data"
