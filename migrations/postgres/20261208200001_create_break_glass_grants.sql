-- Break-glass access: an auditor, strategic lead or administrator who is
-- not a member opens a plan in an emergency, read-only, for a while, by
-- stating why. Each grant is kept (never changed); it lapses at expires_at.
CREATE TABLE break_glass_grants (
    id bigserial PRIMARY KEY,
    plan_id uuid NOT NULL REFERENCES plans (id),
    user_id uuid NOT NULL REFERENCES users (id),
    reason text NOT NULL CHECK (reason <> ''),
    granted_at timestamptz NOT NULL,
    expires_at timestamptz NOT NULL
);

CREATE INDEX break_glass_grants_by_plan_user ON break_glass_grants (plan_id, user_id, expires_at);

CREATE FUNCTION break_glass_grants_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'a break-glass grant cannot be changed';
END
$$;

CREATE TRIGGER break_glass_grants_append_only BEFORE UPDATE OR DELETE ON break_glass_grants
    FOR EACH ROW EXECUTE FUNCTION break_glass_grants_append_only();
CREATE TRIGGER break_glass_grants_no_truncate BEFORE TRUNCATE ON break_glass_grants
    FOR EACH STATEMENT EXECUTE FUNCTION break_glass_grants_append_only();
