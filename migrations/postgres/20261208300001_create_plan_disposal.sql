-- Disposal (MoPI): after a retention review decides so, a closed plan's
-- rows are erased from every table and only a tombstone remains. The
-- erasure runs in one transaction that says which plan it disposes of with
-- `SET LOCAL pillars.disposing = '<plan id>'`: only there may the
-- append-only records of that plan be deleted (and disruption returns that
-- name it rewritten without it). Tombstones are never changed, and a
-- disposed plan's id can never be used again.
CREATE TABLE plan_tombstones (
    plan_id uuid PRIMARY KEY,
    subject_ref text NOT NULL,
    opened_at timestamptz NOT NULL,
    closed_at timestamptz,
    disposed_at timestamptz NOT NULL,
    decided_by uuid NOT NULL REFERENCES users (id),
    reason text NOT NULL CHECK (reason <> '')
);

CREATE FUNCTION plan_tombstones_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'a tombstone cannot be changed';
END
$$;

CREATE TRIGGER plan_tombstones_append_only BEFORE UPDATE OR DELETE ON plan_tombstones
    FOR EACH ROW EXECUTE FUNCTION plan_tombstones_append_only();
CREATE TRIGGER plan_tombstones_no_truncate BEFORE TRUNCATE ON plan_tombstones
    FOR EACH STATEMENT EXECUTE FUNCTION plan_tombstones_append_only();

CREATE FUNCTION plans_never_reuse_an_id() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF EXISTS (SELECT 1 FROM plan_tombstones WHERE plan_id = NEW.id) THEN
        RAISE EXCEPTION 'a disposed plan''s id cannot be used again';
    END IF;
    RETURN NEW;
END
$$;

CREATE TRIGGER plans_never_reuse_an_id BEFORE INSERT ON plans
    FOR EACH ROW EXECUTE FUNCTION plans_never_reuse_an_id();

-- Whether the row's plan is the one being disposed of.
CREATE FUNCTION disposing(plan uuid) RETURNS boolean LANGUAGE sql STABLE AS $$
    SELECT plan::text = current_setting('pillars.disposing', true)
$$;

CREATE OR REPLACE FUNCTION plan_changes_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'UPDATE' AND TG_TABLE_NAME = 'plan_changes' THEN
        IF OLD.plan_id::text = current_setting('pillars.redacting', true) AND NEW.plan_id = OLD.plan_id THEN
            RETURN NEW;
        END IF;
    END IF;
    IF TG_OP = 'DELETE' AND disposing(OLD.plan_id) THEN
        RETURN OLD;
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
    IF TG_OP = 'DELETE' AND disposing(OLD.plan_id) THEN
        RETURN OLD;
    END IF;
    RAISE EXCEPTION 'a recorded review cannot be changed';
END
$$;

CREATE OR REPLACE FUNCTION disruption_returns_append_only() RETURNS trigger AS $$
DECLARE
    disposed text := coalesce(current_setting('pillars.disposing', true), '');
BEGIN
    IF TG_OP = 'UPDATE' THEN
        IF coalesce(current_setting('pillars.redacting', true), '') <> ''
            AND position(current_setting('pillars.redacting', true) IN OLD.plan_ids) > 0
            AND NEW.plan_ids = OLD.plan_ids THEN
            RETURN NEW;
        END IF;
        -- A return of several plans loses the disposed one's rows.
        IF disposed <> '' AND position(disposed IN OLD.plan_ids) > 0 AND position(disposed IN NEW.plan_ids) = 0 THEN
            RETURN NEW;
        END IF;
    END IF;
    -- A return of the disposed plan alone goes with it.
    IF TG_OP = 'DELETE' AND disposed <> '' AND OLD.plan_ids = disposed THEN
        RETURN OLD;
    END IF;
    RAISE EXCEPTION 'disruption returns are append-only';
END;
$$ LANGUAGE plpgsql;

CREATE OR REPLACE FUNCTION access_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' AND OLD.plan_id IS NOT NULL AND disposing(OLD.plan_id) THEN
        RETURN OLD;
    END IF;
    RAISE EXCEPTION 'the access log cannot be changed';
END
$$;

CREATE OR REPLACE FUNCTION plan_lifecycle_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' AND disposing(OLD.plan_id) THEN
        RETURN OLD;
    END IF;
    RAISE EXCEPTION 'a plan''s lifecycle record cannot be changed';
END
$$;

CREATE OR REPLACE FUNCTION break_glass_grants_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' AND disposing(OLD.plan_id) THEN
        RETURN OLD;
    END IF;
    RAISE EXCEPTION 'a break-glass grant cannot be changed';
END
$$;
