-- The membership half of the audit trail: who added, re-roled or removed a
-- plan's member, when, whom, and the role before and after (NULL: not a
-- member). Written in the same transaction as the change itself;
-- append-only, enforced below with the trigger function of plan_changes.
CREATE TABLE plan_member_changes (
    id bigserial PRIMARY KEY,
    plan_id uuid NOT NULL REFERENCES plans (id),
    at timestamptz NOT NULL DEFAULT now(),
    by_user_id uuid NOT NULL REFERENCES users (id),
    user_id uuid NOT NULL REFERENCES users (id),
    old_role text CHECK (old_role IN ('lro', 'plan_owner', 'sio', 'partner', 'viewer')),
    new_role text CHECK (new_role IN ('lro', 'plan_owner', 'sio', 'partner', 'viewer')),
    CHECK (old_role IS DISTINCT FROM new_role)
);

CREATE INDEX plan_member_changes_plan_idx ON plan_member_changes (plan_id, id);

CREATE TRIGGER plan_member_changes_append_only BEFORE UPDATE OR DELETE ON plan_member_changes
    FOR EACH ROW EXECUTE FUNCTION plan_changes_append_only();

CREATE TRIGGER plan_member_changes_no_truncate BEFORE TRUNCATE ON plan_member_changes
    FOR EACH STATEMENT EXECUTE FUNCTION plan_changes_append_only();
