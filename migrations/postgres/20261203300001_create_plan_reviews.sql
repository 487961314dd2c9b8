-- Each recorded review of a plan: who recorded it and when, the LRO update
-- as it stood, and a frozen copy of the whole document (a v1 update of its
-- full state) that compaction never touches. Reviews are never changed.
CREATE TABLE plan_reviews (
    plan_id uuid NOT NULL REFERENCES plans (id) ON DELETE CASCADE,
    number integer NOT NULL CHECK (number > 0),
    reviewed_on date NOT NULL,
    at timestamptz NOT NULL DEFAULT now(),
    by_user uuid NOT NULL REFERENCES users (id),
    lro_update text NOT NULL,
    -- The last logged update folded into `state`.
    upto_seq bigint NOT NULL CHECK (upto_seq >= 0),
    state bytea NOT NULL,
    PRIMARY KEY (plan_id, number)
);

CREATE FUNCTION plan_reviews_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'a recorded review cannot be changed';
END
$$;

CREATE TRIGGER plan_reviews_append_only BEFORE UPDATE OR DELETE ON plan_reviews
    FOR EACH ROW EXECUTE FUNCTION plan_reviews_append_only();
