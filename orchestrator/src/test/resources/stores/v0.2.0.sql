-- The store (mamos.db) of a real MAMOS v0.2.0 orchestrator (9e1eded, schema V13), as `sqlite3 .dump`
-- printed it: made with the release's jars (scripts/build-release.sh v0.2.0) on a Temporal dev
-- server: user operator1 (OPERATOR, password fixture-operator-pw) created, one agent
-- (fixture-agent, label env=fixture) enrolled and run, the jobs `echo "made by v0.2.0"` and
-- `sleep 1` run to SUCCEEDED on it, a schedule "fixture uptime" (0 3 * * *) created.
-- StoreUpgradeTest opens it with the current code, which migrates it up.
PRAGMA foreign_keys=OFF;
BEGIN TRANSACTION;
CREATE TABLE IF NOT EXISTS "flyway_schema_history" (
    "installed_rank" INT NOT NULL PRIMARY KEY,
    "version" VARCHAR(50),
    "description" VARCHAR(200) NOT NULL,
    "type" VARCHAR(20) NOT NULL,
    "script" VARCHAR(1000) NOT NULL,
    "checksum" INT,
    "installed_by" VARCHAR(100) NOT NULL,
    "installed_on" TEXT NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%f','now')),
    "execution_time" INT NOT NULL,
    "success" BOOLEAN NOT NULL
);
INSERT INTO flyway_schema_history VALUES(1,'1','initial schema','SQL','V1__initial_schema.sql',854924850,'','2026-12-02 22:57:15.617',3,1);
INSERT INTO flyway_schema_history VALUES(2,'2','agent liveness','SQL','V2__agent_liveness.sql',-1440066898,'','2026-12-02 22:57:15.637',2,1);
INSERT INTO flyway_schema_history VALUES(3,'3','job progress','SQL','V3__job_progress.sql',-37997104,'','2026-12-02 22:57:15.669',27,1);
INSERT INTO flyway_schema_history VALUES(4,'4','audit log','SQL','V4__audit_log.sql',-1302667654,'','2026-12-02 22:57:15.675',1,1);
INSERT INTO flyway_schema_history VALUES(5,'5','fan out labels schedules','SQL','V5__fan_out_labels_schedules.sql',962201690,'','2026-12-02 22:57:15.687',3,1);
INSERT INTO flyway_schema_history VALUES(6,'6','refresh tokens','SQL','V6__refresh_tokens.sql',-597934876,'','2026-12-02 22:57:15.691',1,1);
INSERT INTO flyway_schema_history VALUES(7,'7','planned runs','SQL','V7__planned_runs.sql',-1482570507,'','2026-12-02 22:57:15.707',8,1);
INSERT INTO flyway_schema_history VALUES(8,'8','agent address','SQL','V8__agent_address.sql',442048021,'','2026-12-02 22:57:15.713',1,1);
INSERT INTO flyway_schema_history VALUES(9,'12','idempotent submission','SQL','V12__idempotent_submission.sql',-363787399,'','2026-12-02 22:57:15.719',3,1);
INSERT INTO flyway_schema_history VALUES(10,'13','retention','SQL','V13__retention.sql',822623280,'','2026-12-02 22:57:15.726',1,1);
CREATE TABLE users (
    username      TEXT PRIMARY KEY,
    password_hash TEXT    NOT NULL,
    role          TEXT    NOT NULL CHECK (role IN ('ADMIN', 'OPERATOR', 'VIEWER')),
    created_at    INTEGER NOT NULL
);
INSERT INTO users VALUES('admin','{bcrypt}$2a$10$UbHI.oVO6e2Ftlp6HWtQZ.xV3Kr8OD5DDw4894SQuqqy1//X9b5B6','ADMIN',1796252254981);
INSERT INTO users VALUES('operator1','{bcrypt}$2a$10$2kYkP3ncYA9pwWswUniA8e7XNEoaIMsv4wFv6K8y20oYB.u2aCZSy','OPERATOR',1796252256843);
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
, snapshot_json TEXT, went_offline_at INTEGER, came_back_at INTEGER, decommissioned_at INTEGER, credential_revoked_at INTEGER, labels_json TEXT NOT NULL DEFAULT '{}', liveness_run_id TEXT, address TEXT);
INSERT INTO agents VALUES('1110fd9f-3905-4b75-9f54-9ecfb8d0e538','fixture-agent','Linux 6.18.44-fc-v1045 (amd64)','0.2.0','mamos-agent-1110fd9f-3905-4b75-9f54-9ecfb8d0e538','59bea0494c0193f9b22086ab41522e518f4a4eecdf013dcecaf5ea70d77127d9','OFFLINE',1796252259189,1796252264007,'{"hostname":"vm","os":"Debian GNU/Linux","osVersion":"12 (bookworm) build 6.18.44-fc-v1045","cpuModel":"Intel(R) Xeon(R) Processor","cpuCount":2,"cpuUsage":0.9770114942528736,"loadAverage1m":3.61328125,"memoryUsedBytes":2077491200,"memoryTotalBytes":25275990016,"disks":[{"mount":"/","type":"ext4","usedBytes":18423218176,"totalBytes":270553174016}],"uptimeSeconds":14733,"agentVersion":"0.2.0","runningJobs":0,"metricsAddress":null,"capturedAtMillis":1796252263997}',1796252288661,NULL,NULL,NULL,'{"env":"fixture"}','01a238fa-5474-7c24-922e-49420759d4b7','127.0.0.1');
CREATE TABLE enrollment_tokens (
    id         TEXT PRIMARY KEY,
    token_hash TEXT    NOT NULL UNIQUE,
    created_by TEXT    NOT NULL,
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL,
    used_at    INTEGER,
    agent_id   TEXT REFERENCES agents (id),
    revoked_at INTEGER
, labels_json TEXT NOT NULL DEFAULT '{}');
INSERT INTO enrollment_tokens VALUES('fe113c15-a310-4528-b828-554b1893d7a1','c008f49b71f96237d41cca21dd94177b4e0a964322d0e9cf91f910f0c2534a58','admin',1796252256932,1796252856932,1796252259189,'1110fd9f-3905-4b75-9f54-9ecfb8d0e538',NULL,'{"env":"fixture"}');
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
INSERT INTO agent_metrics VALUES('1110fd9f-3905-4b75-9f54-9ecfb8d0e538',1796252264007,0.97701149425287359129,3.61328125,2077491200,25275990016,18423218176,270553174016,0);
CREATE TABLE audit_events (
    id        INTEGER PRIMARY KEY AUTOINCREMENT,
    at        INTEGER NOT NULL,
    actor     TEXT    NOT NULL,
    action    TEXT    NOT NULL,
    target    TEXT,
    detail    TEXT,
    source_ip TEXT
);
INSERT INTO audit_events VALUES(1,1796252256031,'admin','login','a0e9249a-e688-4498-ac6e-2371f5595663',NULL,'127.0.0.1');
INSERT INTO audit_events VALUES(2,1796252256854,'admin','user.created','operator1','role OPERATOR','127.0.0.1');
INSERT INTO audit_events VALUES(3,1796252256961,'admin','enrollment-token.created','fe113c15-a310-4528-b828-554b1893d7a1','expires 2026-12-02T23:07:36.932Z, labels {env=fixture}','127.0.0.1');
INSERT INTO audit_events VALUES(4,1796252259520,'agent:1110fd9f-3905-4b75-9f54-9ecfb8d0e538','agent.enrolled','1110fd9f-3905-4b75-9f54-9ecfb8d0e538','hostname fixture-agent','127.0.0.1');
INSERT INTO audit_events VALUES(5,1796252275319,'admin','job.submitted','03cfc032-474a-4767-8864-f85dbbcbba6f','echo on selector ''env=fixture'' (1 agent(s))','127.0.0.1');
INSERT INTO audit_events VALUES(6,1796252275541,'admin','job.submitted','ad5d2be6-5eaa-4331-850a-d1bae156d789','sleep on selector ''env=fixture'' (1 agent(s))','127.0.0.1');
INSERT INTO audit_events VALUES(7,1796252276337,'admin','schedule.created','ace7630e-764d-4e39-9ef9-794ddbb8e29b','fixture uptime: 0 3 * * *, uptime','127.0.0.1');
CREATE TABLE IF NOT EXISTS "jobs" (
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
, workflow_run_id TEXT, max_output_bytes INTEGER, idempotency_key TEXT, start_request_json TEXT);
INSERT INTO jobs VALUES('03cfc032-474a-4767-8864-f85dbbcbba6f','echo','/usr/bin/echo','["made by v0.2.0"]',60,'{"agentIds":null,"selector":"env=fixture","all":null}','{"concurrency":null,"maxFailures":null,"offlineWaitSeconds":60,"jobTimeoutSeconds":null,"retry":null}',1,'SUCCEEDED',NULL,'job-03cfc032-474a-4767-8864-f85dbbcbba6f',NULL,'admin',1796252275292,1796252275414,1796252276003,1796252276146,'01a238fa-92a2-70b9-b625-04585a721025',65536,NULL,'{"jobId":"03cfc032-474a-4767-8864-f85dbbcbba6f","targets":[{"agentId":"1110fd9f-3905-4b75-9f54-9ecfb8d0e538","taskQueue":"mamos-agent-1110fd9f-3905-4b75-9f54-9ecfb8d0e538"}],"command":{"name":"echo","executable":"/usr/bin/echo","args":["made by v0.2.0"]},"timeoutSeconds":60,"agentWaitSeconds":60,"heartbeatTimeoutSeconds":10,"maxOutputBytes":65536,"concurrency":1,"maxFailures":0,"jobTimeoutSeconds":0,"retry":{"maxAttempts":1,"backoffSeconds":0}}');
INSERT INTO jobs VALUES('ad5d2be6-5eaa-4331-850a-d1bae156d789','sleep','/usr/bin/sleep','["1"]',60,'{"agentIds":null,"selector":"env=fixture","all":null}','{"concurrency":null,"maxFailures":null,"offlineWaitSeconds":60,"jobTimeoutSeconds":null,"retry":null}',1,'SUCCEEDED',NULL,'job-ad5d2be6-5eaa-4331-850a-d1bae156d789',NULL,'admin',1796252275510,1796252275689,1796252276001,1796252277135,'01a238fa-9366-72f4-a1ae-b9e253f86901',65536,NULL,'{"jobId":"ad5d2be6-5eaa-4331-850a-d1bae156d789","targets":[{"agentId":"1110fd9f-3905-4b75-9f54-9ecfb8d0e538","taskQueue":"mamos-agent-1110fd9f-3905-4b75-9f54-9ecfb8d0e538"}],"command":{"name":"sleep","executable":"/usr/bin/sleep","args":["1"]},"timeoutSeconds":60,"agentWaitSeconds":60,"heartbeatTimeoutSeconds":10,"maxOutputBytes":65536,"concurrency":1,"maxFailures":0,"jobTimeoutSeconds":0,"retry":{"maxAttempts":1,"backoffSeconds":0}}');
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
    progress_json    TEXT, workflow_run_id TEXT, signed_attempt INTEGER NOT NULL DEFAULT 0, signed_nonce TEXT, signed_at INTEGER, signed_expires_at INTEGER,
    PRIMARY KEY (job_id, agent_id)
) WITHOUT ROWID;
INSERT INTO job_runs VALUES('03cfc032-474a-4767-8864-f85dbbcbba6f','1110fd9f-3905-4b75-9f54-9ecfb8d0e538',0,'SUCCEEDED',1,0,replace('made by v0.2.0\n','\n',char(10)),'',0,NULL,'job-03cfc032-474a-4767-8864-f85dbbcbba6f',1796252275414,1796252276003,1796252276112,NULL,'01a238fa-92a2-70b9-b625-04585a721025',1,'71e527da-25b0-473f-aa48-155cca75c8a3',1796252275537,1796252365537);
INSERT INTO job_runs VALUES('ad5d2be6-5eaa-4331-850a-d1bae156d789','1110fd9f-3905-4b75-9f54-9ecfb8d0e538',0,'SUCCEEDED',1,0,'','',0,NULL,'job-ad5d2be6-5eaa-4331-850a-d1bae156d789',1796252275689,1796252276082,1796252277125,NULL,'01a238fa-9366-72f4-a1ae-b9e253f86901',1,'989b901d-f326-4bc4-a567-a86e6a2715ed',1796252275924,1796252365924);
CREATE TABLE schedules (
    id         TEXT PRIMARY KEY,
    name       TEXT    NOT NULL UNIQUE,
    cron       TEXT    NOT NULL,
    job_json   TEXT    NOT NULL,
    created_by TEXT    NOT NULL,
    created_at INTEGER NOT NULL
);
INSERT INTO schedules VALUES('ace7630e-764d-4e39-9ef9-794ddbb8e29b','fixture uptime','0 3 * * *','{"agentId":null,"targets":{"agentIds":null,"selector":"env=fixture","all":null},"command":"uptime","args":null,"timeoutSeconds":null,"concurrency":null,"maxFailures":null,"offlineWaitSeconds":null,"jobTimeoutSeconds":null,"retry":null}','admin',1796252275964);
CREATE TABLE refresh_tokens (
    token_hash TEXT PRIMARY KEY,
    family_id  TEXT    NOT NULL,
    username   TEXT    NOT NULL,
    issued_at  INTEGER NOT NULL,
    expires_at INTEGER NOT NULL,
    used_at    INTEGER,
    revoked_at INTEGER
);
INSERT INTO refresh_tokens VALUES('452e7507700f490cd8d7a476db5cda2311271e1688e70c506c490e7e9660e80c','a0e9249a-e688-4498-ac6e-2371f5595663','admin',1796252256030,1797461856030,NULL,NULL);
CREATE TABLE revoked_access_tokens (
    jti        TEXT PRIMARY KEY,
    expires_at INTEGER NOT NULL
);
CREATE TABLE planned_firings (
    workflow_id TEXT PRIMARY KEY,
    schedule_id TEXT    NOT NULL,
    planned_at  INTEGER NOT NULL,
    run_id      TEXT
) WITHOUT ROWID;
CREATE TABLE audit_archives (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    first_id    INTEGER NOT NULL,
    last_id     INTEGER NOT NULL,
    event_count INTEGER NOT NULL,
    file        TEXT    NOT NULL,
    sha256      TEXT    NOT NULL,
    archived_at INTEGER NOT NULL
);
DELETE FROM sqlite_sequence;
INSERT INTO sqlite_sequence VALUES('audit_events',7);
CREATE INDEX "flyway_schema_history_s_idx" ON "flyway_schema_history" ("success");
CREATE INDEX agents_status ON agents (status);
CREATE INDEX agent_metrics_captured_at ON agent_metrics (captured_at);
CREATE INDEX audit_events_at ON audit_events (at DESC);
CREATE TRIGGER audit_events_no_update BEFORE UPDATE ON audit_events
BEGIN
    SELECT RAISE(ABORT, 'the audit log is append-only');
