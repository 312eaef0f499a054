-- Timestamps are epoch milliseconds (INTEGER); ids are random UUID strings.

CREATE TABLE users (
    username      TEXT PRIMARY KEY,
    password_hash TEXT    NOT NULL,
    role          TEXT    NOT NULL CHECK (role IN ('ADMIN', 'OPERATOR', 'VIEWER')),
    created_at    INTEGER NOT NULL
);

CREATE TABLE agents (
    id              TEXT PRIMARY KEY,
    hostname        TEXT    NOT NULL,
    os              TEXT,
    agent_version   TEXT,
    task_queue      TEXT    NOT NULL UNIQUE,
    credential_hash TEXT    NOT NULL UNIQUE,
    status          TEXT    NOT NULL,
    enrolled_at     INTEGER NOT NULL,
    last_seen_at    INTEGER
);

-- Only a hash of each token is kept; the token itself is shown once, at creation.
CREATE TABLE enrollment_tokens (
    id         TEXT PRIMARY KEY,
    token_hash TEXT    NOT NULL UNIQUE,
    created_by TEXT    NOT NULL,
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL,
    used_at    INTEGER,
    agent_id   TEXT REFERENCES agents (id),
    revoked_at INTEGER
);

CREATE TABLE jobs (
    id               TEXT PRIMARY KEY,
    agent_id         TEXT    NOT NULL REFERENCES agents (id),
    command_name     TEXT    NOT NULL,
    executable       TEXT    NOT NULL,
    args_json        TEXT    NOT NULL,
    timeout_seconds  INTEGER NOT NULL,
    state            TEXT    NOT NULL,
    exit_code        INTEGER,
    stdout           TEXT,
    stderr           TEXT,
    output_truncated INTEGER NOT NULL DEFAULT 0,
    error            TEXT,
    workflow_id      TEXT    NOT NULL UNIQUE,
    created_by       TEXT    NOT NULL,
    created_at       INTEGER NOT NULL,
    dispatched_at    INTEGER,
    started_at       INTEGER,
    finished_at      INTEGER
);

CREATE INDEX jobs_created_at ON jobs (created_at DESC);
CREATE INDEX jobs_agent_id ON jobs (agent_id, created_at DESC);
CREATE INDEX jobs_state ON jobs (state);
