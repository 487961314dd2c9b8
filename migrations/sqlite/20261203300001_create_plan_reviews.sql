-- Each recorded review of a plan: who recorded it and when, the LRO update
-- as it stood, and a frozen copy of the whole document (a v1 update of its
-- full state) that compaction never touches. Reviews are never changed.
CREATE TABLE plan_reviews (
    plan_id BLOB NOT NULL REFERENCES plans (id) ON DELETE CASCADE,
    number INTEGER NOT NULL CHECK (number > 0),
    reviewed_on TEXT NOT NULL,
    at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    by_user BLOB NOT NULL REFERENCES users (id),
    lro_update TEXT NOT NULL,
    -- The last logged update folded into `state`.
    upto_seq INTEGER NOT NULL CHECK (upto_seq >= 0),
    state BLOB NOT NULL,
    PRIMARY KEY (plan_id, number)
) STRICT;

CREATE TRIGGER plan_reviews_no_update BEFORE UPDATE ON plan_reviews
BEGIN
    SELECT RAISE(ABORT, 'a recorded review cannot be changed');
END;

CREATE TRIGGER plan_reviews_no_delete BEFORE DELETE ON plan_reviews
BEGIN
    SELECT RAISE(ABORT, 'a recorded review cannot be changed');
END;
