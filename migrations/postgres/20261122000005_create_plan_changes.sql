-- The audit trail: every accepted update, who made it, when, and what it
-- changed (plan::access::Change list as JSON). Written in the same
-- statement as the update itself; append-only, enforced below.
CREATE TABLE plan_changes (
    id bigserial PRIMARY KEY,
    plan_id uuid NOT NULL REFERENCES plans (id),
    seq bigint NOT NULL,
    user_id uuid NOT NULL REFERENCES users (id),
    at timestamptz NOT NULL DEFAULT now(),
    changes jsonb NOT NULL
);

CREATE INDEX plan_changes_plan_idx ON plan_changes (plan_id, id);

CREATE FUNCTION plan_changes_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'the audit trail cannot be changed';
END
$$;

CREATE TRIGGER plan_changes_append_only BEFORE UPDATE OR DELETE ON plan_changes
    FOR EACH ROW EXECUTE FUNCTION plan_changes_append_only();
