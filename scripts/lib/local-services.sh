# shellcheck shell=bash disable=SC2154
# (SC2154 is off: started_pids and the settings come from scripts/lib/common.sh.)
# The dashboard and Prometheus as scripts/mamos-local.sh runs them, and the pieces
# scripts/dashboard-e2e.sh shares. Source it after scripts/lib/common.sh.

DASHBOARD_DIR="$ROOT/dashboard"
# Written by ensure_dashboard_build next to the build it describes.
DASHBOARD_HASH_FILE="$DASHBOARD_DIR/.next/mamos-source-hash"

# dashboard_source_hash: prints one hash of the dashboard's sources and lockfile (every file git
# tracks or would track under dashboard/, minus build output and test results), so a build is
# redone exactly when one of them changed.
dashboard_source_hash() {
  (
    cd "$DASHBOARD_DIR" || exit 1
    if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
      git ls-files -z --cached --others --exclude-standard -- . ':!:e2e' ':!:*.test.ts' ':!:*.test.tsx'
    else
      find . -type f -not -path './node_modules/*' -not -path './.next/*' -not -path './e2e*' -print0
    fi | LC_ALL=C sort -z | xargs -0 sha256sum | sha256sum | cut -d' ' -f1
  )
}

# ensure_dashboard_deps: npm ci when node_modules is missing or older than package-lock.json.
ensure_dashboard_deps() {
  command -v node >/dev/null || die "node (20.9 or newer) is not on PATH; the dashboard needs it"
  command -v npm >/dev/null || die "npm is not on PATH"
  if [[ ! -x "$DASHBOARD_DIR/node_modules/.bin/next" \
    || "$DASHBOARD_DIR/package-lock.json" -nt "$DASHBOARD_DIR/node_modules/.package-lock.json" ]]; then
    log "Installing the dashboard's dependencies (npm ci; log $LOG_DIR/dashboard-build.log)"
    (cd "$DASHBOARD_DIR" && with_progress "npm ci" npm ci --no-audit --no-fund) \
      || fail_with_log dashboard-build "npm ci failed"
  fi
}

# ensure_dashboard_build: next build, unless .next holds a build of exactly these sources.
ensure_dashboard_build() {
  local hash
  hash="$(dashboard_source_hash)"
  if [[ -f "$DASHBOARD_DIR/.next/BUILD_ID" && -f "$DASHBOARD_HASH_FILE" && "$(<"$DASHBOARD_HASH_FILE")" == "$hash" ]]; then
    log "Dashboard build is current (sources unchanged since the last build); reusing it"
    return 0
  fi
  log "Building the dashboard (next build; log $LOG_DIR/dashboard-build.log)"
  rm -f "$DASHBOARD_HASH_FILE"
  (cd "$DASHBOARD_DIR" && NEXT_TELEMETRY_DISABLED=1 with_progress "next build" npm run build) \
    || fail_with_log dashboard-build "the dashboard build failed"
  printf '%s\n' "$hash" >"$DASHBOARD_HASH_FILE"
}

# with_progress LABEL COMMAND...: runs COMMAND with its output in $LOG_DIR/dashboard-build.log,
# showing one line that counts the seconds (redrawn on a terminal, every 15s otherwise).
with_progress() {
  local label="$1" started=$SECONDS pid rc
  shift
  "$@" >>"$LOG_DIR/dashboard-build.log" 2>&1 &
  pid=$!
  while pid_alive "$pid"; do
    if [[ -t 2 ]]; then
      printf '\r[mamos] %s ... %ds ' "$label" $((SECONDS - started)) >&2
    elif (((SECONDS - started) % 15 == 0)); then
      log "$label ... $((SECONDS - started))s"
    fi
    sleep 1
  done
  wait "$pid" && rc=0 || rc=$?
  [[ -t 2 ]] && printf '\r' >&2
  log "$label took $((SECONDS - started))s"
  return "$rc"
}

# start_dashboard PORT API_URL [PUBLIC_API_URL]: next start on localhost:PORT against the
# orchestrator at API_URL; waits until its login page answers.
start_dashboard() {
  local port="$1" api_url="$2" public_url="${3:-$2}"
  start_process dashboard env -C "$DASHBOARD_DIR" NEXT_TELEMETRY_DISABLED=1 \
    MAMOS_API_URL="$api_url" MAMOS_PUBLIC_API_URL="$public_url" \
    node_modules/.bin/next start --port "$port" --hostname localhost
  wait_http "http://localhost:$port/login" 60 "${started_pids[-1]}" \
    || fail_with_log dashboard "the dashboard did not start"
}

# ensure_chromium: Debian's Chromium at $CHROMIUM_BIN (default /usr/bin/chromium), installed with
# apt-get when missing and running as root; Playwright's own browser download is not used (nor
# reachable everywhere).
ensure_chromium() {
  CHROMIUM_BIN="${CHROMIUM_BIN:-/usr/bin/chromium}"
  if [[ ! -x "$CHROMIUM_BIN" ]]; then
    if [[ "$CHROMIUM_BIN" == /usr/bin/chromium && "$(id -u)" == 0 ]] && command -v apt-get >/dev/null; then
      log "Installing Chromium (apt-get install chromium)"
      apt-get update -qq || die "apt-get update failed"
      DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium fonts-liberation \
        >/dev/null || die "apt-get install chromium failed"
    fi
    [[ -x "$CHROMIUM_BIN" ]] || die "no Chromium at $CHROMIUM_BIN (apt-get install chromium, or set CHROMIUM_BIN)"
  fi
}

# ensure_prometheus: Prometheus and promtool from Debian's package ("prometheus",
# --no-install-recommends); nothing is installed when both are on PATH.
ensure_prometheus() {
  if command -v prometheus >/dev/null && command -v promtool >/dev/null; then
    return 0
  fi
  command -v apt-get >/dev/null || die "prometheus/promtool missing and no apt-get to install them"
  local sudo=()
  ((EUID == 0)) || sudo=(sudo)
  log "Installing Prometheus and promtool (apt-get install prometheus)"
  "${sudo[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq --no-install-recommends prometheus >/dev/null
  command -v promtool >/dev/null || die "apt-get installed prometheus, but promtool is not on PATH"
}

# start_prometheus PORT ORCHESTRATOR_ADDRESS TOKEN_FILE DATA_DIR: Prometheus on localhost:PORT
# with infra/prometheus's config and rules, rendered for an orchestrator at ORCHESTRATOR_ADDRESS
# (host:port) whose service-discovery token is TOKEN_FILE; its TSDB in DATA_DIR/data.
start_prometheus() {
  local port="$1" orchestrator="$2" token_file="$3" dir="$4"
  python3 "$ROOT/scripts/lib/check_monitoring.py" render --config "$ROOT/infra/prometheus/prometheus.yml" \
    --orchestrator "$orchestrator" --token-file "$token_file" --out-dir "$dir/config" >/dev/null \
    || die "could not render the Prometheus config"
  promtool check config "$dir/config/prometheus.yml" >/dev/null || die "promtool refused $dir/config/prometheus.yml"
  start_process prometheus prometheus --config.file="$dir/config/prometheus.yml" \
    --storage.tsdb.path="$dir/data" --web.listen-address="127.0.0.1:$port"
  wait_http "http://localhost:$port/-/ready" 60 "${started_pids[-1]}" \
    || fail_with_log prometheus "Prometheus did not become ready"
}
