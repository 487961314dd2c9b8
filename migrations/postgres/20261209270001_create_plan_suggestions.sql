-- Changes suggested to a plan's text sections by members who may not edit
-- them: a replacement for words (two encoded Yjs sticky positions, and the
-- words as they were) or a paragraph to add. A lead accepts (the change is
-- then made through the plan's room, as their edit) or rejects (with a
-- reason); the decision is made once and kept, never deleted but with the
-- plan.
CREATE TABLE plan_suggestions (
    id uuid PRIMARY KEY,
    plan_id uuid NOT NULL REFERENCES plans (id),
    author_id uuid NOT NULL REFERENCES users (id),
    section text NOT NULL,
    kind text NOT NULL CHECK (kind IN ('replace', 'paragraph')),
    range_start bytea,
    range_end bytea,
    original text,
    proposed text NOT NULL,
    created_at timestamptz NOT NULL,
    decision text CHECK (decision IN ('accepted', 'rejected')),
    decided_by uuid REFERENCES users (id),
    decided_at timestamptz,
    reason text
);

CREATE INDEX plan_suggestions_plan_idx ON plan_suggestions (plan_id, created_at);
