-- The audit trail: every accepted update, who made it, when, and what it
-- changed (plan::access::Change list as JSON). Written in the same
-- transaction as the update itself; append-only, enforced below.
CREATE TABLE plan_changes (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    plan_id BLOB NOT NULL REFERENCES plans (id),
    seq INTEGER NOT NULL,
    user_id BLOB NOT NULL REFERENCES users (id),
    at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    changes TEXT NOT NULL CHECK (json_valid(changes))
) STRICT;

CREATE INDEX plan_changes_plan_idx ON plan_changes (plan_id, id);

CREATE TRIGGER plan_changes_no_update BEFORE UPDATE ON plan_changes
BEGIN
    SELECT RAISE(ABORT, 'the audit trail cannot be changed');
END;

CREATE TRIGGER plan_changes_no_delete BEFORE DELETE ON plan_changes
BEGIN
    SELECT RAISE(ABORT, 'the audit trail cannot be changed');
END;
