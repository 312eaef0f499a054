-- Retention: audit events leave the store only once archived. Each archive (a gzip'd JSON-lines
-- file under <data dir>/audit-archive/) is recorded here with its digest; like the audit log
-- itself, these records can be neither changed nor deleted.
CREATE TABLE audit_archives (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    first_id    INTEGER NOT NULL,
    last_id     INTEGER NOT NULL,
    event_count INTEGER NOT NULL,
    file        TEXT    NOT NULL,
    sha256      TEXT    NOT NULL,
    archived_at INTEGER NOT NULL
);

CREATE TRIGGER audit_archives_no_update BEFORE UPDATE ON audit_archives
BEGIN
    SELECT RAISE(ABORT, 'audit archive records are append-only');
END;

CREATE TRIGGER audit_archives_no_delete BEFORE DELETE ON audit_archives
BEGIN
    SELECT RAISE(ABORT, 'audit archive records are append-only');
END;

-- An audit event may be deleted only when an archive record covers it.
DROP TRIGGER audit_events_no_delete;
CREATE TRIGGER audit_events_no_delete BEFORE DELETE ON audit_events
WHEN NOT EXISTS (SELECT 1 FROM audit_archives a WHERE OLD.id BETWEEN a.first_id AND a.last_id)
BEGIN
    SELECT RAISE(ABORT, 'the audit log is append-only: only archived events are removed');
END;

-- Retention finds old finished jobs by when they ended.
CREATE INDEX jobs_finished_at ON jobs (finished_at);
