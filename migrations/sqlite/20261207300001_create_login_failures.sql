-- Failed log-ins, counted per email and client address, per address and
-- per email (server/src/accounts/throttle.rs), shared by every node. The key
-- is the SHA-256 of what is counted, so no typed email is kept. Rows with no
-- failure for an hour count for nothing and are pruned. Times are
-- milliseconds since 1970 (compared alike in PostgreSQL and SQLite).
CREATE TABLE login_failures (
    key BLOB NOT NULL PRIMARY KEY,
    failures INTEGER NOT NULL,
    last_failure_at INTEGER NOT NULL
) STRICT;

CREATE INDEX login_failures_last_idx ON login_failures (last_failure_at);
