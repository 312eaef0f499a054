#!/usr/bin/env bash
# Installs and starts the whole MAMOS stack on one Linux host with Docker Compose
# (infra/docker/docker-compose.dev.yml): Docker and Compose when missing, an env file with
# generated secrets, `up -d --build`, a wait until every service is healthy, then the URLs.
# Idempotent; --dry-run prints what it would do and changes nothing.
set -euo pipefail

# shellcheck source-path=SCRIPTDIR source=lib/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"

COMPOSE_FILE="$ROOT/infra/docker/docker-compose.dev.yml"
ENV_EXAMPLE="$ROOT/infra/docker/.env.example"
ENV_FILE="${MAMOS_ENV_FILE:-$DATA_DIR/docker/.env}"
# Values in .env.example that must be replaced by generated secrets.
SECRET_PLACEHOLDER="CHANGE-ME-generated-by-install_linux"
HEALTH_TIMEOUT="${MAMOS_HEALTH_TIMEOUT:-600}"

usage() {
  cat <<EOF
Usage: scripts/install_linux.sh [--dry-run] [--env-file PATH] [--public-host HOST] [--no-build] [-h|--help]

Installs MAMOS on this host with Docker Compose, step by step:
  1. Docker and Compose: when \`docker\` or a Compose (\`docker compose\` or \`docker-compose\`) is
     missing, installs them with apt-get (docker.io, docker-compose-v2 or docker-compose) or dnf
     (docker, docker-compose), and starts the Docker service (needs root);
  2. the env file ${ENV_FILE#"$ROOT"/} (mode 0600): copied from infra/docker/.env.example with every
     secret placeholder replaced by a generated random value. An existing file is kept; only
     placeholders still in it are replaced, so running this again never changes a secret;
  3. docker compose -f infra/docker/docker-compose.dev.yml --env-file <env file> up -d --build
     (images built from this checkout; --no-build uses images already there);
  4. waits (up to ${HEALTH_TIMEOUT}s) until every service is healthy and the bootstrap service, which
     enrolls the bundled agent, has finished;
  5. prints the URLs and where the admin credential is (never the credential itself).

The orchestrator generates its own secrets on first start (admin password, JWT key, Prometheus
token) into its volume; the env file holds the database and Grafana passwords.

Options:
  --dry-run           print every step and command, change nothing (no root or Docker needed)
  --env-file PATH     env file to write and use (default ${ENV_FILE#"$ROOT"/}; env MAMOS_ENV_FILE)
  --public-host HOST  host name browsers and remote agents use for this machine (default: keep the
                      env file's MAMOS_PUBLIC_HOST, initially localhost)
  --no-build          do not build the MAMOS images (docker compose up -d without --build)
  -h, --help          show this help
EOF
}

dry_run=false
build=true
public_host=""
need_value() { [[ $# -ge 2 && -n "$2" ]] || { usage >&2; die "$1 needs a value"; }; }
while (($#)); do
  case "$1" in
    --dry-run) dry_run=true ;;
    --env-file) need_value "$@"; ENV_FILE="$2"; shift ;;
    --public-host) need_value "$@"; public_host="$2"; shift ;;
    --no-build) build=false ;;
    -h | --help) usage; exit 0 ;;
    *) usage >&2; die "unknown option: $1" ;;
  esac
  shift
done

# run COMMAND...: runs it, or with --dry-run only says it would.
run() {
  if $dry_run; then
    log "[dry-run] would run: $*"
  else
    log "running: $*"
    "$@"
  fi
}
is_root() { [[ "$(id -u)" == 0 ]]; }
need_root() { $dry_run || is_root || die "$1 needs root; run this script with sudo"; }

# --- 1. Docker and Compose ---------------------------------------------------
compose=()
find_compose() {
  if docker compose version >/dev/null 2>&1; then
    compose=(docker compose)
  elif command -v docker-compose >/dev/null; then
    compose=(docker-compose)
  else
    return 1
  fi
}

if command -v docker >/dev/null; then
  log "Docker CLI: $(command -v docker)"
else
  need_root "installing Docker"
  if command -v apt-get >/dev/null; then
    run apt-get update -q
    run env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends docker.io
  elif command -v dnf >/dev/null; then
    run dnf install -y docker
  else
    die "Docker is missing and neither apt-get nor dnf is here; install Docker Engine first"
  fi
fi

if find_compose; then
  log "Compose: ${compose[*]}"
else
  need_root "installing Docker Compose"
  if command -v apt-get >/dev/null; then
    $dry_run || apt-get update -q
    # Ubuntu ships the v2 plugin as docker-compose-v2; Debian has docker-compose.
    if apt-cache show docker-compose-v2 >/dev/null 2>&1; then
      run env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends docker-compose-v2
    else
      run env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends docker-compose
    fi
  elif command -v dnf >/dev/null; then
    run dnf install -y docker-compose
  else
    die "Docker Compose is missing and neither apt-get nor dnf is here; install it first"
  fi
  if $dry_run; then
    compose=(docker compose)
  else
    find_compose || die "installed Docker Compose, but neither \`docker compose\` nor \`docker-compose\` works"
  fi
fi

if $dry_run; then
  log "[dry-run] would check that the Docker engine answers (docker info), starting the docker service if not"
elif ! docker info >/dev/null 2>&1; then
  if is_root && [[ -d /run/systemd/system ]]; then
    run systemctl enable --now docker
  fi
  docker info >/dev/null 2>&1 || die "the Docker engine does not answer (docker info); start it, or add $(id -un) to the docker group"
fi

# --- 2. env file with generated secrets --------------------------------------
generate_secret() { python3 -c 'import secrets; print(secrets.token_urlsafe(24))'; }

if [[ -f "$ENV_FILE" ]]; then
  log "Env file $ENV_FILE exists; keeping its values"
else
  if $dry_run; then
    log "[dry-run] would create $ENV_FILE (mode 0600) from ${ENV_EXAMPLE#"$ROOT"/}"
  else
    mkdir -p "$(dirname "$ENV_FILE")"
    chmod 700 "$(dirname "$ENV_FILE")"
    (umask 077 && cp "$ENV_EXAMPLE" "$ENV_FILE")
    log "Created $ENV_FILE from ${ENV_EXAMPLE#"$ROOT"/}"
  fi
fi
# Replaces placeholders left in the env file (a fresh copy, or one from an older example).
source_file="$ENV_FILE"
[[ -f "$source_file" ]] || source_file="$ENV_EXAMPLE"
while IFS= read -r name; do
  if $dry_run; then
    log "[dry-run] would set $name in $ENV_FILE to a generated secret"
  else
    python3 - "$ENV_FILE" "$name" "$(generate_secret)" <<'PY'
import sys
path, name, value = sys.argv[1:]
lines = open(path).read().splitlines(keepends=True)
with open(path, "w") as out:
    out.writelines(f"{name}={value}\n" if l.startswith(name + "=") else l for l in lines)
PY
    log "Generated $name (in $ENV_FILE)"
  fi
done < <(sed -n "s/^\([A-Z_]*\)=$SECRET_PLACEHOLDER\$/\1/p" "$source_file")
if [[ -n "$public_host" ]]; then
  if $dry_run; then
    log "[dry-run] would set MAMOS_PUBLIC_HOST=$public_host in $ENV_FILE"
  else
    sed -i "s/^MAMOS_PUBLIC_HOST=.*/MAMOS_PUBLIC_HOST=$public_host/" "$ENV_FILE"
    log "MAMOS_PUBLIC_HOST=$public_host"
  fi
fi
# Settings an env file from an older example lacks (GATEWAY_PORT, say) are added with the example's value.
if [[ -f "$ENV_FILE" ]]; then
  while IFS= read -r line; do
    name="${line%%=*}"
    grep -q "^$name=" "$ENV_FILE" && continue
    if $dry_run; then
      log "[dry-run] would add $line to $ENV_FILE (new in ${ENV_EXAMPLE#"$ROOT"/})"
    else
      printf '%s\n' "$line" >>"$ENV_FILE"
      log "Added $line to $ENV_FILE (new in ${ENV_EXAMPLE#"$ROOT"/})"
    fi
  done < <(grep -E '^[A-Z_]+=' "$ENV_EXAMPLE" | grep -v "=$SECRET_PLACEHOLDER\$")
fi
$dry_run || chmod 600 "$ENV_FILE"

# env_value NAME: NAME's value in the env file (or the example, before it exists).
env_value() { sed -n "s/^$1=//p" "$source_file" | tail -n1; }

# --- 3. start ----------------------------------------------------------------
# The Dockerfiles use BuildKit features (cache mounts, COPY --chmod, per-Dockerfile .dockerignore).
export DOCKER_BUILDKIT=1 COMPOSE_DOCKER_CLI_BUILD=1
compose_cmd=("${compose[@]}" -f "$COMPOSE_FILE" --env-file "$ENV_FILE")
up_args=(up -d)
$build && up_args+=(--build)
if ! $dry_run; then
  "${compose_cmd[@]}" config --quiet || die "the compose file does not validate with $ENV_FILE"
fi
run "${compose_cmd[@]}" "${up_args[@]}"

# --- 4. wait until healthy ---------------------------------------------------
# container_state SERVICE: "healthy", "exited:<code>", "running", ... of the service's container.
container_state() {
  local id
  id="$("${compose_cmd[@]}" ps -a -q "$1" 2>/dev/null | head -n1)"
  [[ -n "$id" ]] || { echo missing; return; }
  docker inspect --format '{{if .State.Health}}{{.State.Health.Status}}{{else}}{{.State.Status}}:{{.State.ExitCode}}{{end}}' "$id"
}
services=(postgresql temporal temporal-ui orchestrator agent dashboard prometheus grafana)
if $dry_run; then
  log "[dry-run] would wait up to ${HEALTH_TIMEOUT}s until ${services[*]} are healthy and bootstrap exited 0"
else
  log "Waiting until every service is healthy (up to ${HEALTH_TIMEOUT}s)"
  deadline=$((SECONDS + HEALTH_TIMEOUT))
  while :; do
    pending=()
    for service in "${services[@]}"; do
      [[ "$(container_state "$service")" == healthy ]] || pending+=("$service")
    done
    boot="$(container_state bootstrap)"
    case "$boot" in
      exited:0) ;;
      exited:*) "${compose_cmd[@]}" logs bootstrap >&2 || true; die "the bootstrap service failed ($boot)" ;;
      *) pending+=(bootstrap) ;;
    esac
    ((${#pending[@]} == 0)) && break
    if ((SECONDS >= deadline)); then
      "${compose_cmd[@]}" ps >&2 || true
      die "not healthy after ${HEALTH_TIMEOUT}s: ${pending[*]} (see: ${compose_cmd[*]} logs ${pending[0]})"
    fi
    sleep 5
  done
  log "Every service is healthy"
fi

# --- 5. where things are -----------------------------------------------------
host="${public_host:-$(env_value MAMOS_PUBLIC_HOST)}"
status="is running"
$dry_run && status="would run (dry run: nothing was changed)"
cat <<EOF

MAMOS $status on $host:
  Dashboard        : http://$host:$(env_value DASHBOARD_PORT)
  Orchestrator API : http://$host:$(env_value ORCHESTRATOR_PORT)  (health: /health)
  Temporal Web UI  : http://$host:$(env_value TEMPORAL_UI_PORT)
  Agent gateway    : $host:$(env_value GATEWAY_PORT)  (agents' only way to Temporal, with their credential)
  Prometheus       : http://$host:$(env_value PROMETHEUS_PORT)
  Grafana          : http://$host:$(env_value GRAFANA_PORT)/d/mamos-overview  (user admin, password: GRAFANA_ADMIN_PASSWORD in $ENV_FILE)

Admin user "admin": its password was generated by the orchestrator into its volume
(/var/lib/mamos/admin-password, mode 0600). Show it with:
  ${compose_cmd[*]} exec orchestrator cat /var/lib/mamos/admin-password

Enroll another machine: create a token in the dashboard (Agents, Enroll), then on that machine
  MAMOS_AGENT_TOKEN=<token> scripts/install_agent.sh --server http://$host:$(env_value ORCHESTRATOR_PORT)
Stop: ${compose_cmd[*]} down   (add -v to delete every volume, i.e. all data)
EOF
