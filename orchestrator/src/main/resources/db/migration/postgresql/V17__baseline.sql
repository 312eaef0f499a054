-- The PostgreSQL store starts at the schema the SQLite store has after its V17 (db/migration/sqlite
-- V1..V17, whose comments say what each column is for): the same tables, columns, keys and
-- indexes, so one set of repositories serves both. Later migrations that both stores run
-- alike go to db/migration/common, the others to each store's folder under the same version.
-- As on SQLite: timestamps are epoch milliseconds (BIGINT here), flags 0/1 integers, JSON TEXT.

CREATE TABLE users (
    username      TEXT PRIMARY KEY,
    password_hash TEXT   NOT NULL,
    role          TEXT   NOT NULL CHECK (role IN ('ADMIN', 'OPERATOR', 'VIEWER')),
    created_at    BIGINT NOT NULL
);

CREATE TABLE agents (
    id                    TEXT PRIMARY KEY,
    hostname              TEXT   NOT NULL,
    os                    TEXT,
    agent_version         TEXT,
    task_queue            TEXT   NOT NULL UNIQUE,
    credential_hash       TEXT   NOT NULL UNIQUE,
    status                TEXT   NOT NULL,
    enrolled_at           BIGINT NOT NULL,
    last_seen_at          BIGINT,
    snapshot_json         TEXT,
    went_offline_at       BIGINT,
    came_back_at          BIGINT,
    decommissioned_at     BIGINT,
    credential_revoked_at BIGINT,
    labels_json           TEXT   NOT NULL DEFAULT '{}',
    liveness_run_id       TEXT,
    address               TEXT
);

CREATE INDEX agents_status ON agents (status);
CREATE INDEX agents_credential_revoked_at ON agents (credential_revoked_at);

CREATE TABLE enrollment_tokens (
    id          TEXT PRIMARY KEY,
    token_hash  TEXT   NOT NULL UNIQUE,
    created_by  TEXT   NOT NULL,
    created_at  BIGINT NOT NULL,
    expires_at  BIGINT NOT NULL,
    used_at     BIGINT,
    agent_id    TEXT REFERENCES agents (id),
    revoked_at  BIGINT,
    labels_json TEXT   NOT NULL DEFAULT '{}'
);

CREATE TABLE agent_metrics (
    agent_id           TEXT             NOT NULL REFERENCES agents (id),
    captured_at        BIGINT           NOT NULL,
    cpu_usage          DOUBLE PRECISION NOT NULL,
    load_average_1m    DOUBLE PRECISION NOT NULL,
    memory_used_bytes  BIGINT           NOT NULL,
    memory_total_bytes BIGINT           NOT NULL,
    disk_used_bytes    BIGINT           NOT NULL,
    disk_total_bytes   BIGINT           NOT NULL,
    running_jobs       INTEGER          NOT NULL,
    PRIMARY KEY (agent_id, captured_at)
);

CREATE INDEX agent_metrics_captured_at ON agent_metrics (captured_at);

CREATE TABLE jobs (
    id                 TEXT PRIMARY KEY,
    command_name       TEXT    NOT NULL,
    executable         TEXT    NOT NULL,
    args_json          TEXT    NOT NULL,
    timeout_seconds    INTEGER NOT NULL,
    targets_json       TEXT    NOT NULL,
    options_json       TEXT    NOT NULL,
    run_count          INTEGER NOT NULL,
    state              TEXT    NOT NULL,
    error              TEXT,
    workflow_id        TEXT    NOT NULL UNIQUE,
    schedule_id        TEXT,
    created_by         TEXT    NOT NULL,
    created_at         BIGINT  NOT NULL,
    dispatched_at      BIGINT,
    started_at         BIGINT,
    finished_at        BIGINT,
    workflow_run_id    TEXT,
    max_output_bytes   INTEGER,
    idempotency_key    TEXT,
    start_request_json TEXT
);

CREATE INDEX jobs_created_at ON jobs (created_at DESC);
CREATE INDEX jobs_state ON jobs (state);
CREATE INDEX jobs_schedule_id ON jobs (schedule_id, created_at DESC);
CREATE INDEX jobs_finished_at ON jobs (finished_at);
CREATE UNIQUE INDEX jobs_idempotency_key ON jobs (created_by, idempotency_key) WHERE idempotency_key IS NOT NULL;

