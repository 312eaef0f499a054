#!/usr/bin/env bash
# Builds the orchestrator and agent jars of a released tag (for the upgrade test), once per
# commit: later runs reuse the cached jars.
set -euo pipefail

# shellcheck source-path=SCRIPTDIR source=lib/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"

usage() {
  cat <<EOF_USAGE
Usage: scripts/build-release.sh [-h|--help] TAG

Exports TAG (e.g. v0.2.0) from this repository's git history with \`git archive\`, builds only its
orchestrator and agent jars (./mvnw -B -o -Dmaven.test.skip=true package; online once more if the offline
build misses an artifact), and keeps them in
  ${TOOLS_DIR#"$ROOT"/}/releases/<commit>/mamos-orchestrator.jar and mamos-agent.jar
keyed by the commit TAG names, so a second run builds nothing. Prints that folder's path as the
last line of its output. The upgrade test (orchestrator's UpgradeIT) runs it on demand.
TAG is a git tag, or a release listed in scripts/lib/releases.tsv (a clone without tags finds its
commit there; a shallow clone fetches that commit from origin).
EOF_USAGE
}

case "${1:-}" in
  -h | --help) usage; exit 0 ;;
  "") usage >&2; exit 2 ;;
esac
tag="$1"

# The commit each release names is recorded in scripts/lib/releases.tsv, so a clone without tags
# (a clone of a branch, a CI checkout) still finds it in its history, and a moved tag is noticed.
releases="$ROOT/scripts/lib/releases.tsv"
recorded="$(awk -F'\t' -v t="$tag" '$1 == t { print $2 }' "$releases")"
if git -C "$ROOT" rev-parse --verify --quiet "$tag^{commit}" >/dev/null; then
  commit="$(git -C "$ROOT" rev-parse --verify "$tag^{commit}")"
  [[ -z "$recorded" || "$recorded" == "$commit" ]] \
    || die "tag $tag names $commit, but ${releases#"$ROOT"/} records $recorded for it"
elif [[ -n "$recorded" ]]; then
  commit="$recorded"
  if ! git -C "$ROOT" cat-file -e "$commit^{commit}" 2>/dev/null; then
    # A shallow clone: fetch just that commit, once.
    warn "release $tag ($commit) is not in this clone's history; fetching it from origin"
    git -C "$ROOT" fetch --quiet --depth=1 origin "$commit" \
      || die "release $tag ($commit) is not in $ROOT, and fetching it from origin failed (try: git fetch --unshallow)"
  fi
else
  die "no tag $tag in $ROOT and no line for it in ${releases#"$ROOT"/}"
fi
out="$TOOLS_DIR/releases/$commit"
mkdir -p "$TOOLS_DIR/releases"

# One build per commit at a time: a second caller waits, then finds the jars.
exec 9>"$TOOLS_DIR/releases/$commit.lock"
flock 9

if [[ -f "$out/mamos-orchestrator.jar" && -f "$out/mamos-agent.jar" ]]; then
  log "release $tag ($commit): cached jars in $out"
  printf '%s\n' "$out"
  exit 0
fi

ensure_java
work="$TOOLS_DIR/releases/$commit.build"
rm -rf "$work"
mkdir -p "$work/src"
started=$SECONDS
log "release $tag ($commit): exporting into $work/src"
git -C "$ROOT" archive --format=tar "$commit" | tar -x -C "$work/src"

build() {
  (cd "$work/src" && ./mvnw -B -q "$@" -Dmaven.test.skip=true \
    -pl orchestrator,agent-worker -am package)
}
log "release $tag: building the orchestrator and agent jars (offline)"
if ! build -o; then
  warn "the offline build of $tag failed; trying once online"
  build
fi

mkdir -p "$work/jars"
cp "$work/src/orchestrator/target/mamos-orchestrator.jar" "$work/src/agent-worker/target/mamos-agent.jar" "$work/jars/"
rm -rf "$out"
mv "$work/jars" "$out"
rm -rf "$work"
log "release $tag ($commit): jars in $out, built in $((SECONDS - started)) s"
printf '%s\n' "$out"
