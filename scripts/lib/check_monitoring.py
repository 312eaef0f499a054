#!/usr/bin/env python3
"""Checks of the MAMOS monitoring setup, driven by scripts/check-monitoring.sh.

Standard library only. Subcommands:
  render     write a local Prometheus config derived from infra/prometheus/prometheus.yml
  dashboard  validate the Grafana dashboard JSON against the provisioned datasource
  discovery  call the orchestrator's Prometheus HTTP service-discovery endpoint
  targets    wait until Prometheus scrapes the orchestrator and the discovered agents
  queries    run every panel and variable query of the dashboard against Prometheus
Each prints what it checked and exits 1 on the first kind of failure it finds.
"""

import argparse
import json
import re
import shutil
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

# Spelled exactly like this in infra/prometheus/prometheus.yml (the Compose values).
COMPOSE_ORCHESTRATOR = "orchestrator:4000"
COMPOSE_TOKEN_FILE = "/run/secrets/prometheus-sd-token"
ORCHESTRATOR_JOB = "mamos-orchestrator"
AGENT_JOB = "mamos-agent"
# Grafana's built-in annotation datasource, present in every dashboard.
GRAFANA_BUILTIN_DS = "-- Grafana --"
GRID_WIDTH = 24
# Values given to Grafana's variables when a query is run outside Grafana.
GRAFANA_BUILTINS = {"__rate_interval": "1m", "__interval": "15s", "__range": "1h"}


def fail(message):
    print(f"FAIL: {message}", file=sys.stderr)
    sys.exit(1)


def http_get(url, token=None, timeout=10):
    """Returns (status, body); status 0 when the server could not be reached."""
    request = urllib.request.Request(url, headers={"Accept": "application/json"})
    if token is not None:
        request.add_header("Authorization", "Bearer " + token)
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as e:
        return e.code, e.read().decode(errors="replace")
    except (urllib.error.URLError, OSError) as e:
        return 0, str(e)


# --- render ------------------------------------------------------------------------------

def replace_exactly(text, old, new, what, expected=1):
    count = text.count(old)
    if count != expected:
        fail(f"{what}: expected '{old}' {expected}x in the committed config, found {count}x "
             "(keep prometheus.yml and scripts/lib/check_monitoring.py in step)")
    return text.replace(old, new)


def cmd_render(args):
    source = Path(args.config)
    text = source.read_text()
    # Scrape target and SD url both name the orchestrator.
    text = replace_exactly(text, COMPOSE_ORCHESTRATOR, args.orchestrator, "orchestrator address", 2)
    text = replace_exactly(text, COMPOSE_TOKEN_FILE, str(Path(args.token_file).resolve()), "token file")
    if args.scrape_interval:
        text = re.sub(r"(?m)^(\s*(?:scrape|evaluation|refresh)_interval:\s*)\S+", r"\g<1>" + args.scrape_interval,
                      text)
    out = Path(args.out_dir)
    out.mkdir(parents=True, exist_ok=True)
    (out / "prometheus.yml").write_text(text)
    # rule_files are relative to the config file: bring them along.
    rules = source.parent / "rules"
    if rules.is_dir():
        shutil.copytree(rules, out / "rules", dirs_exist_ok=True)
    print(f"rendered {out / 'prometheus.yml'} (orchestrator {args.orchestrator}, token {args.token_file})")


# --- dashboard ---------------------------------------------------------------------------

def provisioned_datasources(path):
    """(uid -> type) of a Grafana datasource provisioning file; a small reader for its flat list."""
    datasources, current = {}, None
    for line in Path(path).read_text().splitlines():
        line = line.split("#", 1)[0].rstrip()
        item = re.match(r"^\s*-\s+(\w+):\s*(.*)$", line)
        field = item or re.match(r"^\s+(\w+):\s*(.*)$", line)
        if item:
            current = {}
            datasources.setdefault("_list", []).append(current)
        if field and current is not None:
            current.setdefault(field.group(1), field.group(2).strip().strip("'\""))
    result = {}
    for entry in datasources.get("_list", []):
        if "uid" in entry:
            result[entry["uid"]] = entry.get("type", "")
    return result


def all_panels(dashboard):
    for panel in dashboard.get("panels", []):
        yield panel
        yield from panel.get("panels", [])  # panels of collapsed rows


def panel_queries(dashboard):
    """(panel, target) for every query target of every panel."""
    for panel in all_panels(dashboard):
        for target in panel.get("targets", []):
            yield panel, target


