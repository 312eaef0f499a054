#!/usr/bin/env python3
"""One-shot bootstrap of the MAMOS Compose stack (service `bootstrap`), run once the
orchestrator is healthy. Standard library only.

1. Copies the orchestrator's Prometheus service-discovery token (written 0600 into its data dir
   on first start) into the `prometheus-secrets` volume, readable by Prometheus (user nobody),
   which mounts it at /run/secrets/prometheus-sd-token.
2. If the agent is not enrolled yet (no config in the agent's volume), logs in as admin with the
   generated password, creates a one-time enrollment token and leaves it in the agent's volume,
   owned by the agent's uid and mode 0600; the agent's entrypoint enrolls with it and deletes it.

Runs as root only to hand files to the uids of other containers; it never logs a secret.
"""
import json
import os
import sys
import urllib.request

ORCHESTRATOR_URL = os.environ.get("MAMOS_ORCHESTRATOR_URL", "http://orchestrator:4000")
ORCHESTRATOR_DATA = os.environ.get("MAMOS_ORCHESTRATOR_DATA", "/var/lib/mamos")
AGENT_DATA = os.environ.get("MAMOS_AGENT_DATA", "/var/lib/mamos-agent")
AGENT_CONFIG = os.path.join(AGENT_DATA, os.environ.get("MAMOS_AGENT_CONFIG_NAME", "agent.properties"))
AGENT_TOKEN_FILE = os.path.join(AGENT_DATA, "enrollment-token")
SECRETS_DIR = os.environ.get("MAMOS_SECRETS_DIR", "/run/mamos-secrets")
MAMOS_UID = int(os.environ.get("MAMOS_UID", "10001"))
PROMETHEUS_UID = int(os.environ.get("PROMETHEUS_UID", "65534"))
TOKEN_TTL_SECONDS = int(os.environ.get("MAMOS_ENROLLMENT_TTL_SECONDS", "900"))


def log(message):
    print(f"[bootstrap] {message}", file=sys.stderr, flush=True)


def write_private(path, text, uid, mode=0o600):
    """Writes text to path atomically, owned by uid, with the given mode from the start."""
    tmp = path + ".tmp"
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, mode)
    with os.fdopen(fd, "w") as out:
        out.write(text)
    os.chown(tmp, uid, uid)
    os.chmod(tmp, mode)
    os.replace(tmp, path)


def api(method, path, body=None, token=None):
    request = urllib.request.Request(ORCHESTRATOR_URL + path, method=method,
                                     data=json.dumps(body).encode() if body is not None else None)
    request.add_header("Accept", "application/json")
    if body is not None:
        request.add_header("Content-Type", "application/json")
    if token:
        request.add_header("Authorization", "Bearer " + token)
    with urllib.request.urlopen(request, timeout=30) as response:
        return json.load(response)


def copy_scrape_token():
    source = os.path.join(ORCHESTRATOR_DATA, "prometheus-sd-token")
    with open(source) as f:
        token = f.read().strip()
    os.makedirs(SECRETS_DIR, exist_ok=True)
    write_private(os.path.join(SECRETS_DIR, "prometheus-sd-token"), token + "\n", PROMETHEUS_UID, 0o400)
    log(f"Prometheus SD token copied to {SECRETS_DIR}/prometheus-sd-token")


def hand_enrollment_token_to_agent():
    # The agent image owns its volume as MAMOS_UID, 0700; this container may be first to mount it.
    os.makedirs(AGENT_DATA, exist_ok=True)
    os.chown(AGENT_DATA, MAMOS_UID, MAMOS_UID)
    os.chmod(AGENT_DATA, 0o700)
    if os.path.exists(AGENT_CONFIG):
        log(f"agent already enrolled ({AGENT_CONFIG}); no token needed")
        return
    if os.path.exists(AGENT_TOKEN_FILE):
        os.remove(AGENT_TOKEN_FILE)  # possibly expired: hand out a fresh one
    with open(os.path.join(ORCHESTRATOR_DATA, "admin-password")) as f:
        password = f.read().strip()
    access = api("POST", "/api/v1/auth/token", {"username": "admin", "password": password})["accessToken"]
    enrollment = api("POST", "/api/v1/enrollment-tokens", {"ttlSeconds": TOKEN_TTL_SECONDS}, access)
    write_private(AGENT_TOKEN_FILE, enrollment["token"], MAMOS_UID)
    log(f"one-time enrollment token left for the agent in {AGENT_TOKEN_FILE} (valid {TOKEN_TTL_SECONDS}s)")


def main():
    copy_scrape_token()
    hand_enrollment_token_to_agent()


if __name__ == "__main__":
    main()
