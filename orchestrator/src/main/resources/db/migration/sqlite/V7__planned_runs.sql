-- Orchestrator-side activities act only for the workflow runs the orchestrator started or
-- planned (anyone who reaches Temporal can start a workflow on the orchestrator's queue).

-- The Temporal run of the job's workflow: recorded when the orchestrator starts it (or, for a
-- schedule's firing, when the firing records its job). '*' marks jobs in flight at this
-- migration: their first store call binds its run.
ALTER TABLE jobs ADD COLUMN workflow_run_id TEXT;
-- The per-stream output cap the job was planned with (NULL: the configured one, for older jobs).
ALTER TABLE jobs ADD COLUMN max_output_bytes INTEGER;
UPDATE jobs SET workflow_run_id = '*' WHERE state IN ('QUEUED', 'DISPATCHED', 'RUNNING');

-- The run's workflow run: the job's own for a single-target job (recorded with it), a fan-out
-- child's bound at its first store call once the Temporal server confirmed the job's own run
-- started it. And the one signed invocation of the run's latest
-- attempt: asked again by that same run, the orchestrator returns the same invocation.
ALTER TABLE job_runs ADD COLUMN workflow_run_id TEXT;
ALTER TABLE job_runs ADD COLUMN signed_attempt INTEGER NOT NULL DEFAULT 0;
ALTER TABLE job_runs ADD COLUMN signed_nonce TEXT;
ALTER TABLE job_runs ADD COLUMN signed_at INTEGER;
ALTER TABLE job_runs ADD COLUMN signed_expires_at INTEGER;
UPDATE job_runs SET workflow_run_id = '*' WHERE state IN ('QUEUED', 'DISPATCHED', 'RUNNING');

-- The first run of each agent's liveness workflow chain (continue-as-new keeps it), recorded
-- when the orchestrator starts it; '*' for agents enrolled before this migration.
ALTER TABLE agents ADD COLUMN liveness_run_id TEXT;
UPDATE agents SET liveness_run_id = '*' WHERE status <> 'DECOMMISSIONED';

-- Firings the orchestrator itself starts ("trigger now"), recorded before the start; the first
-- run that asks for its job binds its run id. Cron firings are told apart by Temporal's own
-- TemporalScheduledById search attribute instead.
CREATE TABLE planned_firings (
    workflow_id TEXT PRIMARY KEY,
    schedule_id TEXT    NOT NULL,
    planned_at  INTEGER NOT NULL,
    run_id      TEXT
) WITHOUT ROWID;