def cmd_dashboard(args):
    errors = []
    datasources = provisioned_datasources(args.datasources)
    if not datasources:
        fail(f"no datasource with a uid in {args.datasources}")
    try:
        dashboard = json.loads(Path(args.dashboard).read_text())
    except json.JSONDecodeError as e:
        fail(f"{args.dashboard} is not valid JSON: {e}")

    def check_ds(where, ds, allow_builtin=False):
        if allow_builtin and isinstance(ds, dict) and ds.get("uid") == GRAFANA_BUILTIN_DS:
            return
        if not isinstance(ds, dict) or "uid" not in ds:
            errors.append(f"{where}: datasource must be an object with a uid, got {ds!r}")
        elif ds["uid"] not in datasources:
            errors.append(f"{where}: datasource uid {ds['uid']!r} is not provisioned ({sorted(datasources)})")
        elif ds.get("type") != datasources[ds["uid"]]:
            errors.append(f"{where}: datasource type {ds.get('type')!r} != provisioned {datasources[ds['uid']]!r}")

    if dashboard.get("title") != args.title:
        errors.append(f"title is {dashboard.get('title')!r}, expected {args.title!r}")
    if args.uid and dashboard.get("uid") != args.uid:
        errors.append(f"uid is {dashboard.get('uid')!r}, expected {args.uid!r}")
    if not isinstance(dashboard.get("schemaVersion"), int):
        errors.append("schemaVersion missing or not an integer")

    variables = {v.get("name"): v for v in dashboard.get("templating", {}).get("list", [])}
    for name, variable in variables.items():
        if variable.get("type") == "query":
            check_ds(f"variable ${name}", variable.get("datasource"))
            if not variable.get("query"):
                errors.append(f"variable ${name}: empty query")
    for name in args.require_variable:
        if name not in variables:
            errors.append(f"variable ${name} is missing")
    for annotation in dashboard.get("annotations", {}).get("list", []):
        check_ds(f"annotation {annotation.get('name')!r}", annotation.get("datasource"), allow_builtin=True)

    seen_ids, areas, query_count = {}, [], 0
    for panel in all_panels(dashboard):
        title = panel.get("title", "?")
        where = f"panel {panel.get('id')} {title!r}"
        pid = panel.get("id")
        if not isinstance(pid, int):
            errors.append(f"{where}: id must be an integer")
        elif pid in seen_ids:
            errors.append(f"{where}: id {pid} already used by {seen_ids[pid]!r}")
        else:
            seen_ids[pid] = title
        grid = panel.get("gridPos", {})
        if not all(isinstance(grid.get(k), int) for k in ("h", "w", "x", "y")):
            errors.append(f"{where}: gridPos needs integer h, w, x, y")
        elif grid["x"] + grid["w"] > GRID_WIDTH or grid["w"] <= 0 or grid["h"] <= 0:
            errors.append(f"{where}: gridPos {grid} does not fit the {GRID_WIDTH}-column grid")
        else:
            for other_where, other in areas:
                if (grid["x"] < other["x"] + other["w"] and other["x"] < grid["x"] + grid["w"]
                        and grid["y"] < other["y"] + other["h"] and other["y"] < grid["y"] + grid["h"]):
                    errors.append(f"{where}: overlaps {other_where}")
            areas.append((where, grid))
        if panel.get("type") == "row":
            continue
        check_ds(where, panel.get("datasource"))
        targets = panel.get("targets") or []
        if not targets:
            errors.append(f"{where}: no targets")
        ref_ids = [t.get("refId") for t in targets]
        if len(set(ref_ids)) != len(ref_ids) or not all(ref_ids):
            errors.append(f"{where}: refIds must be present and unique, got {ref_ids}")
        for target in targets:
            query_count += 1
            if "datasource" in target:
                check_ds(f"{where} target {target.get('refId')}", target["datasource"])
            expr = target.get("expr", "")
            if not expr.strip():
                errors.append(f"{where} target {target.get('refId')}: empty expr")
            for ref in re.findall(r"\$\{?(\w+)", expr):
                if ref not in variables and ref not in GRAFANA_BUILTINS:
                    errors.append(f"{where} target {target.get('refId')}: unknown variable ${ref}")

    if errors:
        for error in errors:
            print(f"  - {error}", file=sys.stderr)
        fail(f"{args.dashboard}: {len(errors)} problem(s)")
    print(f"dashboard {dashboard['title']!r} (uid {dashboard.get('uid')}): {len(seen_ids)} panels, "
          f"{query_count} queries, variables {sorted(variables)}, datasources resolve to {sorted(datasources)}")


# --- discovery ---------------------------------------------------------------------------

