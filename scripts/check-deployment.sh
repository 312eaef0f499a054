#!/usr/bin/env bash
# Checks the deployment pieces without a Docker engine: the Compose file validates and fits the
# images and applications it runs, every script is shellcheck-clean, and install_linux.sh
# --dry-run works. (install_agent.sh runs for real in InstallAgentIT.)
set -euo pipefail

# shellcheck source-path=SCRIPTDIR source=lib/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"

COMPOSE_FILE="$ROOT/infra/docker/docker-compose.dev.yml"
CLUSTER_OVERRIDE="$ROOT/infra/docker/docker-compose.temporal-cluster.yml"
ENV_EXAMPLE="$ROOT/infra/docker/.env.example"

usage() {
  cat <<EOF
Usage: scripts/check-deployment.sh [-h|--help]

Checks MAMOS's deployment files with no Docker engine needed:
  1. installs Debian's docker-compose and shellcheck packages when missing (apt-get update,
     apt-get install -y --no-install-recommends; needs root), then validates the Compose file:
       docker-compose -f ${COMPOSE_FILE#"$ROOT"/} --env-file ${ENV_EXAMPLE#"$ROOT"/} config
     and, likewise, with its Temporal-cluster override ${CLUSTER_OVERRIDE#"$ROOT"/}, whose
     TEMPORAL_SERVER_VERSION must be the one scripts/lib/common.sh builds;
  2. infra/docker/check_deployment.py on that resolved config: every port, volume and environment
     variable it names exists in the images and applications (orchestrator application.yml keys,
     the agent's --help, the dashboard's process.env reads, Dockerfile EXPOSE/VOLUME/USER,
     the Prometheus and Grafana files' paths); Dockerfiles multi-stage and non-root; and
     that infra/docker/bootstrap.py parses;
  3. shellcheck -x on every script in scripts/ and infra/docker/;
  4. scripts/install_linux.sh --dry-run (with a throw-away env file path).
Exits non-zero on the first failing step. Docker images are not built here.
EOF
}

case "${1:-}" in
  -h | --help) usage; exit 0 ;;
  "") ;;
  *) usage >&2; die "unknown option: $1" ;;
esac

# --- 1. docker-compose config ------------------------------------------------
missing=()
command -v docker-compose >/dev/null || missing+=(docker-compose)
command -v shellcheck >/dev/null || missing+=(shellcheck)
if ((${#missing[@]})); then
  [[ "$(id -u)" == 0 ]] || die "${missing[*]} missing; install (apt-get install ${missing[*]}) or run this as root"
  log "Installing Debian's ${missing[*]} (apt-get)"
  apt-get update -q
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}"
fi

log "docker-compose config (${COMPOSE_FILE#"$ROOT"/} with ${ENV_EXAMPLE#"$ROOT"/})"
resolved="$(mktemp)"
trap 'rm -f "$resolved"' EXIT
docker-compose -f "$COMPOSE_FILE" --env-file "$ENV_EXAMPLE" config >"$resolved" \
  || die "docker-compose config failed"

# --- 2. ports, volumes, env vars against the images --------------------------
log "Checking ports, volumes and environment variables against the images and applications"
# Debian's docker-compose is Python and brings PyYAML; use the interpreter it runs on.
python3 "$ROOT/infra/docker/check_deployment.py" <"$resolved" || die "compose checks failed (FAIL lines above)"

log "docker-compose config with ${CLUSTER_OVERRIDE#"$ROOT"/}"
docker-compose -f "$COMPOSE_FILE" -f "$CLUSTER_OVERRIDE" --env-file "$ENV_EXAMPLE" config >/dev/null \
  || die "docker-compose config with the Temporal-cluster override failed"
# The compose cluster runs the release the scripts build and test (TemporalClusterIT).
[[ "$(sed -n 's/^TEMPORAL_SERVER_VERSION=//p' "$ENV_EXAMPLE")" == "$TEMPORAL_SERVER_VERSION" ]] \
  || die "TEMPORAL_SERVER_VERSION in ${ENV_EXAMPLE#"$ROOT"/} differs from scripts/lib/common.sh's ($TEMPORAL_SERVER_VERSION)"
python3 -c 'import ast, sys; ast.parse(open(sys.argv[1]).read(), sys.argv[1])' "$ROOT/infra/docker/bootstrap.py" \
  || die "infra/docker/bootstrap.py does not parse"

# The agent's JVM options are defined once, in scripts/lib/agent-jvm.options; install_agent.sh keeps
# a copy for when it runs on its own, without that file next to it.
log "The agent's JVM options: install_agent.sh's fallback is scripts/lib/agent-jvm.options"
[[ "$(sed -e 's/#.*//' "$AGENT_JVM_OPTIONS" | xargs)" == \
  "$(sed -n 's/^FALLBACK_JVM_OPTIONS="\(.*\)"$/\1/p' "$ROOT/scripts/install_agent.sh")" ]] \
  || die "FALLBACK_JVM_OPTIONS in scripts/install_agent.sh differs from scripts/lib/agent-jvm.options; copy the options over"

# --- 3. shellcheck -----------------------------------------------------------
mapfile -t scripts < <(find "$ROOT/scripts" "$ROOT/infra/docker" -name '*.sh' -type f | sort)
log "shellcheck -x on ${#scripts[@]} scripts"
shellcheck -x "${scripts[@]}" || die "shellcheck found problems"

# --- 4. install_linux.sh --dry-run -------------------------------------------
log "scripts/install_linux.sh --dry-run"
dry_env="$(mktemp -u)"
dry_out="$(mktemp)"
trap 'rm -f "$resolved" "$dry_out"' EXIT
MAMOS_ENV_FILE="$dry_env" "$ROOT/scripts/install_linux.sh" --dry-run >"$dry_out" 2>&1 \
  || { cat "$dry_out" >&2; die "install_linux.sh --dry-run failed"; }
[[ ! -e "$dry_env" ]] || die "install_linux.sh --dry-run wrote $dry_env"
grep -q "would run: .* up -d --build" "$dry_out" || { cat "$dry_out" >&2; die "install_linux.sh --dry-run did not show the compose up"; }
grep -q "would set POSTGRES_PASSWORD" "$dry_out" || { cat "$dry_out" >&2; die "install_linux.sh --dry-run did not generate secrets"; }

log "Deployment checks passed (compose config and fit, shellcheck, install_linux.sh --dry-run)"
