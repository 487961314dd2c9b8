-- People who can log in. Passwords are kept only as argon2id PHC strings.
CREATE TABLE users (
    id BLOB NOT NULL PRIMARY KEY CHECK (length(id) = 16),
    -- Stored lower-cased, so log-in is case-insensitive.
    email TEXT NOT NULL CHECK (email = lower(email)),
    name TEXT NOT NULL CHECK (length(trim(name)) > 0),
    agency_id BLOB NOT NULL REFERENCES agencies (id),
    password_hash TEXT NOT NULL,
    is_admin INTEGER NOT NULL DEFAULT 0 CHECK (is_admin IN (0, 1)),
    created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
) STRICT;

CREATE UNIQUE INDEX users_email_idx ON users (email);
