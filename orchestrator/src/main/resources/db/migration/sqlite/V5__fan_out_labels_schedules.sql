-- Jobs run on one or many agents: each target agent gets a run of its own (state, output,
-- timings), and the job keeps what was asked (targets, options) and its overall state.
-- SQLite cannot drop a NOT NULL column, so the jobs table is rebuilt; every existing job
-- becomes a job with one run.

CREATE TABLE jobs_v5 (
    id              TEXT PRIMARY KEY,
    command_name    TEXT    NOT NULL,
    executable      TEXT    NOT NULL,
    args_json       TEXT    NOT NULL,
    timeout_seconds INTEGER NOT NULL,
    -- What was asked: {"agentIds":[...]} | {"selector":"..."} | {"all":true}
    targets_json    TEXT    NOT NULL,
    -- concurrency, maxFailures, offlineWaitSeconds, jobTimeoutSeconds, retry as submitted
    options_json    TEXT    NOT NULL,
    run_count       INTEGER NOT NULL,
    state           TEXT    NOT NULL,
    error           TEXT,
    workflow_id     TEXT    NOT NULL UNIQUE,
    schedule_id     TEXT,
    created_by      TEXT    NOT NULL,
    created_at      INTEGER NOT NULL,
    dispatched_at   INTEGER,
    started_at      INTEGER,
    finished_at     INTEGER
);

INSERT INTO jobs_v5 (id, command_name, executable, args_json, timeout_seconds, targets_json, options_json, run_count,
                     state, error, workflow_id, schedule_id, created_by, created_at, dispatched_at, started_at,
                     finished_at)
SELECT id, command_name, executable, args_json, timeout_seconds, '{"agentIds":["' || agent_id || '"]}', '{}', 1,
       state, NULL, workflow_id, NULL, created_by, created_at, dispatched_at, started_at, finished_at
FROM jobs;

-- One row per (job, target agent), created with the job: the resolved target list.
CREATE TABLE job_runs (
    job_id           TEXT    NOT NULL,
    agent_id         TEXT    NOT NULL REFERENCES agents (id),
    -- Position in the job's target list: the order runs are started in.
    position         INTEGER NOT NULL,
    state            TEXT    NOT NULL,
    attempt          INTEGER NOT NULL DEFAULT 0,
    exit_code        INTEGER,
    stdout           TEXT,
    stderr           TEXT,
    output_truncated INTEGER NOT NULL DEFAULT 0,
    error            TEXT,
    -- The workflow whose activity runs the command: the job's own for a single run, else a child.
    workflow_id      TEXT    NOT NULL,
    dispatched_at    INTEGER,
    started_at       INTEGER,
    finished_at      INTEGER,
    progress_json    TEXT,
    PRIMARY KEY (job_id, agent_id)
) WITHOUT ROWID;

INSERT INTO job_runs (job_id, agent_id, position, state, attempt, exit_code, stdout, stderr, output_truncated, error,
                      workflow_id, dispatched_at, started_at, finished_at, progress_json)
SELECT id, agent_id, 0, state, CASE WHEN dispatched_at IS NULL THEN 0 ELSE 1 END, exit_code, stdout, stderr,
       output_truncated, error, workflow_id, dispatched_at, started_at, finished_at, progress_json
FROM jobs;

DROP TABLE jobs;
ALTER TABLE jobs_v5 RENAME TO jobs;

CREATE INDEX jobs_created_at ON jobs (created_at DESC);
CREATE INDEX jobs_state ON jobs (state);
CREATE INDEX jobs_schedule_id ON jobs (schedule_id, created_at DESC);
CREATE INDEX job_runs_state ON job_runs (state);
CREATE INDEX job_runs_agent_id ON job_runs (agent_id);

-- Labels ({"env":"prod","role":"web"}) select agents for jobs; tokens carry labels to the agents they enroll.
ALTER TABLE agents ADD COLUMN labels_json TEXT NOT NULL DEFAULT '{}';
ALTER TABLE enrollment_tokens ADD COLUMN labels_json TEXT NOT NULL DEFAULT '{}';

-- Recurring jobs. Temporal Schedules fire them; this table keeps the definition each firing reads.
CREATE TABLE schedules (
    id         TEXT PRIMARY KEY,
    name       TEXT    NOT NULL UNIQUE,
    cron       TEXT    NOT NULL,
    job_json   TEXT    NOT NULL,
    created_by TEXT    NOT NULL,
    created_at INTEGER NOT NULL
);
