-- Liveness: the latest system snapshot (JSON), presence transitions, and a bounded history
-- of samples for charts (pruned to mamos.liveness.history-retention).
ALTER TABLE agents ADD COLUMN snapshot_json TEXT;
ALTER TABLE agents ADD COLUMN went_offline_at INTEGER;
ALTER TABLE agents ADD COLUMN came_back_at INTEGER;
ALTER TABLE agents ADD COLUMN decommissioned_at INTEGER;
ALTER TABLE agents ADD COLUMN credential_revoked_at INTEGER;

CREATE INDEX agents_status ON agents (status);

CREATE TABLE agent_metrics (
    agent_id           TEXT    NOT NULL REFERENCES agents (id),
    captured_at        INTEGER NOT NULL,
    cpu_usage          REAL    NOT NULL,
    load_average_1m    REAL    NOT NULL,
    memory_used_bytes  INTEGER NOT NULL,
    memory_total_bytes INTEGER NOT NULL,
    disk_used_bytes    INTEGER NOT NULL,
    disk_total_bytes   INTEGER NOT NULL,
    running_jobs       INTEGER NOT NULL,
    PRIMARY KEY (agent_id, captured_at)
) WITHOUT ROWID;

CREATE INDEX agent_metrics_captured_at ON agent_metrics (captured_at);
