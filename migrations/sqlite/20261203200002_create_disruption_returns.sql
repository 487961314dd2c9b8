-- Each disruption return produced (its CSV exported): who, when, which plans
-- and exactly the rows it held (JSON text), so the same return can be
-- produced again. Append-only, like the audit trail. Times are RFC 3339 text.
CREATE TABLE disruption_returns (
    id BLOB NOT NULL PRIMARY KEY,
    user_id BLOB NOT NULL REFERENCES users (id),
    at TEXT NOT NULL,
    marking TEXT NOT NULL,
    -- Plan ids, joined by ','.
    plan_ids TEXT NOT NULL,
    rows_json TEXT NOT NULL
) STRICT;

CREATE INDEX disruption_returns_user_idx ON disruption_returns (user_id);

CREATE TRIGGER disruption_returns_no_update BEFORE UPDATE ON disruption_returns
BEGIN
    SELECT RAISE(ABORT, 'disruption returns are append-only');
END;

CREATE TRIGGER disruption_returns_no_delete BEFORE DELETE ON disruption_returns
BEGIN
    SELECT RAISE(ABORT, 'disruption returns are append-only');
END;
