# shellcheck shell=bash
# Builds the real Temporal server of the project. Source it after common.sh:
#   source "$ROOT/scripts/lib/temporal-server.sh" && ensure_temporal_server
# $TEMPORAL_SERVER_DIR then holds
#   bin/temporal-server      go.temporal.io/server/cmd/server
#   bin/temporal-sql-tool    go.temporal.io/server/cmd/tools/sql
#   schema/postgresql/v12/   the module's versioned schemas (temporal, visibility)
# built once with `go install` from the Go module proxy and reused afterwards.

# ensure_temporal_server: builds the server and its SQL tool unless $TEMPORAL_SERVER_DIR has
# them, and exports that folder as MAMOS_TEMPORAL_SERVER_DIR (what the e2e tests read).
# A MAMOS_TEMPORAL_SERVER_DIR already set and complete is used as it is.
ensure_temporal_server() {
  local dir="${MAMOS_TEMPORAL_SERVER_DIR:-$TEMPORAL_SERVER_DIR}"
  if [[ -x "$dir/bin/temporal-server" && -x "$dir/bin/temporal-sql-tool" && -d "$dir/schema/postgresql/v12" ]]; then
    log "Temporal server: $dir"
    MAMOS_TEMPORAL_SERVER_DIR="$dir"
    export MAMOS_TEMPORAL_SERVER_DIR
    return 0
  fi
  # Go 1.21 or newer fetches the toolchain the server needs by itself (GOTOOLCHAIN); Debian 12's
  # golang-go (1.19) cannot.
  command -v go >/dev/null || die "Go 1.21 or newer is needed to build the Temporal server (https://go.dev/dl, or actions/setup-go)"
  local go_minor
  go_minor="$(GOTOOLCHAIN=local go env GOVERSION | sed -nE 's/^go1\.([0-9]+).*/\1/p')"
  ((${go_minor:-0} >= 21)) || die "$(GOTOOLCHAIN=local go version) is too old to fetch $TEMPORAL_SERVER_GOTOOLCHAIN; Go 1.21 or newer is needed"
  [[ -z "${MAMOS_TEMPORAL_SERVER_DIR:-}" ]] || die "MAMOS_TEMPORAL_SERVER_DIR=$MAMOS_TEMPORAL_SERVER_DIR lacks bin/temporal-server, bin/temporal-sql-tool or schema/postgresql/v12"
  # One build at a time: a second caller waits here, then finds the first one's folder.
  local build_lock
  mkdir -p "$(dirname "$dir")"
  exec {build_lock}>"$dir.lock"
  flock "$build_lock"
  if [[ -x "$dir/bin/temporal-server" && -x "$dir/bin/temporal-sql-tool" && -d "$dir/schema/postgresql/v12" ]]; then
    flock -u "$build_lock"
    log "Temporal server: $dir (built meanwhile)"
    MAMOS_TEMPORAL_SERVER_DIR="$dir"
    export MAMOS_TEMPORAL_SERVER_DIR
    return 0
  fi
  local module="go.temporal.io/server" version="v$TEMPORAL_SERVER_VERSION"
  # Built beside the final folder, named for this process (TemporalCluster waits while that
  # process lives), and renamed into place: an interrupted build leaves nothing that the check
  # above would take for complete. Under the lock, what an interrupted one left can go.
  local work="$dir.partial.$BASHPID"
  rm -rf "$dir".partial.*
  mkdir -p "$work/bin" "$work/schema"
  log "Building Temporal server $version and its SQL tool with $TEMPORAL_SERVER_GOTOOLCHAIN (go install; cold: several minutes)"
  local started=$SECONDS
  # CGO off: the server's SQL drivers are pure Go, and the binaries are static as in its releases.
  GOTOOLCHAIN="$TEMPORAL_SERVER_GOTOOLCHAIN" GOBIN="$work/bin" CGO_ENABLED=0 GOFLAGS=-buildvcs=false \
    go install "$module/cmd/server@$version" "$module/cmd/tools/sql@$version" >&2 \
    || { rm -rf "$work"; die "go install of $module@$version failed"; }
  mv "$work/bin/server" "$work/bin/temporal-server"
  mv "$work/bin/sql" "$work/bin/temporal-sql-tool"
  local source_dir
  source_dir="$(GOTOOLCHAIN="$TEMPORAL_SERVER_GOTOOLCHAIN" go env GOMODCACHE)/$module@$version/schema/postgresql"
  [[ -d "$source_dir/v12" ]] || { rm -rf "$work"; die "no PostgreSQL schema in $source_dir"; }
  mkdir -p "$work/schema/postgresql"
  cp -R "$source_dir/v12" "$work/schema/postgresql/"
  # The module cache is read-only; the copy need not be.
  chmod -R u+w "$work/schema"
  rm -rf "$dir"
  mv "$work" "$dir"
  flock -u "$build_lock"
  log "Temporal server $version built in $((SECONDS - started))s: $dir"
  MAMOS_TEMPORAL_SERVER_DIR="$dir"
  export MAMOS_TEMPORAL_SERVER_DIR
}
