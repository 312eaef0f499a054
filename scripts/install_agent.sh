#!/usr/bin/env bash
# Installs a MAMOS agent on this machine: a Java runtime when missing, the agent jar and a
# launcher, its config (enrolled with a one-time token, mode 0600) and a systemd unit, or
# runs it in the foreground where there is no systemd. Idempotent; --uninstall removes it.
set -euo pipefail

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# common.sh is there in a checkout; a copy of this script on its own falls back to the
# few helpers it needs.
if [[ -f "$SCRIPT_DIR/lib/common.sh" ]]; then
  # shellcheck source-path=SCRIPTDIR source=lib/common.sh
  source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"
else
  AGENT_JAR="./mamos-agent.jar"
  AGENT_JVM_OPTIONS="$SCRIPT_DIR/agent-jvm.options"
  AGENT_METRICS_PORT="${AGENT_METRICS_PORT:-9101}"
  log()  { printf '[mamos] %s\n' "$*" >&2; }
  warn() { printf '[mamos] WARNING: %s\n' "$*" >&2; }
  die()  { printf '[mamos] ERROR: %s\n' "$*" >&2; exit 1; }
fi

SERVICE_NAME="mamos-agent"
SERVICE_USER="mamos-agent"
JAVA_MIN_VERSION=17
# The agent's JVM options (small resident memory, docs/AGENT.md) come from scripts/lib/agent-jvm.options
# ($AGENT_JVM_OPTIONS), installed next to the jar. A copy of this script on its own, without that
# file next to it, installs these, the same options without the comments (scripts/check-deployment.sh
# checks that they are the same).
FALLBACK_JVM_OPTIONS="-XX:+UseSerialGC -Xms8m -Xmx48m -XX:MinHeapFreeRatio=10 -XX:MaxHeapFreeRatio=30 -XX:NewSize=1m -XX:MaxNewSize=3m -XX:TieredStopAtLevel=1 -XX:ReservedCodeCacheSize=16m -Xss512k -XX:-UsePerfData -Dio.grpc.netty.shaded.io.netty.jfr.enabled=false -Dio.grpc.netty.shaded.io.netty.allocator.type=unpooled"