def cmd_discovery(args):
    url = args.orchestrator_url.rstrip("/") + "/api/v1/prometheus/targets"
    token = Path(args.token_file).read_text().strip()
    status, _ = http_get(url)
    if status not in (401, 403):
        fail(f"GET {url} without a token answered {status}; expected 401 or 403")
    status, _ = http_get(url, token="not-the-" + token[:4])
    if status not in (401, 403):
        fail(f"GET {url} with a wrong token answered {status}; expected 401 or 403")
    deadline = time.monotonic() + args.timeout
    while True:
        status, body = http_get(url, token=token)
        if status != 200:
            fail(f"GET {url} with the token from {args.token_file} answered {status}: {body[:300]}")
        try:
            groups = json.loads(body)
        except json.JSONDecodeError as e:
            fail(f"GET {url}: not JSON ({e}): {body[:300]}")
        if not isinstance(groups, list):
            fail(f"GET {url}: expected a JSON list of target groups, got {type(groups).__name__}")
        # Agents appear once they are ONLINE and reported their metrics address.
        if len(groups) >= args.agents or time.monotonic() > deadline:
            break
        time.sleep(2)
    for group in groups:
        labels = group.get("labels", {}) if isinstance(group, dict) else {}
        if not isinstance(group, dict) or not isinstance(group.get("targets"), list) or not group["targets"]:
            fail(f"GET {url}: target group without targets: {group!r}")
        if not labels.get("agent_id") or not labels.get("hostname"):
            fail(f"GET {url}: target group without agent_id/hostname labels: {group!r}")
        print(f"  discovered {', '.join(group['targets'])}  agent_id={labels['agent_id']}  "
              f"hostname={labels['hostname']}")
    if len(groups) < args.agents:
        fail(f"after {args.timeout}s the orchestrator lists {len(groups)} agent target(s), "
             f"expected at least {args.agents}")
    print(f"service discovery: {len(groups)} agent target(s); requests without or with a wrong token refused")


# --- targets -----------------------------------------------------------------------------

def active_targets(prometheus):
    status, body = http_get(prometheus + "/api/v1/targets?state=active")
    if status != 200:
        return None
    return json.loads(body)["data"]["activeTargets"]


def describe(target):
    labels = target["labels"]
    extra = "".join(f" {k}={labels[k]}" for k in ("agent_id", "hostname") if k in labels)
    error = f"  error: {target['lastError']}" if target.get("lastError") else ""
    return f"  {labels.get('job'):<20} {labels.get('instance'):<24} {target['health']:<8}{extra}{error}"


def cmd_targets(args):
    deadline = time.monotonic() + args.timeout
    targets = []
    while True:
        targets = active_targets(args.prometheus) or []
        orchestrator_up = [t for t in targets
                           if t["labels"].get("job") == ORCHESTRATOR_JOB and t["health"] == "up"]
        agents = [t for t in targets if t["labels"].get("job") == AGENT_JOB]
        agents_up = [t for t in agents if t["health"] == "up"
                     and t["labels"].get("agent_id") and t["labels"].get("hostname")]
        if orchestrator_up and len(agents_up) >= args.agents:
            break
        if time.monotonic() > deadline:
            print("\n".join(describe(t) for t in targets) or "  (no active targets)", file=sys.stderr)
            fail(f"after {args.timeout}s: orchestrator up: {bool(orchestrator_up)}, "
                 f"agents up with agent_id and hostname: {len(agents_up)} of {args.agents} expected")
        time.sleep(2)
    print("\n".join(describe(t) for t in targets))
    down = [t for t in agents if t["health"] != "up"]
    if down:
        print(f"WARNING: {len(down)} discovered agent target(s) not up (an agent going offline?)")
    if len(agents_up) > args.agents:
        print(f"WARNING: {len(agents_up)} agent targets up, more than the {args.agents} expected")
    print(f"targets: orchestrator up, {len(agents_up)} agent(s) discovered through the orchestrator and up")


# --- queries -----------------------------------------------------------------------------

def substitute(expr):
    """A Grafana expression made runnable by Prometheus: every variable matches everything."""
    def value(match):
        name = match.group(1) or match.group(2)
        return GRAFANA_BUILTINS.get(name, ".*")
    return re.sub(r"\$\{(\w+)(?::\w+)?\}|\$(\w+)", value, expr)


def run_query(prometheus, expr):
    """(error, series count)."""
    url = prometheus + "/api/v1/query?" + urllib.parse.urlencode({"query": expr})
    status, body = http_get(url)
    try:
        answer = json.loads(body)
    except json.JSONDecodeError:
        return f"HTTP {status}: {body[:200]}", 0
    if answer.get("status") != "success":
        return f"{answer.get('errorType')}: {answer.get('error')}", 0
    result = answer["data"]["result"]
    return None, len(result) if isinstance(result, list) else 1


