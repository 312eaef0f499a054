#!/usr/bin/env python3
"""Checks that infra/docker/docker-compose.dev.yml fits the images and applications it runs,
without a Docker engine. Called by scripts/check-deployment.sh with the output of
`docker-compose config` (resolved YAML) on stdin.

Every port, volume and environment variable the compose file names is checked against what the
applications and images actually have: application.yml keys (orchestrator), the agent's --help
(or its sources), the dashboard's process.env reads, Dockerfile EXPOSE/VOLUME/USER, and the
paths the Prometheus and Grafana configuration expect. Prints one line per check; exits 1 if
any fails.

YAML comes from PyYAML, which Debian's docker-compose package depends on.
"""
import json
import os
import re
import subprocess
import sys

import yaml

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
failures = []


def check(ok, what):
    print(("ok   " if ok else "FAIL ") + what)
    if not ok:
        failures.append(what)
    return ok


def read(path):
    with open(os.path.join(ROOT, path), encoding="utf-8") as f:
        return f.read()


# --- sources of truth ------------------------------------------------------------------------

def flatten(tree, prefix=""):
    keys = set()
    if isinstance(tree, dict):
        for k, v in tree.items():
            name = f"{prefix}.{k}" if prefix else str(k)
            keys.add(name)
            keys |= flatten(v, name)
    return keys


def spring_env_names(keys):
    """Environment variable names Spring Boot binds to each key: canonical (dashes removed) and
    legacy (dashes as underscores), as SystemEnvironmentPropertyMapper does."""
    names = {}
    for key in keys:
        canonical = key.replace("-", "").replace(".", "_").upper()
        legacy = key.replace("-", "_").replace(".", "_").upper()
        names[canonical] = key
        names[legacy] = key
    return names


def agent_env_names():
    """MAMOS_AGENT_* variables the agent reads: from its --help when the jar is built, else its sources."""
    jar = os.path.join(ROOT, "agent-worker", "target", "mamos-agent.jar")
    text = ""
    if os.path.isfile(jar):
        for sub in ("enroll", "run"):
            text += subprocess.run(["java", "-jar", jar, sub, "--help"], capture_output=True,
                                   text=True, check=False).stdout
        source = "mamos-agent enroll/run --help"
    else:
        for dirpath, _, files in os.walk(os.path.join(ROOT, "agent-worker", "src", "main")):
            for name in files:
                if name.endswith(".java"):
                    with open(os.path.join(dirpath, name), encoding="utf-8") as f:
                        text += f.read()
        source = "agent-worker sources (jar not built)"
    return set(re.findall(r"MAMOS_AGENT_[A-Z_]+[A-Z]", text)), source


def dockerfile(path):
    text = read(path)
    lines = re.sub(r"\\\n", " ", text).splitlines()
    instructions = [(l.split(None, 1)[0].upper(), l.split(None, 1)[1] if len(l.split(None, 1)) > 1 else "")
                    for l in (x.strip() for x in lines) if l and not l.startswith("#")]
    return {
        "from": [a for i, a in instructions if i == "FROM"],
        "expose": {int(p.split("/")[0]) for i, a in instructions if i == "EXPOSE" for p in a.split()},
        "volume": {v for i, a in instructions if i == "VOLUME" for v in json.loads(a)},
        "user": [a for i, a in instructions if i == "USER"],
        "env": {m.group(1): m.group(2) for i, a in instructions if i == "ENV"
                for m in re.finditer(r'([A-Z_][A-Z0-9_]*)=("[^"]*"|\S+)', a)},
        "healthcheck": any(i == "HEALTHCHECK" for i, _ in instructions),
        "text": text,
    }


def env_of(service):
    env = service.get("environment") or {}
    if isinstance(env, list):
        env = dict(item.split("=", 1) for item in env)
    return {k: ("" if v is None else str(v)) for k, v in env.items()}


def container_ports(service):
    ports = set()
    for p in service.get("ports") or []:
        target = p.get("target") if isinstance(p, dict) else str(p).rsplit(":", 1)[-1].split("/")[0]
        ports.add(int(target))
    return ports


def mounts(service):
    """(type, source, target, read_only) of each mount, long or short syntax."""
    result = []
    for v in service.get("volumes") or []:
        if isinstance(v, dict):
            result.append((v.get("type"), v.get("source"), v["target"], bool(v.get("read_only"))))
        else:
            parts = v.split(":")
            source, target = parts[0], parts[1]
            kind = "bind" if source.startswith(("/", ".")) else "volume"
            result.append((kind, source, target, len(parts) > 2 and "ro" in parts[2].split(",")))
    return result


