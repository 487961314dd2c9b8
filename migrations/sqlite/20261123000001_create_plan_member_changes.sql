-- The membership half of the audit trail: who added, re-roled or removed a
-- plan's member, when, whom, and the role before and after (NULL: not a
-- member). Written in the same transaction as the change itself;
-- append-only, enforced below.
CREATE TABLE plan_member_changes (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    plan_id BLOB NOT NULL REFERENCES plans (id),
    at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    by_user_id BLOB NOT NULL REFERENCES users (id),
    user_id BLOB NOT NULL REFERENCES users (id),
    old_role TEXT CHECK (old_role IN ('lro', 'plan_owner', 'sio', 'partner', 'viewer')),
    new_role TEXT CHECK (new_role IN ('lro', 'plan_owner', 'sio', 'partner', 'viewer')),
    CHECK (old_role IS NOT new_role)
) STRICT;

CREATE INDEX plan_member_changes_plan_idx ON plan_member_changes (plan_id, id);

CREATE TRIGGER plan_member_changes_no_update BEFORE UPDATE ON plan_member_changes
BEGIN
    SELECT RAISE(ABORT, 'the audit trail cannot be changed');
END;

CREATE TRIGGER plan_member_changes_no_delete BEFORE DELETE ON plan_member_changes
BEGIN
    SELECT RAISE(ABORT, 'the audit trail cannot be changed');
END;