usage() {
  cat <<EOF
Usage: scripts/install_agent.sh [OPTIONS]
       MAMOS_AGENT_TOKEN=<one-time token> scripts/install_agent.sh --server URL [OPTIONS]
       scripts/install_agent.sh --cli-only [--prefix DIR] [--jar PATH|URL]
       scripts/install_agent.sh --uninstall [--prefix DIR]

Installs the MAMOS agent (mamos-agent) on this machine, step by step:
  1. Java $JAVA_MIN_VERSION+: when \`java\` is missing or older, installs a headless JRE with apt-get or dnf
     (needs root; without root it stops and says what to install);
  2. the agent jar (--jar, a path or an http(s) URL) into LIB and a launcher BIN/mamos-agent that
     runs it with small-memory JVM flags and this installation's config, work and metrics settings;
  3. enrolls the agent: runs \`mamos-agent enroll\` with --server and the one-time token, which
     writes CONFIG (mode 0600, folder 0700). Skipped when CONFIG exists (the agent keeps its
     identity); --reenroll replaces it with a new one;
  4. starts it: with systemd, installs and enables the unit $SERVICE_NAME.service (as root: a system
     unit running as user $SERVICE_USER; otherwise a user unit); without systemd, or with
     --foreground, runs \`mamos-agent run\` in the foreground instead (this script becomes the agent).

Every install also writes BIN/mamos, the operator CLI (the same jar; \`mamos --help\`). With
--cli-only it installs just that (Java, the jar, BIN/mamos): no enrollment, no unit; without root
and --prefix it goes to ~/.local (~/.local/bin/mamos).

Running it again changes only what differs. Paths:
                  as root (default)                      --prefix DIR (no root needed)
  BIN             /usr/local/bin/mamos-agent             DIR/bin/mamos-agent
  LIB             /usr/local/lib/mamos-agent/            DIR/lib/mamos-agent/
  CONFIG          /etc/mamos-agent/agent.properties      DIR/etc/mamos-agent/agent.properties
  work dir        /var/lib/mamos-agent/work              DIR/var/lib/mamos-agent/work

Options:
  --server URL             orchestrator base URL, e.g. http://mamos.example:4000 (env MAMOS_AGENT_SERVER)
  --token TOKEN            one-time enrollment token. Prefer the env var MAMOS_AGENT_TOKEN: a command
                           line is visible to other users
  --jar PATH|URL           agent jar to install (default: ${AGENT_JAR#"${ROOT:-}"/})
  --prefix DIR             install everything under DIR (bin/, lib/, etc/, var/) instead of system-wide
  --allow LIST             comma-separated absolute paths of the only executables the agent runs
                           (each may add =FILE|FOLDER/... for its arguments; see docs/AGENT.md)
                           (enrollment only; default: the agent's own, see \`mamos-agent enroll --help\`)
  --hostname NAME          name to report instead of this machine's hostname
  --temporal-target H:P    Temporal frontend as this machine reaches it, when it differs from what
                           the orchestrator hands out
  --metrics-address H:P    where the agent serves Prometheus /metrics (default 0.0.0.0:$AGENT_METRICS_PORT; off = none)
  --reenroll               enroll again even though CONFIG exists (new identity; decommission the old one)
  --foreground             do not install a unit: run the agent in the foreground after installing
  --no-start               install and enroll only: no unit, nothing started
  --cli-only               install only the operator CLI \`mamos\` (see above)
  --uninstall              stop and remove the unit, launcher, jar, config and work dir (with --prefix:
                           those under DIR). The agent stays enrolled in the orchestrator: decommission it there
  -h, --help               show this help

Exit codes: 0 done, 1 failed, 2 bad options; in the foreground, the agent's own exit code.
EOF
}

# --- options -----------------------------------------------------------------
server="${MAMOS_AGENT_SERVER:-}"
token="${MAMOS_AGENT_TOKEN:-}"
jar_source="$AGENT_JAR"
prefix=""
allow=""
agent_hostname=""
temporal_target=""
metrics_address="0.0.0.0:$AGENT_METRICS_PORT"
reenroll=false
mode=auto # auto | foreground | no-start
uninstall=false
cli_only=false

need_value() { [[ $# -ge 2 && -n "$2" ]] || { usage >&2; printf '[mamos] ERROR: %s needs a value\n' "$1" >&2; exit 2; }; }
while (($#)); do
  case "$1" in
    --server) need_value "$@"; server="$2"; shift ;;
    --token)
      need_value "$@"; token="$2"; shift
      warn "--token on the command line is visible to other users of this machine; prefer MAMOS_AGENT_TOKEN"
      ;;
    --jar) need_value "$@"; jar_source="$2"; shift ;;
    --prefix) need_value "$@"; prefix="$2"; shift ;;
    --allow) need_value "$@"; allow="$2"; shift ;;
    --hostname) need_value "$@"; agent_hostname="$2"; shift ;;
    --temporal-target) need_value "$@"; temporal_target="$2"; shift ;;
    --metrics-address) need_value "$@"; metrics_address="$2"; shift ;;
    --reenroll) reenroll=true ;;
    --foreground) mode=foreground ;;
    --no-start) mode=no-start ;;
    --uninstall) uninstall=true ;;
    --cli-only) cli_only=true ;;
    -h | --help) usage; exit 0 ;;
    *) usage >&2; printf '[mamos] ERROR: unknown option: %s\n' "$1" >&2; exit 2 ;;
  esac
  shift
done

is_root() { [[ "$(id -u)" == 0 ]]; }

# --- layout ------------------------------------------------------------------
if $cli_only && [[ -z "$prefix" ]] && ! is_root; then
  prefix="$HOME/.local"
fi
if [[ -n "$prefix" ]]; then
  mkdir -p "$prefix"
  prefix="$(cd "$prefix" && pwd)"
  BIN_DIR="$prefix/bin"
  LIB_DIR="$prefix/lib/mamos-agent"
  ETC_DIR="$prefix/etc/mamos-agent"
  VAR_DIR="$prefix/var/lib/mamos-agent"
else
  is_root || die "a system-wide install needs root; run it with sudo, or pass --prefix DIR for an install without root"
  BIN_DIR="/usr/local/bin"
  LIB_DIR="/usr/local/lib/mamos-agent"
  ETC_DIR="/etc/mamos-agent"
  VAR_DIR="/var/lib/mamos-agent"
fi
LAUNCHER="$BIN_DIR/mamos-agent"
CLI_LAUNCHER="$BIN_DIR/mamos"
INSTALLED_JAR="$LIB_DIR/mamos-agent.jar"
JVM_OPTIONS_FILE="$LIB_DIR/jvm.options"
CONFIG="$ETC_DIR/agent.properties"
WORK_DIR="$VAR_DIR/work"

# System units run as $SERVICE_USER; a --prefix install by root is a system unit too.
has_systemd() { [[ -d /run/systemd/system ]] && command -v systemctl >/dev/null; }
if is_root; then
  UNIT_FILE="/etc/systemd/system/$SERVICE_NAME.service"
  systemctl_() { systemctl "$@"; }
else
  UNIT_FILE="${XDG_CONFIG_HOME:-$HOME/.config}/systemd/user/$SERVICE_NAME.service"
  systemctl_() { systemctl --user "$@"; }
fi
# A --prefix install by a user gets a user unit only if that user's systemd answers.
systemd_usable() { has_systemd && systemctl_ show-environment >/dev/null 2>&1; }

# write_if_changed FILE MODE: writes stdin to FILE (atomically, MODE) unless FILE already holds it.
write_if_changed() {
  local file="$1" mode="$2" tmp
  tmp="$(mktemp "$(dirname "$file")/.$(basename "$file").XXXXXX")"
  cat >"$tmp"
  chmod "$mode" "$tmp"
  if [[ -f "$file" ]] && cmp -s "$tmp" "$file"; then
    rm -f "$tmp"
    log "unchanged: $file"
    return 1
  fi
  mv -f "$tmp" "$file"
  log "wrote $file"
}

# --- uninstall ---------------------------------------------------------------
if $uninstall; then
  # Our unit is only ours if it starts this installation's launcher.
  if [[ -f "$UNIT_FILE" ]] && grep -qF "ExecStart=$LAUNCHER " "$UNIT_FILE"; then
    if systemd_usable; then
      log "Stopping and disabling $SERVICE_NAME.service"
      systemctl_ disable --now "$SERVICE_NAME.service" || warn "could not stop $SERVICE_NAME.service"
    fi
    rm -f "$UNIT_FILE"
    log "removed $UNIT_FILE"
    if systemd_usable; then systemctl_ daemon-reload || true; fi
  fi
  for path in "$LAUNCHER" "$CLI_LAUNCHER" "$LIB_DIR" "$ETC_DIR" "$VAR_DIR"; do
    if [[ -e "$path" ]]; then
      rm -rf -- "$path"
      log "removed $path"
    fi
  done
  if [[ -n "$prefix" ]]; then
    # Leave DIR itself, but not the empty folders this script made in it.
    rmdir "$prefix/bin" "$prefix/lib" "$prefix/etc" "$prefix/var/lib" "$prefix/var" 2>/dev/null || true
  fi
  log "MAMOS agent uninstalled. It is still enrolled: decommission it with POST /api/v1/agents/<id>/decommission"
  exit 0
fi

# Fail before changing anything if enrolling is needed but impossible.
if ! $cli_only && { [[ ! -f "$CONFIG" ]] || $reenroll; }; then
  [[ -n "$server" ]] || die "not enrolled yet: pass --server URL (and the one-time token in MAMOS_AGENT_TOKEN)"
  [[ -n "$token" ]] || die "not enrolled yet: set MAMOS_AGENT_TOKEN to a one-time enrollment token (or pass --token)"
fi

# --- 1. Java -----------------------------------------------------------------
java_major() {
  "$1" -XshowSettings:properties -version 2>&1 \
    | sed -n 's/^ *java\.specification\.version = \([0-9]*\).*/\1/p' | head -n1
}
find_java() {
  local candidate
  candidate="$(command -v java || true)"
  [[ -n "$candidate" ]] || return 1
  local major
  major="$(java_major "$candidate")"
  [[ -n "$major" && "$major" -ge "$JAVA_MIN_VERSION" ]] || return 1
  readlink -f "$candidate"
}
if ! JAVA="$(find_java)"; then
  is_root || die "Java $JAVA_MIN_VERSION or newer is needed; install it (e.g. apt-get install openjdk-17-jre-headless, dnf install java-17-openjdk-headless) or run this as root"
  if command -v apt-get >/dev/null; then
    log "Installing a Java $JAVA_MIN_VERSION+ runtime with apt-get"
    apt-get update -q
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends openjdk-17-jre-headless \
      || DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends default-jre-headless
  elif command -v dnf >/dev/null; then
    log "Installing a Java $JAVA_MIN_VERSION+ runtime with dnf"
    dnf install -y java-17-openjdk-headless || dnf install -y java-21-openjdk-headless
  else
    die "no Java $JAVA_MIN_VERSION+ and neither apt-get nor dnf here; install a Java $JAVA_MIN_VERSION+ runtime first"
  fi
  JAVA="$(find_java)" || die "installed Java, but no java $JAVA_MIN_VERSION+ is on PATH"
fi
log "Java: $JAVA ($(java_major "$JAVA"))"

# --- 2. jar and launcher -----------------------------------------------------
mkdir -p "$BIN_DIR" "$LIB_DIR" "$VAR_DIR"
jar_file="$jar_source"
downloaded=""
if [[ "$jar_source" =~ ^https?:// ]]; then
  downloaded="$(mktemp "$LIB_DIR/.download.XXXXXX")"
  trap 'rm -f "$downloaded"' EXIT
  log "Downloading $jar_source"
  if command -v curl >/dev/null; then
    curl -fsSL --retry 3 -o "$downloaded" "$jar_source" || die "could not download $jar_source"
  else
    python3 - "$jar_source" "$downloaded" <<'PY' || die "could not download $jar_source"
import sys, urllib.request
urllib.request.urlretrieve(sys.argv[1], sys.argv[2])
PY
  fi
  jar_file="$downloaded"
fi
[[ -f "$jar_file" ]] || die "no agent jar at $jar_file; build it (./mvnw -B -pl agent-worker -am package -DskipTests) or pass --jar"
write_if_changed "$INSTALLED_JAR" 0644 <"$jar_file" || true
if [[ -f "$AGENT_JVM_OPTIONS" ]]; then
  write_if_changed "$JVM_OPTIONS_FILE" 0644 <"$AGENT_JVM_OPTIONS" || true
else
  # shellcheck disable=SC2086 # one option a line
  printf '%s\n' $FALLBACK_JVM_OPTIONS | write_if_changed "$JVM_OPTIONS_FILE" 0644 || true
fi

# The launcher: this installation's paths, and the JVM options of LIB/jvm.options. Every setting is a
# default the environment can override (MAMOS_AGENT_*; MAMOS_AGENT_JAVA_OPTS replaces the JVM options).
write_if_changed "$LAUNCHER" 0755 <<EOF || true
#!/usr/bin/env bash
# MAMOS agent launcher, written by scripts/install_agent.sh. Usage: mamos-agent run | enroll | --help
set -euo pipefail
export MALLOC_ARENA_MAX="\${MALLOC_ARENA_MAX:-2}"
export MAMOS_AGENT_CONFIG="\${MAMOS_AGENT_CONFIG:-$CONFIG}"
export MAMOS_AGENT_WORK_DIR="\${MAMOS_AGENT_WORK_DIR:-$WORK_DIR}"
export MAMOS_AGENT_METRICS_ADDRESS="\${MAMOS_AGENT_METRICS_ADDRESS:-$metrics_address}"
if [[ -n "\${MAMOS_AGENT_JAVA_OPTS:-}" ]]; then
  # shellcheck disable=SC2086 # JVM options are words
  exec "$JAVA" \$MAMOS_AGENT_JAVA_OPTS -jar "$INSTALLED_JAR" "\$@"
fi
exec "$JAVA" "@$JVM_OPTIONS_FILE" -jar "$INSTALLED_JAR" "\$@"
EOF
cli_launcher "$JAVA" "$INSTALLED_JAR" | write_if_changed "$CLI_LAUNCHER" 0755 || true
if $cli_only; then
  log "Installed the operator CLI: $CLI_LAUNCHER (next: $CLI_LAUNCHER login --server URL --user NAME)"
  [[ ":$PATH:" == *":$BIN_DIR:"* ]] || warn "$BIN_DIR is not on PATH; add it, or call $CLI_LAUNCHER by its path"
  exit 0
fi

# --- 3. enrollment -----------------------------------------------------------
service_user_exists() { id -u "$SERVICE_USER" >/dev/null 2>&1; }
if is_root && [[ -z "$prefix" ]] && ! service_user_exists; then
  log "Creating system user $SERVICE_USER"
  useradd --system --home-dir "$VAR_DIR" --no-create-home --shell /usr/sbin/nologin "$SERVICE_USER" \
    || die "could not create user $SERVICE_USER"
fi

if [[ -f "$CONFIG" ]] && ! $reenroll; then
  log "Already enrolled ($CONFIG); keeping this identity (--reenroll for a new one)"
else
  enroll_args=(enroll --server "$server" --config "$CONFIG")
  [[ -n "$allow" ]] && enroll_args+=(--allow "$allow")
  [[ -n "$agent_hostname" ]] && enroll_args+=(--hostname "$agent_hostname")
  [[ -n "$temporal_target" ]] && enroll_args+=(--temporal-target "$temporal_target")
  $reenroll && enroll_args+=(--force)
  log "Enrolling with $server (config: $CONFIG)"
  # The token goes through the environment, never the command line.
  MAMOS_AGENT_TOKEN="$token" "$LAUNCHER" "${enroll_args[@]}" || die "enrollment failed (exit $?); see above"
fi
chmod 700 "$ETC_DIR"
chmod 600 "$CONFIG"
mkdir -p "$WORK_DIR"
if is_root && [[ -z "$prefix" ]]; then
  chown -R "$SERVICE_USER:" "$ETC_DIR" "$VAR_DIR"
fi
agent_id="$(sed -n 's/^agent\.id=//p' "$CONFIG" | head -n1)"
log "Agent id: ${agent_id:-unknown}"

# --- 4. start ----------------------------------------------------------------
if [[ "$mode" == no-start ]]; then
  log "Installed; not started (--no-start). Start it with: $LAUNCHER run"
  exit 0
fi

if [[ "$mode" == auto ]] && systemd_usable; then
  mkdir -p "$(dirname "$UNIT_FILE")"
  unit_user=""
  wanted_by="default.target"
  if is_root; then
    wanted_by="multi-user.target"
    [[ -z "$prefix" ]] && unit_user="User=$SERVICE_USER"$'\n'"Group=$SERVICE_USER"
  fi
  if write_if_changed "$UNIT_FILE" 0644 <<EOF; then
# MAMOS agent, installed by scripts/install_agent.sh
[Unit]
Description=MAMOS agent (Temporal worker running allowlisted commands)
Wants=network-online.target
After=network-online.target

[Service]
Type=simple
$unit_user
ExecStart=$LAUNCHER run
Restart=on-failure
RestartSec=5
# Exit codes 2 (bad options) and 5 (bad config) will not heal by restarting.
RestartPreventExitStatus=2 5
NoNewPrivileges=yes
PrivateTmp=yes

[Install]
WantedBy=$wanted_by
EOF
    systemctl_ daemon-reload
  fi
  systemctl_ enable "$SERVICE_NAME.service"
  systemctl_ restart "$SERVICE_NAME.service"
  journal="journalctl -u $SERVICE_NAME"
  is_root || journal="journalctl --user -u $SERVICE_NAME"
  log "Started $SERVICE_NAME.service (logs: $journal)"
  exit 0
fi

[[ "$mode" == foreground ]] || log "No systemd here: running the agent in the foreground (Ctrl-C stops it)"
log "Running: $LAUNCHER run"
if is_root && [[ -z "$prefix" ]] && command -v runuser >/dev/null; then
  exec runuser -u "$SERVICE_USER" -- "$LAUNCHER" run
fi
exec "$LAUNCHER" run
