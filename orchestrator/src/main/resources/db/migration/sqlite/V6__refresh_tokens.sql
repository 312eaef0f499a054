-- Refresh tokens are opaque; only their SHA-256 is kept. A login starts a family; every refresh
-- spends the presented token and issues the next one of the same family (rotation). Presenting
-- a spent token again means a copy was stolen: the whole family is revoked.
CREATE TABLE refresh_tokens (
    token_hash TEXT PRIMARY KEY,
    family_id  TEXT    NOT NULL,
    username   TEXT    NOT NULL,
    issued_at  INTEGER NOT NULL,
    expires_at INTEGER NOT NULL,
    used_at    INTEGER,
    revoked_at INTEGER
);

CREATE INDEX refresh_tokens_family ON refresh_tokens (family_id);
CREATE INDEX refresh_tokens_username ON refresh_tokens (username);

-- Access tokens denied before they expire (logout), by their jti; a row is useless, and pruned,
-- once the token would have expired anyway.
CREATE TABLE revoked_access_tokens (
    jti        TEXT PRIMARY KEY,
    expires_at INTEGER NOT NULL
);
