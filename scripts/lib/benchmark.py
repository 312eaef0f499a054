"""Measurements of scripts/benchmark.sh, run against the stack that script started.

Standard library only. Every figure says how it was measured; see docs/BENCHMARKS.md.
"""
import argparse
import concurrent.futures
import http.client
import json
import math
import os
import platform
import signal
import subprocess
import sys
import threading
import time
import urllib.parse

TERMINAL = {"SUCCEEDED", "FAILED", "TIMED_OUT", "AGENT_OFFLINE", "AGENT_LOST", "REFUSED", "CANCELED"}
CLK_TCK = os.sysconf("SC_CLK_TCK")


def log(message):
    print(f"[benchmark] {message}", file=sys.stderr, flush=True)


# --- HTTP ----------------------------------------------------------------------

class Api:
    """A keep-alive JSON client, one connection per thread."""

    def __init__(self, base_url, token=None):
        parsed = urllib.parse.urlparse(base_url)
        self.host, self.port = parsed.hostname, parsed.port
        self.token = token
        self.local = threading.local()

    def _connection(self):
        if getattr(self.local, "conn", None) is None:
            self.local.conn = http.client.HTTPConnection(self.host, self.port, timeout=30)
        return self.local.conn

    def call(self, method, path, body=None):
        headers = {"Accept": "application/json"}
        data = None
        if body is not None:
            data = json.dumps(body).encode()
            headers["Content-Type"] = "application/json"
        if self.token:
            headers["Authorization"] = "Bearer " + self.token
        for attempt in (1, 2):
            conn = self._connection()
            try:
                conn.request(method, path, body=data, headers=headers)
                response = conn.getresponse()
                payload = response.read()
                break
            except (http.client.HTTPException, ConnectionError, OSError):
                conn.close()
                self.local.conn = None
                if attempt == 2:
                    raise
        if response.status // 100 != 2:
            raise RuntimeError(f"{method} {path} -> {response.status}: {payload[:300]!r}")
        return json.loads(payload) if payload else None


def submit(api, agent_id, args):
    return api.call("POST", "/api/v1/jobs", {"agentId": agent_id, "command": "echo", "args": args,
                                            "timeoutSeconds": 30})["id"]


# --- statistics and processes ---------------------------------------------------

def percentile(sorted_values, p):
    rank = math.ceil(p / 100.0 * len(sorted_values))
    return sorted_values[max(0, min(len(sorted_values) - 1, rank - 1))]


def summary(millis):
    values = sorted(millis)
    return {"n": len(values), "min_ms": round(values[0], 1), "p50_ms": round(percentile(values, 50), 1),
            "p95_ms": round(percentile(values, 95), 1), "p99_ms": round(percentile(values, 99), 1),
            "max_ms": round(values[-1], 1), "mean_ms": round(sum(values) / len(values), 1)}


def cpu_ticks(pid):
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return int(fields[11]) + int(fields[12])  # utime + stime