def mount_of(service, target):
    return next((m for m in mounts(service) if m[2] == target), None)


# --- checks ----------------------------------------------------------------------------------

def main():
    compose = yaml.safe_load(sys.stdin.read())
    services = compose["services"]
    raw = read("infra/docker/docker-compose.dev.yml")

    expected = {"postgresql", "temporal", "temporal-ui", "orchestrator", "bootstrap", "agent",
                "dashboard", "prometheus", "grafana"}
    check(expected <= set(services), f"services present: {sorted(expected)}")

    # Healthchecks on every long-running service; bootstrap is a one-shot.
    for name, service in services.items():
        if name == "bootstrap":
            check(service.get("restart") == "no", "bootstrap is a one-shot (restart: no)")
            continue
        check(bool((service.get("healthcheck") or {}).get("test")), f"{name} has a healthcheck")

    # Named volumes: every declared one is used, every used one is declared.
    declared = set((compose.get("volumes") or {}).keys())
    used = {m[1] for s in services.values() for m in mounts(s) if m[0] == "volume"}
    check(used == declared, f"named volumes used = declared ({sorted(declared)})")
    for name, service in services.items():
        for kind, source, target, _ in mounts(service):
            if kind == "bind":
                check(os.path.exists(source), f"{name}: bind mount source {source} exists")

    # Secrets are references to .env, never literals.
    for var in ("POSTGRES_PASSWORD", "GRAFANA_ADMIN_PASSWORD"):
        check(f"${{{var}}}" in raw, f"{var} comes from the env file, not the compose file")
    example = read("infra/docker/.env.example")
    check(all("CHANGE-ME" in line for line in example.splitlines() if re.match(r"\w*PASSWORD=", line)),
          ".env.example holds only CHANGE-ME placeholders for passwords")
    check(not re.search(r"(?i)(password|secret|token)\s*[:=]\s*['\"]?[A-Za-z0-9+/]{16,}", raw),
          "no literal secret in docker-compose.dev.yml")

    # --- orchestrator: env vars are application.yml keys; port and data dir match the image.
    app_keys = flatten(yaml.safe_load(read("orchestrator/src/main/resources/application.yml")))
    spring_names = spring_env_names(app_keys)
    orch = services["orchestrator"]
    orch_env = env_of(orch)
    orch_image = dockerfile("orchestrator/Dockerfile")
    for var in sorted(orch_env):
        check(var in spring_names, f"orchestrator env {var} binds to application.yml key "
                                   f"{spring_names.get(var, '(none)')}")
    port = int(orch_env.get("SERVER_PORT", "4000"))
    gateway_port = int(orch_env.get("MAMOS_GATEWAY_PORT", "4233"))
    check(container_ports(orch) == {port, gateway_port},
          f"orchestrator publishes container ports SERVER_PORT={port} and MAMOS_GATEWAY_PORT={gateway_port}")
    check(port in orch_image["expose"] and gateway_port in orch_image["expose"],
          f"orchestrator/Dockerfile EXPOSEs {port} and {gateway_port}")
    data_dir = orch_env.get("MAMOS_DATA_DIR")
    m = mount_of(orch, data_dir or "")
    check(m is not None and m[0] == "volume", f"orchestrator data dir MAMOS_DATA_DIR={data_dir} is a named volume")
    check(data_dir in orch_image["volume"] and orch_image["env"].get("MAMOS_DATA_DIR") == data_dir,
          f"orchestrator/Dockerfile declares VOLUME and MAMOS_DATA_DIR {data_dir}")
    check(f"/dev/tcp/127.0.0.1/{port}" in json.dumps(orch["healthcheck"]["test"]),
          f"orchestrator healthcheck asks port {port}")
    orch_volume = m[1] if m else None

    # --- agent: env vars are options the agent (or its entrypoint) reads; paths in its volume.
    agent = services["agent"]
    agent_env = env_of(agent)
    agent_image = dockerfile("agent-worker/Dockerfile")
    known, source = agent_env_names()
    entrypoint = read("infra/docker/agent-entrypoint.sh")
    for var in sorted(set(agent_env) | set(agent_image["env"])):
        if var.startswith("MAMOS_AGENT_"):
            ok = var in known or var in entrypoint
            check(ok, f"agent env {var} is read by the agent ({source}) or agent-entrypoint.sh")
    config = agent_env.get("MAMOS_AGENT_CONFIG", "")
    work = agent_env.get("MAMOS_AGENT_WORK_DIR", "")
    token_file = agent_env.get("MAMOS_AGENT_TOKEN_FILE", "")
    agent_mount = mount_of(agent, os.path.dirname(config))
    check(agent_mount is not None and agent_mount[0] == "volume",
          f"agent config {config} lies in a named volume")
    for path in (work, token_file):
        check(agent_mount is not None and path.startswith(agent_mount[2] + "/"),
              f"agent path {path} lies in its volume {agent_mount[2] if agent_mount else '?'}")
    check(os.path.dirname(config) in agent_image["volume"], "agent-worker/Dockerfile declares the config's folder a VOLUME")
    metrics_port = int(agent_env.get("MAMOS_AGENT_METRICS_ADDRESS", "0.0.0.0:9101").rsplit(":", 1)[1])
    check(metrics_port in agent_image["expose"], f"agent-worker/Dockerfile EXPOSEs the metrics port {metrics_port}")
    check(str(metrics_port) in json.dumps(agent["healthcheck"]["test"]), "agent healthcheck asks the metrics port")
    check(agent.get("hostname") == agent_env.get("MAMOS_AGENT_HOSTNAME") == "agent"
          and "agent" in services, "agent advertises a name Prometheus resolves (hostname = service name)")

    # --- bootstrap shares the right volumes with the right paths.
    boot = services["bootstrap"]
    boot_env = env_of(boot)
    bm = mount_of(boot, boot_env.get("MAMOS_ORCHESTRATOR_DATA", ""))
    check(bm is not None and bm[1] == orch_volume and bm[3], "bootstrap reads the orchestrator's volume, read-only")
    bm = mount_of(boot, boot_env.get("MAMOS_AGENT_DATA", ""))
    check(bm is not None and agent_mount is not None and bm[1] == agent_mount[1],
          "bootstrap writes into the agent's volume")
    check(agent_env.get("MAMOS_AGENT_TOKEN_FILE") == boot_env.get("MAMOS_AGENT_DATA") + "/enrollment-token",
          "the agent reads its token where bootstrap writes it")
    uid = re.search(r"ARG MAMOS_UID=(\d+)", orch_image["text"])
    check(uid and boot_env.get("MAMOS_UID") == uid.group(1) and f"ARG MAMOS_UID={uid.group(1)}" in agent_image["text"],
          "orchestrator, agent and bootstrap agree on the MAMOS uid")

    # --- Prometheus: project config and the SD token where prometheus.yml expects them.
    prom = services["prometheus"]
    prom_cfg = yaml.safe_load(read("infra/prometheus/prometheus.yml"))
    cred = [c["authorization"]["credentials_file"] for j in prom_cfg["scrape_configs"]
            for c in j.get("http_sd_configs", []) if "authorization" in c][0]
    sm = mount_of(prom, os.path.dirname(cred))
    bs = mount_of(boot, boot_env.get("MAMOS_SECRETS_DIR", ""))
    check(sm is not None and bs is not None and sm[1] == bs[1],
          f"Prometheus credentials_file {cred} is in the volume bootstrap writes the SD token to")
    cm = mount_of(prom, "/etc/prometheus")
    check(cm is not None and os.path.isfile(os.path.join(cm[1], "prometheus.yml")),
          "Prometheus mounts infra/prometheus at /etc/prometheus")
    check(any(a == "--config.file=/etc/prometheus/prometheus.yml" for a in prom.get("command", [])),
          "Prometheus runs /etc/prometheus/prometheus.yml")
    targets = [t for j in prom_cfg["scrape_configs"] for s in j.get("static_configs", []) for t in s["targets"]]
    check(f"orchestrator:{port}" in targets, f"prometheus.yml scrapes orchestrator:{port}")
    check(container_ports(prom) == {9090}, "Prometheus publishes its port 9090")

    # --- Grafana: provisioning and dashboards where the provisioning files say.
    graf = services["grafana"]
    check(mount_of(graf, "/etc/grafana/provisioning") is not None, "Grafana mounts the provisioning")
    providers = yaml.safe_load(read("infra/grafana/provisioning/dashboards/mamos.yml"))["providers"]
    dash_path = providers[0]["options"]["path"]
    dm = mount_of(graf, dash_path)
    check(dm is not None and os.path.isdir(dm[1]), f"Grafana mounts the dashboards at the provider path {dash_path}")
    home = env_of(graf).get("GF_DASHBOARDS_DEFAULT_HOME_DASHBOARD_PATH", "")
    check(dm is not None and home.startswith(dash_path + "/")
          and os.path.isfile(os.path.join(dm[1], os.path.relpath(home, dash_path))),
          "Grafana's home dashboard file exists in the mounted folder")
    datasource = yaml.safe_load(read("infra/grafana/provisioning/datasources/prometheus.yml"))["datasources"][0]
    check(datasource["url"] == "http://prometheus:9090" and "prometheus" in services,
          "Grafana's datasource points at the prometheus service")
    check(container_ports(graf) == {3000}, "Grafana publishes its port 3000")
    grafana_host_port = [p for p in raw.splitlines() if ":3000\"" in p and "GRAFANA_PORT" in p]
    check(bool(grafana_host_port), "Grafana is published on ${GRAFANA_PORT} (3001)")

    # --- Temporal and its UI.
    temporal = services["temporal"]
    check(container_ports(temporal) == set(), "Temporal's frontend is not published (agents use the gateway)")
    check(env_of(temporal).get("DB") == "postgres12" and env_of(temporal).get("POSTGRES_SEEDS") == "postgresql",
          "Temporal persists in the postgresql service")
    check(orch_env.get("MAMOS_TEMPORAL_TARGET") == "temporal:7233", "orchestrator reaches temporal:7233")
    check(agent_env.get("MAMOS_AGENT_TEMPORAL_TARGET") == f"orchestrator:{gateway_port}",
          f"agent reaches Temporal through the gateway, orchestrator:{gateway_port}")
    check(env_of(services["temporal-ui"]).get("TEMPORAL_ADDRESS") == "temporal:7233"
          and container_ports(services["temporal-ui"]) == {8080}, "Temporal UI reaches temporal:7233, serves 8080")
    pm = mount_of(services["postgresql"], "/var/lib/postgresql/data")
    check(pm is not None and pm[0] == "volume", "PostgreSQL data is a named volume")

    # --- dashboard: env vars it reads; port matches EXPOSE.
    dash = services["dashboard"]
    dash_image = dockerfile("dashboard/Dockerfile")
    dash_source = ""
    for folder in ("lib", "app"):
        for dirpath, _, files in os.walk(os.path.join(ROOT, "dashboard", folder)):
            for name in files:
                if name.endswith((".ts", ".tsx")):
                    with open(os.path.join(dirpath, name), encoding="utf-8") as f:
                        dash_source += f.read()
    next_server = {"PORT", "HOSTNAME", "NODE_ENV", "NEXT_TELEMETRY_DISABLED"}
    for var in sorted(set(env_of(dash)) | set(dash_image["env"])):
        check(var in next_server or f"process.env.{var}" in dash_source,
              f"dashboard env {var} is read by the dashboard or Next's standalone server")
    dash_port = int(env_of(dash).get("PORT", "3000"))
    check(container_ports(dash) == {dash_port} and dash_port in dash_image["expose"],
          f"dashboard publishes PORT={dash_port}, which dashboard/Dockerfile EXPOSEs")
    check(env_of(dash).get("MAMOS_API_URL") == f"http://orchestrator:{port}", "dashboard reaches the orchestrator service")

    # --- Dockerfiles: multi-stage, non-root, healthcheck, expected bases.
    for path, image, build_base, runtime_base in (
            ("orchestrator/Dockerfile", orch_image, "maven:3.9-eclipse-temurin-17", "eclipse-temurin:17-jre"),
            ("agent-worker/Dockerfile", agent_image, "maven:3.9-eclipse-temurin-17", "eclipse-temurin:17-jre"),
            ("dashboard/Dockerfile", dash_image, "node:20", "node:20-slim")):
        check(len(image["from"]) >= 2, f"{path} is multi-stage")
        check(f"={build_base}" in image["text"] and f"={runtime_base}" in image["text"],
              f"{path} builds on {build_base} and runs on {runtime_base}")
        check(bool(image["user"]) and image["user"][-1].split(":")[0] not in ("root", "0"),
              f"{path} runs as a non-root user ({image['user'][-1] if image['user'] else 'none'})")
        check(image["healthcheck"], f"{path} has a HEALTHCHECK")
    for name in ("orchestrator", "agent"):
        build = services[name].get("build") or {}
        check(os.path.abspath(build.get("context", "")) == ROOT, f"{name} builds from the repository root (Maven reactor)")
        ignore = os.path.join(ROOT, build.get("dockerfile", "") + ".dockerignore")
        check(os.path.isfile(ignore), f"{name}'s Dockerfile has its .dockerignore")
    check(os.path.isfile(os.path.join(ROOT, "dashboard", ".dockerignore")), "dashboard has a .dockerignore")

    print(f"{len(failures)} check(s) failed" if failures else "all compose checks passed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
