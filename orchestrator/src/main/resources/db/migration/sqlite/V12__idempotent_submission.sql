-- A client's Idempotency-Key (per user) names the job its first request recorded, so a retry
-- returns that job instead of recording a second one.
ALTER TABLE jobs ADD COLUMN idempotency_key TEXT;
CREATE UNIQUE INDEX jobs_idempotency_key ON jobs (created_by, idempotency_key) WHERE idempotency_key IS NOT NULL;
-- The workflow input of a submitted job, kept so a start whose answer was lost (a deadline,
-- an outage) can be retried under the same workflow id, which Temporal deduplicates.
ALTER TABLE jobs ADD COLUMN start_request_json TEXT;
