-- Break-glass access: an auditor, strategic lead or administrator who is
-- not a member opens a plan in an emergency, read-only, for a while, by
-- stating why. Each grant is kept (never changed); it lapses at expires_at.
CREATE TABLE break_glass_grants (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    plan_id BLOB NOT NULL REFERENCES plans (id),
    user_id BLOB NOT NULL REFERENCES users (id),
    reason TEXT NOT NULL CHECK (reason <> ''),
    granted_at TEXT NOT NULL,
    expires_at TEXT NOT NULL
) STRICT;

CREATE INDEX break_glass_grants_by_plan_user ON break_glass_grants (plan_id, user_id, expires_at);

CREATE TRIGGER break_glass_grants_no_update BEFORE UPDATE ON break_glass_grants
BEGIN
    SELECT RAISE(ABORT, 'a break-glass grant cannot be changed');
END;

CREATE TRIGGER break_glass_grants_no_delete BEFORE DELETE ON break_glass_grants
BEGIN
    SELECT RAISE(ABORT, 'a break-glass grant cannot be changed');
END;
