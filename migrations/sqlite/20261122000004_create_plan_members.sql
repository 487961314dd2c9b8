-- Who may see a plan, and what they may do in it (plan::access::Role:
-- lro, plan_owner, sio, partner, viewer). Non-members cannot see a plan.
CREATE TABLE plan_members (
    plan_id BLOB NOT NULL REFERENCES plans (id) ON DELETE CASCADE,
    user_id BLOB NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    role TEXT NOT NULL CHECK (role IN ('lro', 'plan_owner', 'sio', 'partner', 'viewer')),
    added_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    PRIMARY KEY (plan_id, user_id)
) STRICT;

CREATE INDEX plan_members_user_idx ON plan_members (user_id);