CREATE TABLE job_runs (
    job_id            TEXT    NOT NULL,
    agent_id          TEXT    NOT NULL REFERENCES agents (id),
    position          INTEGER NOT NULL,
    state             TEXT    NOT NULL,
    attempt           INTEGER NOT NULL DEFAULT 0,
    exit_code         INTEGER,
    stdout            TEXT,
    stderr            TEXT,
    output_truncated  INTEGER NOT NULL DEFAULT 0,
    error             TEXT,
    workflow_id       TEXT    NOT NULL,
    dispatched_at     BIGINT,
    started_at        BIGINT,
    finished_at       BIGINT,
    progress_json     TEXT,
    workflow_run_id   TEXT,
    signed_attempt    INTEGER NOT NULL DEFAULT 0,
    signed_nonce      TEXT,
    signed_at         BIGINT,
    signed_expires_at BIGINT,
    PRIMARY KEY (job_id, agent_id)
);

CREATE INDEX job_runs_state ON job_runs (state);
CREATE INDEX job_runs_agent_id ON job_runs (agent_id);

CREATE TABLE schedules (
    id         TEXT PRIMARY KEY,
    name       TEXT   NOT NULL UNIQUE,
    cron       TEXT   NOT NULL,
    job_json   TEXT   NOT NULL,
    created_by TEXT   NOT NULL,
    created_at BIGINT NOT NULL
);

CREATE TABLE planned_firings (
    workflow_id TEXT PRIMARY KEY,
    schedule_id TEXT   NOT NULL,
    planned_at  BIGINT NOT NULL,
    run_id      TEXT
);

CREATE TABLE refresh_tokens (
    token_hash TEXT PRIMARY KEY,
    family_id  TEXT   NOT NULL,
    username   TEXT   NOT NULL,
    issued_at  BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    used_at    BIGINT,
    revoked_at BIGINT
);

CREATE INDEX refresh_tokens_family ON refresh_tokens (family_id);
CREATE INDEX refresh_tokens_username ON refresh_tokens (username);

CREATE TABLE revoked_access_tokens (
    jti        TEXT PRIMARY KEY,
    expires_at BIGINT NOT NULL
);

-- The audit log and its archive records are append-only, enforced by the store itself: no
-- UPDATE ever, and DELETE only of events an archive record covers (retention archives first).
CREATE TABLE audit_events (
    id        BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at        BIGINT NOT NULL,
    actor     TEXT   NOT NULL,
    action    TEXT   NOT NULL,
    target    TEXT,
    detail    TEXT,
    source_ip TEXT
);

CREATE INDEX audit_events_at ON audit_events (at DESC);

CREATE TABLE audit_archives (
    id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    first_id    BIGINT  NOT NULL,
    last_id     BIGINT  NOT NULL,
    event_count INTEGER NOT NULL,
    file        TEXT    NOT NULL,
    sha256      TEXT    NOT NULL,
    archived_at BIGINT  NOT NULL
);

CREATE FUNCTION mamos_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '% is append-only', TG_TABLE_NAME USING ERRCODE = 'restrict_violation';
END
$$;

CREATE FUNCTION mamos_audit_delete_only_archived() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM audit_archives a WHERE OLD.id BETWEEN a.first_id AND a.last_id) THEN
        RAISE EXCEPTION 'the audit log is append-only: only archived events are removed'
            USING ERRCODE = 'restrict_violation';
    END IF;
    RETURN OLD;
END
$$;

CREATE TRIGGER audit_events_no_update BEFORE UPDATE ON audit_events
    FOR EACH ROW EXECUTE FUNCTION mamos_append_only();
CREATE TRIGGER audit_events_no_delete BEFORE DELETE ON audit_events
    FOR EACH ROW EXECUTE FUNCTION mamos_audit_delete_only_archived();
-- TRUNCATE skips row triggers: refuse it too.
CREATE TRIGGER audit_events_no_truncate BEFORE TRUNCATE ON audit_events
    FOR EACH STATEMENT EXECUTE FUNCTION mamos_append_only();
CREATE TRIGGER audit_archives_no_update BEFORE UPDATE OR DELETE ON audit_archives
    FOR EACH ROW EXECUTE FUNCTION mamos_append_only();
CREATE TRIGGER audit_archives_no_truncate BEFORE TRUNCATE ON audit_archives
    FOR EACH STATEMENT EXECUTE FUNCTION mamos_append_only();
