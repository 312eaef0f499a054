-- The address an agent connects from (at enrollment and on its authenticated calls), as the
-- orchestrator saw it. Prometheus discovery scrapes this host, never one the agent reports.
ALTER TABLE agents ADD COLUMN address TEXT;
