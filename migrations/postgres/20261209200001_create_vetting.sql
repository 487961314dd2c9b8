-- Vetting (NPPV levels, or a force's national equivalent). The levels and
-- the level each marking implies are the server's settings, written here at
-- every start (PILLARS_VETTING_LEVELS, PILLARS_VETTING_BY_MARKING), so
-- that the database itself can judge who is cleared for which plan (see
-- the views of 20261209200002).
CREATE TABLE vetting_levels (
    name text PRIMARY KEY,
    -- 0 for the lowest (no vetting), then 1, 2, ... in the order configured.
    rank integer NOT NULL UNIQUE CHECK (rank >= 0)
);

CREATE TABLE vetting_by_marking (
    marking text PRIMARY KEY,
    level text NOT NULL REFERENCES vetting_levels (name) ON DELETE CASCADE
);

-- What each person holds (NULL: the lowest level) and when it lapses
-- (NULL: never; only the lowest level has no expiry). Vetting officers, a
-- flag administrators grant, set people's vetting.
ALTER TABLE users ADD COLUMN vetting_level text;
ALTER TABLE users ADD COLUMN vetting_expires_at timestamptz;
ALTER TABLE users ADD COLUMN vetting_officer boolean NOT NULL DEFAULT false;

-- The level a plan's LRO raised it to (NULL: what its marking implies).
ALTER TABLE plans ADD COLUMN vetting_level text;

-- Every change of a person's vetting: who made it, whose, old and new.
CREATE TABLE vetting_changes (
    id bigserial PRIMARY KEY,
    at timestamptz NOT NULL DEFAULT now(),
    by_user_id uuid NOT NULL REFERENCES users (id),
    user_id uuid NOT NULL REFERENCES users (id),
    old_level text,
    old_expires_at timestamptz,
    new_level text,
    new_expires_at timestamptz
);

CREATE INDEX vetting_changes_by_user ON vetting_changes (user_id, id);

-- Every raise (or lowering back) of a plan's level by its LRO.
CREATE TABLE plan_vetting_changes (
    id bigserial PRIMARY KEY,
    plan_id uuid NOT NULL REFERENCES plans (id),
    at timestamptz NOT NULL DEFAULT now(),
    by_user_id uuid NOT NULL REFERENCES users (id),
    old_level text,
    new_level text
);

CREATE INDEX plan_vetting_changes_by_plan ON plan_vetting_changes (plan_id, id);

CREATE FUNCTION vetting_changes_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'the vetting record cannot be changed';
END
$$;

CREATE TRIGGER vetting_changes_append_only BEFORE UPDATE OR DELETE ON vetting_changes
    FOR EACH ROW EXECUTE FUNCTION vetting_changes_append_only();
CREATE TRIGGER vetting_changes_no_truncate BEFORE TRUNCATE ON vetting_changes
    FOR EACH STATEMENT EXECUTE FUNCTION vetting_changes_append_only();

-- A plan's record goes only with the plan, when it is disposed of.
CREATE FUNCTION plan_vetting_changes_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' AND disposing(OLD.plan_id) THEN
        RETURN OLD;
    END IF;
    RAISE EXCEPTION 'a plan''s vetting record cannot be changed';
END
$$;

CREATE TRIGGER plan_vetting_changes_append_only BEFORE UPDATE OR DELETE ON plan_vetting_changes
    FOR EACH ROW EXECUTE FUNCTION plan_vetting_changes_append_only();
CREATE TRIGGER plan_vetting_changes_no_truncate BEFORE TRUNCATE ON plan_vetting_changes
    FOR EACH STATEMENT EXECUTE FUNCTION plan_vetting_changes_append_only();