END;
CREATE INDEX jobs_created_at ON jobs (created_at DESC);
CREATE INDEX jobs_state ON jobs (state);
CREATE INDEX jobs_schedule_id ON jobs (schedule_id, created_at DESC);
CREATE INDEX job_runs_state ON job_runs (state);
CREATE INDEX job_runs_agent_id ON job_runs (agent_id);
CREATE INDEX refresh_tokens_family ON refresh_tokens (family_id);
CREATE INDEX refresh_tokens_username ON refresh_tokens (username);
CREATE UNIQUE INDEX jobs_idempotency_key ON jobs (created_by, idempotency_key) WHERE idempotency_key IS NOT NULL;
CREATE TRIGGER audit_archives_no_update BEFORE UPDATE ON audit_archives
BEGIN
    SELECT RAISE(ABORT, 'audit archive records are append-only');
END;
CREATE TRIGGER audit_archives_no_delete BEFORE DELETE ON audit_archives
BEGIN
    SELECT RAISE(ABORT, 'audit archive records are append-only');
END;
CREATE TRIGGER audit_events_no_delete BEFORE DELETE ON audit_events
WHEN NOT EXISTS (SELECT 1 FROM audit_archives a WHERE OLD.id BETWEEN a.first_id AND a.last_id)
BEGIN
    SELECT RAISE(ABORT, 'the audit log is append-only: only archived events are removed');
END;
CREATE INDEX jobs_finished_at ON jobs (finished_at);
COMMIT;