def label_values(prometheus, query):
    """Runs a Grafana label_values(selector, label) variable query; (error, values)."""
    match = re.fullmatch(r"\s*label_values\((.*),\s*(\w+)\s*\)\s*", query)
    if not match:
        return f"not a label_values(selector, label) query: {query}", []
    selector, label = match.groups()
    url = (prometheus + f"/api/v1/label/{label}/values?"
           + urllib.parse.urlencode({"match[]": substitute(selector)}))
    status, body = http_get(url)
    answer = json.loads(body) if body.startswith("{") else {}
    if answer.get("status") != "success":
        return f"HTTP {status}: {answer.get('error', body[:200])}", []
    return None, answer["data"]


def cmd_queries(args):
    dashboard = json.loads(Path(args.dashboard).read_text())
    queries = [(panel, target, substitute(target["expr"])) for panel, target in panel_queries(dashboard)]
    variables = [v for v in dashboard.get("templating", {}).get("list", []) if v.get("type") == "query"]
    deadline = time.monotonic() + args.timeout
    while True:
        rows, syntax_errors, empty = [], 0, 0
        for panel, target, expr in queries:
            error, count = run_query(args.prometheus, expr)
            if error and "bad_data" in error:
                syntax_errors += 1
            empty += count == 0
            rows.append((str(panel["id"]), panel.get("title", ""), target["refId"], str(count),
                         "ERROR " + error if error else ("ok" if count else "NO DATA"), expr))
        for variable in variables:
            error, values = label_values(args.prometheus, variable["query"])
            minimum = args.agents if variable["name"] == args.agent_variable else 1
            ok = not error and len(values) >= minimum
            empty += not ok
            rows.append(("var", "$" + variable["name"], "-", str(len(values)),
                         "ERROR " + error if error else ("ok" if ok else f"NEED >= {minimum}"),
                         variable["query"]))
        # A syntax error will not go away by waiting; missing data may (first scrapes, rate windows).
        if syntax_errors or not empty or time.monotonic() > deadline:
            break
        time.sleep(5)

    widths = [max(len(r[i]) for r in rows + [("panel", "title", "ref", "series", "status")]) for i in range(5)]
    header = ("panel", "title", "ref", "series", "status")
    print("  ".join(h.ljust(w) for h, w in zip(header, widths)))
    print("  ".join("-" * w for w in widths))
    for row in rows:
        print("  ".join(c.ljust(w) for c, w in zip(row[:5], widths)))
    bad = [r for r in rows if r[4] != "ok"]
    if bad:
        print("\nFailed queries:", file=sys.stderr)
        for row in bad:
            print(f"  [{row[0]} {row[1]} {row[2]}] {row[5]}", file=sys.stderr)
        fail(f"{len(bad)} of {len(rows)} dashboard queries failed or returned no series")
    print(f"queries: all {len(rows)} dashboard queries parse and return series")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("render", help="write a local Prometheus config")
    p.add_argument("--config", required=True)
    p.add_argument("--orchestrator", required=True, help="host:port of the orchestrator")
    p.add_argument("--token-file", required=True)
    p.add_argument("--scrape-interval", help="overrides scrape, evaluation and SD refresh intervals")
    p.add_argument("--out-dir", required=True)
    p.set_defaults(run=cmd_render)

    p = sub.add_parser("dashboard", help="validate the dashboard JSON")
    p.add_argument("--dashboard", required=True)
    p.add_argument("--datasources", required=True, help="Grafana datasource provisioning YAML")
    p.add_argument("--title", default="MAMOS Overview")
    p.add_argument("--uid", default="mamos-overview")
    p.add_argument("--require-variable", action="append", default=["agent", "instance"])
    p.set_defaults(run=cmd_dashboard)

    p = sub.add_parser("discovery", help="check the orchestrator's HTTP SD endpoint")
    p.add_argument("--orchestrator-url", required=True)
    p.add_argument("--token-file", required=True)
    p.add_argument("--agents", type=int, default=1)
    p.add_argument("--timeout", type=int, default=60)
    p.set_defaults(run=cmd_discovery)

    p = sub.add_parser("targets", help="wait for healthy scrape targets")
    p.add_argument("--prometheus", required=True)
    p.add_argument("--agents", type=int, default=1)
    p.add_argument("--timeout", type=int, default=120)
    p.set_defaults(run=cmd_targets)

    p = sub.add_parser("queries", help="run every dashboard query")
    p.add_argument("--prometheus", required=True)
    p.add_argument("--dashboard", required=True)
    p.add_argument("--agents", type=int, default=1)
    p.add_argument("--agent-variable", default="agent")
    p.add_argument("--timeout", type=int, default=120)
    p.set_defaults(run=cmd_queries)

    args = parser.parse_args()
    args.run(args)


if __name__ == "__main__":
    main()
