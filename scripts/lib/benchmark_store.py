"""Fills an orchestrator store with finished jobs and measures what reading it costs.

Used by scripts/benchmark-store.sh, which starts and stops the orchestrator around each step:
  fill     clones the one real job (and its run) the script submitted into N finished jobs, one
           in ten a fan-out to ten agents (cloned agent rows), each run with 1 KiB of output;
  measure  times GET /api/v1/jobs (first and a deep page), GET /api/v1/jobs/{id} and its runs
           through the API, and reports the store file's size.
"""
import argparse
import json
import os
import sqlite3
import statistics
import time
import urllib.request
import uuid

OUTPUT = ("line of command output " * 45)[:1023] + "\n"


def fill(db_path, jobs):
    db = sqlite3.connect(db_path)
    db.row_factory = sqlite3.Row
    job = dict(db.execute("SELECT * FROM jobs ORDER BY created_at DESC LIMIT 1").fetchone())
    run = dict(db.execute("SELECT * FROM job_runs WHERE job_id = ?", (job["id"],)).fetchone())
    agent = dict(db.execute("SELECT * FROM agents WHERE id = ?", (run["agent_id"],)).fetchone())
    agents = [agent["id"]]
    for i in range(9):
        clone = dict(agent, id=str(uuid.uuid4()), hostname=f"bench-{i}", task_queue=f"mamos-agent-bench-{i}",
                     credential_hash=uuid.uuid4().hex, liveness_run_id=None)
        db.execute(f"INSERT INTO agents ({','.join(clone)}) VALUES ({','.join('?' * len(clone))})",
                   list(clone.values()))
        agents.append(clone["id"])
    now = int(time.time() * 1000)
    job_cols, run_cols = list(job), list(run)
    job_sql = f"INSERT INTO jobs ({','.join(job_cols)}) VALUES ({','.join('?' * len(job_cols))})"
    run_sql = f"INSERT INTO job_runs ({','.join(run_cols)}) VALUES ({','.join('?' * len(run_cols))})"
    job_rows, run_rows = [], []
    for i in range(jobs):
        jid = str(uuid.uuid4())
        targets = agents if i % 10 == 0 else agents[:1]
        created = now - (jobs - i) * 1000
        job_rows.append([dict(job, id=jid, workflow_id="job-" + jid, state="SUCCEEDED", error=None,
                              run_count=len(targets), created_at=created, dispatched_at=created + 10,
                              started_at=created + 20, finished_at=created + 500, idempotency_key=None,
                              workflow_run_id=None, start_request_json=None)[c] for c in job_cols])
        for position, aid in enumerate(targets):
            wid = "job-" + jid if len(targets) == 1 else f"job-{jid}-run-{position}"
            run_rows.append([dict(run, job_id=jid, agent_id=aid, position=position, state="SUCCEEDED", attempt=1,
                                  exit_code=0, stdout=OUTPUT, stderr="", error=None, workflow_id=wid,
                                  dispatched_at=created + 10, started_at=created + 20, finished_at=created + 500,
                                  progress_json=None)[c] for c in run_cols])
        if len(job_rows) >= 5000:
            db.executemany(job_sql, job_rows)
            db.executemany(run_sql, run_rows)
            job_rows, run_rows = [], []
    db.executemany(job_sql, job_rows)
    db.executemany(run_sql, run_rows)
    db.commit()
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db.close()


def get(url, token):
    request = urllib.request.Request(url, headers={"Authorization": "Bearer " + token, "Accept": "application/json"})
    started = time.perf_counter()
    with urllib.request.urlopen(request, timeout=60) as response:
        body = response.read()
    return (time.perf_counter() - started) * 1000, json.loads(body)


def timed(url, token, repeat):
    get(url, token)  # warm-up
    times = [get(url, token)[0] for _ in range(repeat)]
    return {"p50_ms": round(statistics.median(times), 1), "max_ms": round(max(times), 1)}


def measure(base, token, db_path, repeat, out):
    _, first = get(f"{base}/api/v1/jobs?page=0&size=50", token)
    total = first["total"]
    some_fan_out = next((j["id"] for j in first["items"] if j["runCount"] > 1), first["items"][0]["id"])
    some_job = first["items"][1]["id"]
    deep = max(total // 200 - 1, 0)
    sizes = {name: os.path.getsize(db_path + suffix) for name, suffix in (("db", ""), ("wal", "-wal"))
             if os.path.exists(db_path + suffix)}
    result = {
        "jobs": total,
        "store_bytes": sizes,
        "list_first_page_50": timed(f"{base}/api/v1/jobs?page=0&size=50", token, repeat),
        "list_first_page_200": timed(f"{base}/api/v1/jobs?page=0&size=200", token, repeat),
        f"list_page_{deep}_of_200": timed(f"{base}/api/v1/jobs?page={deep}&size=200", token, repeat),
        "get_job": timed(f"{base}/api/v1/jobs/{some_job}", token, repeat),
        "get_fan_out_runs": timed(f"{base}/api/v1/jobs/{some_fan_out}/runs?size=200", token, repeat),
        "load_average": open("/proc/loadavg").read().split()[:3],
        "cpus": os.cpu_count(),
    }
    with open(out, "w") as f:
        json.dump(result, f, indent=2)
    print(json.dumps(result, indent=2))


def main():
    parser = argparse.ArgumentParser()
    sub = parser.add_subparsers(dest="step", required=True)
    f = sub.add_parser("fill")
    f.add_argument("--db", required=True)
    f.add_argument("--jobs", type=int, required=True)
    m = sub.add_parser("measure")
    m.add_argument("--url", required=True)
    m.add_argument("--token", required=True)
    m.add_argument("--db", required=True)
    m.add_argument("--repeat", type=int, default=20)
    m.add_argument("--out", required=True)
    args = parser.parse_args()
    if args.step == "fill":
        fill(args.db, args.jobs)
    else:
        measure(args.url, args.token, args.db, args.repeat, args.out)


if __name__ == "__main__":
    main()
