-- Changes suggested to a plan's text sections (see the PostgreSQL
-- migration of the same name).
CREATE TABLE plan_suggestions (
    id BLOB NOT NULL PRIMARY KEY CHECK (length(id) = 16),
    plan_id BLOB NOT NULL REFERENCES plans (id),
    author_id BLOB NOT NULL REFERENCES users (id),
    section TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('replace', 'paragraph')),
    range_start BLOB,
    range_end BLOB,
    original TEXT,
    proposed TEXT NOT NULL,
    created_at TEXT NOT NULL,
    decision TEXT CHECK (decision IN ('accepted', 'rejected')),
    decided_by BLOB REFERENCES users (id),
    decided_at TEXT,
    reason TEXT
) STRICT;

CREATE INDEX plan_suggestions_plan_idx ON plan_suggestions (plan_id, created_at);
