-- Comments on a plan, in threads. A thread's first comment says what it is
-- about: the plan (anchor_kind 'plan'), a text section, words in a section
-- (two encoded Yjs sticky positions, and the words as they were when the
-- comment was made), or an action. Replies have thread_id set to it.
-- The row holds the comment as it is now; plan_comment_events holds every
-- wording and every resolve, reopen and hide, with who and when.
CREATE TABLE plan_comments (
    id uuid PRIMARY KEY,
    plan_id uuid NOT NULL REFERENCES plans (id),
    thread_id uuid REFERENCES plan_comments (id),
    author_id uuid NOT NULL REFERENCES users (id),
    anchor_kind text NOT NULL CHECK (anchor_kind IN ('plan', 'section', 'range', 'action')),
    section text,
    action_id text,
    range_start bytea,
    range_end bytea,
    quote text,
    body text NOT NULL,
    created_at timestamptz NOT NULL,
    edited_at timestamptz,
    resolved_at timestamptz,
    resolved_by uuid REFERENCES users (id),
    hidden_at timestamptz,
    hidden_by uuid REFERENCES users (id),
    hidden_reason text
);

CREATE INDEX plan_comments_plan_idx ON plan_comments (plan_id, created_at);
CREATE INDEX plan_comments_thread_idx ON plan_comments (thread_id);

-- What happened to each comment, in order: append-only, like the rest of
-- a plan's record, going only with the plan when it is disposed of.
CREATE TABLE plan_comment_events (
    id bigserial PRIMARY KEY,
    plan_id uuid NOT NULL REFERENCES plans (id),
    comment_id uuid NOT NULL REFERENCES plan_comments (id),
    by_user_id uuid NOT NULL REFERENCES users (id),
    kind text NOT NULL CHECK (kind IN ('posted', 'edited', 'resolved', 'reopened', 'hidden')),
    -- The wording, for 'posted' and 'edited'; the reason, for 'hidden'.
    body text,
    at timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX plan_comment_events_plan_idx ON plan_comment_events (plan_id, id);

CREATE FUNCTION plan_comment_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' AND disposing(OLD.plan_id) THEN
        RETURN OLD;
    END IF;
    RAISE EXCEPTION 'a plan''s comment record cannot be changed';
END
$$;

CREATE TRIGGER plan_comment_events_append_only BEFORE UPDATE OR DELETE ON plan_comment_events
    FOR EACH ROW EXECUTE FUNCTION plan_comment_events_append_only();
CREATE TRIGGER plan_comment_events_no_truncate BEFORE TRUNCATE ON plan_comment_events
    FOR EACH STATEMENT EXECUTE FUNCTION plan_comment_events_append_only();
