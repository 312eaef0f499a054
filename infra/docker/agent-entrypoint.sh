#!/usr/bin/env bash
# Entrypoint of the MAMOS agent image. `run` (the default) enrolls first when the agent has no
# config yet, with a one-time token from MAMOS_AGENT_TOKEN or from the file MAMOS_AGENT_TOKEN_FILE
# (which the Compose bootstrap service writes), then runs the agent in the foreground.
# Any other arguments go to mamos-agent unchanged (enroll, --help, ...).
set -euo pipefail

AGENT_JAR="${AGENT_JAR:-/opt/mamos/mamos-agent.jar}"
# The agent's JVM options (scripts/lib/agent-jvm.options); MAMOS_AGENT_JAVA_OPTS replaces them.
JVM_OPTIONS_FILE="${MAMOS_AGENT_JVM_OPTIONS_FILE:-/opt/mamos/jvm.options}"
TOKEN_FILE="${MAMOS_AGENT_TOKEN_FILE:-/var/lib/mamos-agent/enrollment-token}"
TOKEN_WAIT_SECONDS="${MAMOS_AGENT_TOKEN_WAIT_SECONDS:-120}"

log() { printf '[agent-entrypoint] %s\n' "$*" >&2; }

case "${1:-run}" in
  -h | --help)
    cat <<USAGE
Usage: agent-entrypoint.sh [run [OPTIONS] | enroll [OPTIONS] | --help]
Runs mamos-agent. Before \`run\`, enrolls when ${MAMOS_AGENT_CONFIG:-the config} does not exist,
with the token in MAMOS_AGENT_TOKEN or the file $TOKEN_FILE (waits up to ${TOKEN_WAIT_SECONDS}s for it).
Agent options: java -jar $AGENT_JAR --help.
USAGE
    exit 0
    ;;
esac

# The JVM options as words: MAMOS_AGENT_JAVA_OPTS when set, else the options file (when there is one).
jvm_options=()
if [[ -n "${MAMOS_AGENT_JAVA_OPTS:-}" ]]; then
  # shellcheck disable=SC2206 # JVM options are words
  jvm_options=($MAMOS_AGENT_JAVA_OPTS)
elif [[ -f "$JVM_OPTIONS_FILE" ]]; then
  jvm_options=("@$JVM_OPTIONS_FILE")
fi

agent() {
  java "${jvm_options[@]}" -jar "$AGENT_JAR" "$@"
}

if [[ "${1:-run}" == run && ! -f "${MAMOS_AGENT_CONFIG:?MAMOS_AGENT_CONFIG must name the config file}" ]]; then
  token="${MAMOS_AGENT_TOKEN:-}"
  if [[ -z "$token" ]]; then
    log "not enrolled yet; waiting for an enrollment token in $TOKEN_FILE"
    for ((i = 0; i < TOKEN_WAIT_SECONDS; i++)); do
      [[ -s "$TOKEN_FILE" ]] && break
      sleep 1
    done
    [[ -s "$TOKEN_FILE" ]] || { log "no token in $TOKEN_FILE after ${TOKEN_WAIT_SECONDS}s"; exit 5; }
    token="$(<"$TOKEN_FILE")"
  fi
  log "enrolling with ${MAMOS_AGENT_SERVER:?MAMOS_AGENT_SERVER must name the orchestrator}"
  MAMOS_AGENT_TOKEN="$token" agent enroll
  # One-time token: spent now, never needed again.
  rm -f "$TOKEN_FILE"
fi

[[ $# -gt 0 ]] || set -- run
unset MAMOS_AGENT_TOKEN
exec java "${jvm_options[@]}" -jar "$AGENT_JAR" "$@"