def rss_mb(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return round(int(line.split()[1]) / 1024, 1)
    return None


def footprint(pids, window_seconds):
    """RSS at the end of the window and CPU over it (percent of one core) for each named pid."""
    before = {name: cpu_ticks(pid) for name, pid in pids.items()}
    time.sleep(window_seconds)
    return {name: {"rss_mb": rss_mb(pid),
                   "cpu_percent_of_one_core": round((cpu_ticks(pid) - before[name]) / CLK_TCK
                                                    / window_seconds * 100, 2),
                   "cpu_window_s": window_seconds}
            for name, pid in pids.items()}


def temporal_requests(metrics_url):
    """Requests the Temporal frontend has served so far, per gRPC operation (Prometheus text)."""
    parsed = urllib.parse.urlparse(metrics_url)
    conn = http.client.HTTPConnection(parsed.hostname, parsed.port, timeout=10)
    conn.request("GET", parsed.path)
    text = conn.getresponse().read().decode()
    conn.close()
    counts = {}
    for line in text.splitlines():
        if line.startswith("service_requests{") and 'service_name="frontend"' in line:
            operation = line.split('operation="', 1)[1].split('"', 1)[0]
            counts[operation] = counts.get(operation, 0) + float(line.rsplit(" ", 1)[1])
    return counts


def orchestrator_counters(base_url):
    """The orchestrator worker's own Temporal SDK counters (/metrics): workflow cache and task sums."""
    parsed = urllib.parse.urlparse(base_url)
    conn = http.client.HTTPConnection(parsed.hostname, parsed.port, timeout=10)
    conn.request("GET", "/metrics")
    text = conn.getresponse().read().decode()
    conn.close()
    counts = {}
    for line in text.splitlines():
        name = line.split("{", 1)[0].split(" ", 1)[0]
        if name.startswith(("temporal_sticky_cache", "temporal_workflow_task_replay_latency_seconds_count",
                            "temporal_workflow_task_schedule_to_start_latency_seconds_sum",
                            "temporal_workflow_task_schedule_to_start_latency_seconds_count",
                            # Time in workflow code and in local activities (the store's writes).
                            "temporal_workflow_task_execution_latency_seconds_sum",
                            "temporal_workflow_task_execution_latency_seconds_count",
                            "temporal_local_activity_execution_latency_seconds_sum",
                            "temporal_local_activity_execution_latency_seconds_count",
                            "temporal_request_total")):
            key = name
            if name == "temporal_request_total":
                key += ":" + line.split('operation="', 1)[1].split('"', 1)[0] if 'operation="' in line else ""
            counts[key] = counts.get(key, 0) + float(line.rsplit(" ", 1)[1])
    return counts


def request_rates(before, after, seconds):
    """Requests per second per operation between two temporal_requests() readings, busiest first."""
    rates = {op: round((after[op] - before.get(op, 0)) / seconds, 1) for op in after}
    return dict(sorted(((op, r) for op, r in rates.items() if r > 0), key=lambda kv: -kv[1]))


def machine(java_bin="java"):
    model = None
    with open("/proc/cpuinfo") as f:
        for line in f:
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    with open("/proc/meminfo") as f:
        mem_kb = int(next(line for line in f if line.startswith("MemTotal")).split()[1])
    java = subprocess.run([java_bin, "-version"], capture_output=True, text=True).stderr.strip().splitlines()
    return {"nproc": os.cpu_count(), "cpu_model": model, "memory_gb": round(mem_kb / 1024 / 1024, 1),
            "kernel": platform.release(), "java": java[0] if java else None,
            "python": platform.python_version(), "load_average_at_start": os.getloadavg()}


# --- the stack --------------------------------------------------------------------

class Bench:
    def __init__(self, args):
        self.args = args
        password = open(args.admin_password_file).read().strip()
        anonymous = Api(args.url)
        token = anonymous.call("POST", "/api/v1/auth/token", {"username": "admin", "password": password})
        self.api = Api(args.url, token["accessToken"])
        self.children = []

    def agent_status(self, agent_id):
        return self.api.call("GET", f"/api/v1/agents/{agent_id}")["status"]

    def wait_online(self, agent_ids, timeout):
        wanted = set(agent_ids)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            online = {a["id"] for a in self.api.call("GET", "/api/v1/agents?status=ONLINE")["items"]}
            missing = wanted - online
            if not missing:
                return True
            time.sleep(0.5)
        log(f"{len(missing)} of {len(wanted)} agents not ONLINE after {timeout}s")
        return False

    def spawn(self, argv, name):
        out = open(os.path.join(self.args.work_dir, f"{name}.log"), "ab")
        child = subprocess.Popen(argv, stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
        self.children.append(child)
        with open(self.args.pids_file, "a") as f:
            f.write(f"{child.pid}\n")
        return child

    def stop(self, child):
        if child.poll() is None:
            child.send_signal(signal.SIGTERM)
            try:
                child.wait(20)
            except subprocess.TimeoutExpired:
                child.kill()
                child.wait()

    def stop_all(self):
        for child in self.children:
            self.stop(child)

    # --- (1) latency -----------------------------------------------------------------

    def wait_job(self, job_id, poll_seconds):
        while True:
            job = self.api.call("GET", f"/api/v1/jobs/{job_id}")
            if job["state"] in TERMINAL:
                return job
            time.sleep(poll_seconds)

    def latency(self, agent_id):
        poll = self.args.poll_ms / 1000
        millis, states = [], {}
        for i in range(-self.args.warmup, self.args.iterations):
            started = time.perf_counter()
            job = self.wait_job(submit(self.api, agent_id, ["bench"]), poll)
            elapsed = (time.perf_counter() - started) * 1000
            if i >= 0:
                millis.append(elapsed)
                states[job["state"]] = states.get(job["state"], 0) + 1
        result = {"measured": "REST POST /api/v1/jobs, then GET /api/v1/jobs/{id} every "
                              f"{self.args.poll_ms} ms until a final state; sequential, one real agent, "
                              "command `echo bench` (a real process on the real agent)",
                  "warmup_runs": self.args.warmup, "poll_interval_ms": self.args.poll_ms, "states": states}
        result.update(summary(millis))
        return result

    def floor(self):
        argv = [self.args.java, "-jar", self.args.agent_jar, "simulate", "--floor", "--temporal-target",
                self.args.temporal_target, "--runs", str(self.args.iterations), "--warmup", str(self.args.warmup)]
        out = subprocess.run(argv, capture_output=True, text=True, check=True).stdout
        return json.loads([line for line in out.splitlines() if line.startswith("{")][-1])

    def floor_fan_out(self, agents, runs=3, warmup=1):
        """Temporal's own floor for a fan-out to `agents` queues (agent-worker's simulate --floor --fan-out)."""
        argv = [self.args.java, "-jar", self.args.agent_jar, "simulate", "--floor", "--temporal-target",
                self.args.temporal_target, "--fan-out", str(agents), "--runs", str(runs), "--warmup", str(warmup)]
        out = subprocess.run(argv, capture_output=True, text=True, check=True).stdout
        return json.loads([line for line in out.splitlines() if line.startswith("{")][-1])

    # --- (6) offline detection ---------------------------------------------------------

    def offline_detection(self, agent_id, agent_pid):
        os.kill(agent_pid, signal.SIGKILL)
        killed = time.monotonic()
        while time.monotonic() - killed < 120:
            if self.agent_status(agent_id) == "OFFLINE":
                seconds = time.monotonic() - killed
                return {"seconds": round(seconds, 1), "interval_s": self.args.interval,
                        "intervals": round(seconds / self.args.interval, 2),
                        "measured": "kill -9 of the real agent, then GET /api/v1/agents/{id} every 100 ms "
                                    "until status OFFLINE"}
            time.sleep(0.1)
        return {"seconds": None, "note": "not OFFLINE within 120 s"}

    # --- fleets -----------------------------------------------------------------------------

    def start_fleet(self, count, name):
        state_dir = os.path.join(self.args.work_dir, name)
        argv = [self.args.java, "-jar", self.args.agent_jar, "simulate", "--server", self.args.url,
                "--admin-password-file", self.args.admin_password_file, "--count", str(count),
                "--state-dir", state_dir, "--hostname-prefix", name]
        started = time.monotonic()
        child = self.spawn(argv, name)
        ready = os.path.join(state_dir, "ready")
        while not os.path.exists(ready):
            if child.poll() is not None:
                raise RuntimeError(f"simulate exited with {child.returncode}; see {name}.log")
            if time.monotonic() - started > 900:
                raise RuntimeError(f"{count} simulated agents not ready within 900 s")
            time.sleep(0.5)
        enrolled = time.monotonic() - started
        with open(os.path.join(state_dir, "agents.txt")) as f:
            ids = [line.strip() for line in f if line.strip()]
        all_online = self.wait_online(ids, 600)
        online = time.monotonic() - started
        log(f"{count} simulated agents enrolled and polling in {enrolled:.1f} s, ONLINE in {online:.1f} s")
        return child, ids, {"agents": count, "enrolled_and_polling_s": round(enrolled, 1),
                            "all_online_s": round(online, 1) if all_online else None}

    def run_states(self, job_id):
        """Every run of a job as the store has it: {agentId: state}, reading all pages."""
        runs, page = {}, 0
        while True:
            body = self.api.call("GET", f"/api/v1/jobs/{job_id}/runs?page={page}&size=500")
            for run in body["items"]:
                runs.setdefault(run["agentId"], []).append(run["state"])
            page += 1
            if page * 500 >= body["total"]:
                return runs, body["total"]

    def fan_out(self, agent_ids):
        """ONE job to N agents (targets.agentIds, all at once); poll it until it is final."""
        n = len(agent_ids)
        started = time.perf_counter()
        job = self.api.call("POST", "/api/v1/jobs", {"targets": {"agentIds": agent_ids}, "command": "echo",
                                                     "args": ["fan-out"], "timeoutSeconds": 60})
        accepted = time.perf_counter() - started
        while job["state"] not in TERMINAL and time.perf_counter() - started < 300:
            time.sleep(0.1)
            job = self.api.call("GET", f"/api/v1/jobs/{job['id']}")
        all_final = time.perf_counter() - started
        runs, total = self.run_states(job["id"])
        states = {}
        for run_states in runs.values():
            for state in run_states:
                states[state] = states.get(state, 0) + 1
        final = sum(count for state, count in states.items() if state in TERMINAL)
        return {"agents": n, "job_id": job["id"], "job_state": job["state"], "summary": job.get("summary"),
                "runs_in_store": total, "runs_final": final, "agents_with_more_than_one_run":
                    sum(1 for r in runs.values() if len(r) > 1), "states": states,
                "post_accepted_s": round(accepted, 2),
                "all_final_in_store_s": round(all_final, 2) if job["state"] in TERMINAL else None,
                "measured": f"one job (`echo fan-out`) with targets.agentIds = {n} simulated agents, no "
                            "concurrency limit; time from before POST /api/v1/jobs until GET /api/v1/jobs/{id}, "
                            "polled every 100 ms, shows the job final (it ends only once every run's result "
                            "is in the store); then every run is read back and counted"}

    def throughput(self, agent_ids, seconds):
        """Closed loop: up to 2 jobs in flight per agent for `seconds`, then drain."""
        cap = 2 * len(agent_ids)
        lock = threading.Condition()
        pending, final, submitted = set(), {}, []
        end = time.monotonic() + seconds
        counter = [0]

        def submitter():
            while time.monotonic() < end:
                with lock:
                    while len(pending) >= cap and time.monotonic() < end:
                        lock.wait(0.05)
                    if time.monotonic() >= end:
                        return
                    counter[0] += 1
                    agent = agent_ids[counter[0] % len(agent_ids)]
                job_id = submit(self.api, agent, ["throughput"])
                with lock:
                    submitted.append(job_id)
                    pending.add(job_id)

        def poll_once():
            page = {j["id"]: j for j in self.api.call("GET", "/api/v1/jobs?page=0&size=200")["items"]}
            with lock:
                waiting = list(pending)
            for job_id in waiting:
                job = page.get(job_id) or self.api.call("GET", f"/api/v1/jobs/{job_id}")
                if job["state"] in TERMINAL:
                    with lock:
                        pending.discard(job_id)
                        final[job_id] = (time.monotonic(), job["state"])
                        lock.notify_all()

        started = time.monotonic()
        threads = [threading.Thread(target=submitter) for _ in range(8)]
        for t in threads:
            t.start()
        while time.monotonic() < end:
            poll_once()
            time.sleep(0.1)
        for t in threads:
            t.join()
        in_window = len(final)
        drain_deadline = time.monotonic() + 120
        while pending and time.monotonic() < drain_deadline:
            poll_once()
            time.sleep(0.2)
        states = {}
        for _, state in final.values():
            states[state] = states.get(state, 0) + 1
        return {"agents": len(agent_ids), "window_s": seconds, "max_in_flight": cap,
                "jobs_submitted": len(submitted), "jobs_final_in_window": in_window,
                "jobs_per_second": round(in_window / seconds, 1),
                "jobs_final_after_drain": len(final), "jobs_not_final": len(pending), "states": states,
                "measured": "closed loop, 8 submitting threads keep up to 2 jobs per agent in flight; "
                            "jobs/s = jobs seen final within the window / window; then every submitted "
                            "job is polled until final (up to 120 s) and counted"}


def main():
    p = argparse.ArgumentParser(description=__doc__)
    for name in ("url", "admin-password-file", "agent-id", "temporal-target", "agent-jar", "work-dir",
                 "pids-file", "out", "command"):
        p.add_argument("--" + name, required=True)
    for name in ("agent-pid", "orchestrator-pid", "temporal-pid"):
        p.add_argument("--" + name, type=int, required=True)
    p.add_argument("--java", default="java")
    p.add_argument("--agent-java-opts", default="")
    p.add_argument("--git", default="unknown")
    p.add_argument("--iterations", type=int, default=200)
    p.add_argument("--warmup", type=int, default=20)
    p.add_argument("--poll-ms", type=int, default=10)
    p.add_argument("--interval", type=float, default=5)
    p.add_argument("--idle-seconds", type=int, default=60)
    p.add_argument("--fleet-sizes", default="100,1000")
    p.add_argument("--throughput-agents", type=int, default=50)
    p.add_argument("--throughput-seconds", type=int, default=60)
    p.add_argument("--footprint-window", type=int, default=30)
    p.add_argument("--fleet-settle", type=int, default=30)
    p.add_argument("--fan-out", choices=("true", "false"), default="true")
    p.add_argument("--temporal-metrics-url", required=True)
    args = p.parse_args()

    report = {"date_utc": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()), "command": args.command,
              "machine": machine(args.java),
              "git": args.git, "real_agent_java_opts": args.agent_java_opts or "(JVM defaults)"}
    bench = Bench(args)
    stack = {"orchestrator": args.orchestrator_pid, "temporal": args.temporal_pid}
    try:
        log("waiting for the real agent to be ONLINE")
        if not bench.wait_online([args.agent_id], 120):
            raise RuntimeError("the real agent did not come ONLINE")

        log(f"(1) latency: {args.warmup} warm-up + {args.iterations} sequential jobs on one real agent")
        mamos = bench.latency(args.agent_id)
        last_job = time.monotonic()
        log(f"    p50 {mamos['p50_ms']} ms, p95 {mamos['p95_ms']} ms, p99 {mamos['p99_ms']} ms")

        log(f"(2) floor: {args.warmup} warm-up + {args.iterations} bare Temporal workflows via the SDK")
        floor = bench.floor()
        log(f"    p50 {floor['p50_ms']} ms, p95 {floor['p95_ms']} ms, p99 {floor['p99_ms']} ms")
        report["latency"] = {"mamos": mamos, "floor": floor,
                             "ratio": {k: round(mamos[k] / floor[k], 2) for k in ("p50_ms", "p95_ms", "p99_ms")}}

        idle_left = args.idle_seconds - (time.monotonic() - last_job)
        if idle_left > 0:
            log(f"(5) letting the real agent idle {idle_left:.0f} s more")
            time.sleep(idle_left)
        log(f"(5) footprint over {args.footprint_window} s: idle real agent, orchestrator and Temporal")
        report["footprint_one_agent"] = footprint({"agent": args.agent_pid, **stack}, args.footprint_window)
        report["footprint_one_agent"]["idle_s_before_window"] = args.idle_seconds

        log("(6) kill -9 of the real agent, until it is OFFLINE in the store")
        report["offline_detection"] = bench.offline_detection(args.agent_id, args.agent_pid)
        log(f"    {report['offline_detection']}")

        if args.throughput_seconds > 0 and args.throughput_agents > 0:
            log(f"(4) throughput: {args.throughput_agents} simulated agents, {args.throughput_seconds} s")
            fleet, ids, start = bench.start_fleet(args.throughput_agents, "sim-throughput")
            result = bench.throughput(ids, args.throughput_seconds)
            result["fleet_start"] = start
            report["throughput"] = result
            log(f"    {result['jobs_per_second']} jobs/s; {result['jobs_final_after_drain']} of "
                f"{result['jobs_submitted']} final")
            bench.stop(fleet)

        sizes = sorted(int(s) for s in args.fleet_sizes.split(",") if s.strip())
        if sizes:
            log(f"(3)/(5) fleet of {sizes[-1]} simulated agents")
            fleet, ids, start = bench.start_fleet(sizes[-1], "sim-fleet")
            report["fleet"] = start
            time.sleep(args.fleet_settle)
            log(f"(5) footprint over {args.footprint_window} s with {sizes[-1]} agents heartbeating")
            requests_before = temporal_requests(args.temporal_metrics_url)
            report["fleet"]["load_average_before_window"] = os.getloadavg()
            report["fleet"]["footprint"] = footprint({**stack, "simulator": fleet.pid}, args.footprint_window)
            report["fleet"]["load_average_after_window"] = os.getloadavg()
            report["fleet"]["temporal_requests_per_s"] = request_rates(
                requests_before, temporal_requests(args.temporal_metrics_url), args.footprint_window)
            report["fleet"]["settled_s_before_window"] = args.fleet_settle
            log(f"    Temporal requests/s: {report['fleet']['temporal_requests_per_s']}")
            report["fan_out"] = []
            for size in (sizes if args.fan_out == "true" else []):
                log(f"(3) the fan-out floor: one bare workflow, one activity on each of {size} queues "
                    f"(the fleet idling beside it)")
                floor = bench.floor_fan_out(size)
                log(f"    median {floor['median_s']} s (min {floor['min_s']}, max {floor['max_s']})")
                log(f"(3) one job to {size} simulated agents")
                requests_before, fan_started = temporal_requests(args.temporal_metrics_url), time.monotonic()
                worker_before = orchestrator_counters(args.url)
                result = bench.fan_out(ids[:size])
                worker_after = orchestrator_counters(args.url)
                result["orchestrator_worker"] = {k: round(v - worker_before.get(k, 0), 2)
                                                 for k, v in worker_after.items() if v != worker_before.get(k, 0)}
                # What the fan-out (and the idle fleet beside it) asked of Temporal, per operation.
                result["temporal_requests"] = {op: int(round(n)) for op, n in request_rates(
                    requests_before, temporal_requests(args.temporal_metrics_url), 1).items()}
                result["temporal_requests_window_s"] = round(time.monotonic() - fan_started, 1)
                result["floor"] = floor
                if result["all_final_in_store_s"] is not None and floor["median_s"] > 0:
                    result["ratio_to_floor"] = round(result["all_final_in_store_s"] / floor["median_s"], 2)
                report["fan_out"].append(result)
                log(f"    all final after {result['all_final_in_store_s']} s; job {result['job_state']}, "
                    f"runs {result['states']}")
            bench.stop(fleet)
    finally:
        bench.stop_all()
        os.makedirs(os.path.dirname(args.out), exist_ok=True)
        with open(args.out, "w") as f:
            json.dump(report, f, indent=2)
        log(f"wrote {args.out}")
    print_table(report)


def print_table(r):
    rows = []
    lat = r.get("latency")
    if lat:
        m, f, ratio = lat["mamos"], lat["floor"], lat["ratio"]
        rows.append(("(1) submit-to-result, 1 agent (ms)", f"p50 {m['p50_ms']}  p95 {m['p95_ms']}  p99 {m['p99_ms']}"))
        rows.append(("(2) Temporal floor (ms)", f"p50 {f['p50_ms']}  p95 {f['p95_ms']}  p99 {f['p99_ms']}"))
        rows.append(("    ratio (1)/(2)", f"p50 {ratio['p50_ms']}  p95 {ratio['p95_ms']}  p99 {ratio['p99_ms']}"))
    for fan in r.get("fan_out", []):
        rows.append((f"(3) one job to {fan['agents']} agents, all final (s)",
                     f"{fan['all_final_in_store_s']}  ({fan['runs_final']}/{fan['agents']} runs final, "
                     f"job {fan['job_state']})"))
        if "floor" in fan:
            rows.append((f"    fan-out floor, {fan['agents']} queues (s)",
                         f"median {fan['floor']['median_s']}  ratio {fan.get('ratio_to_floor')}"))
    t = r.get("throughput")
    if t:
        rows.append((f"(4) throughput, {t['agents']} agents, {t['window_s']} s",
                     f"{t['jobs_per_second']} jobs/s; {t['jobs_final_after_drain']}/{t['jobs_submitted']} final"))
    one = r.get("footprint_one_agent")
    if one:
        a = one["agent"]
        rows.append(("(5) real agent idle", f"RSS {a['rss_mb']} MB, CPU {a['cpu_percent_of_one_core']} %"))
        o = one["orchestrator"]
        rows.append(("    orchestrator, 1 agent", f"RSS {o['rss_mb']} MB, CPU {o['cpu_percent_of_one_core']} %"))
    fleet = r.get("fleet")
    if fleet and "footprint" in fleet:
        for name in ("orchestrator", "temporal", "simulator"):
            x = fleet["footprint"][name]
            rows.append((f"    {name}, {fleet['agents']} agents",
                         f"RSS {x['rss_mb']} MB, CPU {x['cpu_percent_of_one_core']} %"))
        busiest = list(fleet.get("temporal_requests_per_s", {}).items())[:4]
        rows.append(("    Temporal requests/s, busiest", ", ".join(f"{op} {r}" for op, r in busiest)))
    off = r.get("offline_detection")
    if off:
        rows.append(("(6) kill -9 to OFFLINE", f"{off.get('seconds')} s ({off.get('intervals')} intervals)"))
    width = max(len(k) for k, _ in rows) if rows else 0
    print()
    for k, v in rows:
        print(f"{k.ljust(width)}  {v}")


if __name__ == "__main__":
    main()
