-- The agent gateway reads recent revocations every half second to cut revoked agents' open calls.
CREATE INDEX agents_credential_revoked_at ON agents (credential_revoked_at);
