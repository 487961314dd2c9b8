-- Redactions (server::versions::redact): who masked a passage of a plan,
-- when, why, in which field and as found in which version; never the
-- passage. `changes` is the entry as the plan's history shows it (the
-- shape of plan_changes.changes). Append-only.
CREATE TABLE plan_redactions (
    id bigserial PRIMARY KEY,
    plan_id uuid NOT NULL REFERENCES plans (id),
    at timestamptz NOT NULL DEFAULT now(),
    by_user_id uuid NOT NULL REFERENCES users (id),
    field text NOT NULL,
    version text NOT NULL,
    reason text NOT NULL CHECK (length(btrim(reason)) > 0),
    changes jsonb NOT NULL
);

CREATE INDEX plan_redactions_plan_idx ON plan_redactions (plan_id, id);

CREATE TRIGGER plan_redactions_append_only BEFORE UPDATE OR DELETE ON plan_redactions
    FOR EACH ROW EXECUTE FUNCTION plan_changes_append_only();

-- A redaction rewrites the stored copies of the passage in place, in one
-- transaction that says which plan it redacts with
-- `SET LOCAL pillars.redacting = '<plan id>'`. Only there may the audit
-- trail, recorded reviews and disruption returns of that plan be updated;
-- nothing may ever be deleted.
CREATE OR REPLACE FUNCTION plan_changes_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'UPDATE' AND TG_TABLE_NAME = 'plan_changes' THEN
        IF OLD.plan_id::text = current_setting('pillars.redacting', true) AND NEW.plan_id = OLD.plan_id THEN
            RETURN NEW;
        END IF;
    END IF;
    RAISE EXCEPTION 'the audit trail cannot be changed';
END
$$;

CREATE OR REPLACE FUNCTION plan_reviews_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'UPDATE' THEN
        IF OLD.plan_id::text = current_setting('pillars.redacting', true) AND NEW.plan_id = OLD.plan_id
            AND NEW.number = OLD.number THEN
            RETURN NEW;
        END IF;
    END IF;
    RAISE EXCEPTION 'a recorded review cannot be changed';
END
$$;

CREATE OR REPLACE FUNCTION disruption_returns_append_only() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'UPDATE' THEN
        IF coalesce(current_setting('pillars.redacting', true), '') <> ''
            AND position(current_setting('pillars.redacting', true) IN OLD.plan_ids) > 0
            AND NEW.plan_ids = OLD.plan_ids THEN
            RETURN NEW;
        END IF;
    END IF;
    RAISE EXCEPTION 'disruption returns are append-only';
END;
$$ LANGUAGE plpgsql;
