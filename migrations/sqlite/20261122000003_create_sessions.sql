-- Log-in sessions. The cookie holds a random token; only its SHA-256 is
-- kept, so a copy of this table cannot be used to log in.
CREATE TABLE sessions (
    token_hash BLOB NOT NULL PRIMARY KEY,
    user_id BLOB NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at TEXT NOT NULL,
    last_seen_at TEXT NOT NULL
) STRICT;

CREATE INDEX sessions_user_idx ON sessions (user_id);
