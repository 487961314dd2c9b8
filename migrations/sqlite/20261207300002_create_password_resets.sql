-- One-time password reset links issued by administrators. Only the SHA-256
-- of the link's token is kept. A link expires an hour after it is issued and
-- is used at most once (used_at). Times are milliseconds since 1970.
CREATE TABLE password_resets (
    token_hash BLOB NOT NULL PRIMARY KEY,
    user_id BLOB NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    expires_at INTEGER NOT NULL,
    used_at INTEGER
) STRICT;

CREATE INDEX password_resets_user_idx ON password_resets (user_id);
