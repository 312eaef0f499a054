-- job_runs was a WITHOUT ROWID table, which SQLite advises only for small rows (under about a
-- twentieth of a page): a run keeps up to 64 KiB of output per stream, so its key's B-tree held
-- a row or two per page and spilled the rest into overflow pages. 100,000 finished jobs with
-- 1 KiB of output per run took 987 MB (scripts/benchmark-store.sh). Rebuilt as an ordinary table:
-- same columns, same key, same indexes.
CREATE TABLE job_runs_v16 (
    job_id            TEXT    NOT NULL,
    agent_id          TEXT    NOT NULL REFERENCES agents (id),
    -- Position in the job's target list: the order runs are started in.
    position          INTEGER NOT NULL,
    state             TEXT    NOT NULL,
    attempt           INTEGER NOT NULL DEFAULT 0,
    exit_code         INTEGER,
    stdout            TEXT,
    stderr            TEXT,
    output_truncated  INTEGER NOT NULL DEFAULT 0,
    error             TEXT,
    -- The workflow whose activity runs the command: the job's own for a single run, else a child.
    workflow_id       TEXT    NOT NULL,
    dispatched_at     INTEGER,
    started_at        INTEGER,
    finished_at       INTEGER,
    progress_json     TEXT,
    workflow_run_id   TEXT,
    signed_attempt    INTEGER NOT NULL DEFAULT 0,
    signed_nonce      TEXT,
    signed_at         INTEGER,
    signed_expires_at INTEGER,
    PRIMARY KEY (job_id, agent_id)
);

INSERT INTO job_runs_v16 (job_id, agent_id, position, state, attempt, exit_code, stdout, stderr, output_truncated,
                          error, workflow_id, dispatched_at, started_at, finished_at, progress_json, workflow_run_id,
                          signed_attempt, signed_nonce, signed_at, signed_expires_at)
SELECT job_id, agent_id, position, state, attempt, exit_code, stdout, stderr, output_truncated,
       error, workflow_id, dispatched_at, started_at, finished_at, progress_json, workflow_run_id,
       signed_attempt, signed_nonce, signed_at, signed_expires_at
FROM job_runs;

DROP TABLE job_runs;
ALTER TABLE job_runs_v16 RENAME TO job_runs;
CREATE INDEX job_runs_state ON job_runs (state);
CREATE INDEX job_runs_agent_id ON job_runs (agent_id);
