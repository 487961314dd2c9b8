-- A plan's life: open, then closed (read-only for everyone; its LRO may
-- reopen it), then disposed of after a retention review (its rows erased,
-- a tombstone kept). `state` is the plan's now; plan_lifecycle_events is
-- every step, who took it and why, never changed.
ALTER TABLE plans ADD COLUMN state text NOT NULL DEFAULT 'open' CHECK (state IN ('open', 'closed'));
ALTER TABLE plans ADD COLUMN closed_at timestamptz;
-- When a closed plan is next due for a retention review (MoPI).
ALTER TABLE plans ADD COLUMN retention_review_on date;

CREATE TABLE plan_lifecycle_events (
    id bigserial PRIMARY KEY,
    plan_id uuid NOT NULL REFERENCES plans (id),
    at timestamptz NOT NULL DEFAULT now(),
    by_user uuid NOT NULL REFERENCES users (id),
    event text NOT NULL CHECK (event IN ('closed', 'reopened', 'retained')),
    -- Closing: dismantled, disrupted, transferred, merged or other.
    outcome text,
    -- Closing: the summary; reopening and retaining: the reason.
    summary text NOT NULL DEFAULT '',
    -- Closing: the disruptions the plan achieved.
    disruptions text NOT NULL DEFAULT '',
    -- Closing and retaining: the next retention review.
    review_on date
);

CREATE INDEX plan_lifecycle_events_by_plan ON plan_lifecycle_events (plan_id, id);
CREATE INDEX plans_due_for_review ON plans (retention_review_on) WHERE state = 'closed';

CREATE FUNCTION plan_lifecycle_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'a plan''s lifecycle record cannot be changed';
END
$$;

CREATE TRIGGER plan_lifecycle_append_only BEFORE UPDATE OR DELETE ON plan_lifecycle_events
    FOR EACH ROW EXECUTE FUNCTION plan_lifecycle_append_only();
CREATE TRIGGER plan_lifecycle_no_truncate BEFORE TRUNCATE ON plan_lifecycle_events
    FOR EACH STATEMENT EXECUTE FUNCTION plan_lifecycle_append_only();
