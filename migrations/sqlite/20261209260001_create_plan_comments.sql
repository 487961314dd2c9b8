-- Comments on a plan, in threads (see the PostgreSQL migration of the same
-- name for what each column is for).
CREATE TABLE plan_comments (
    id BLOB NOT NULL PRIMARY KEY CHECK (length(id) = 16),
    plan_id BLOB NOT NULL REFERENCES plans (id),
    thread_id BLOB REFERENCES plan_comments (id),
    author_id BLOB NOT NULL REFERENCES users (id),
    anchor_kind TEXT NOT NULL CHECK (anchor_kind IN ('plan', 'section', 'range', 'action')),
    section TEXT,
    action_id TEXT,
    range_start BLOB,
    range_end BLOB,
    quote TEXT,
    body TEXT NOT NULL,
    created_at TEXT NOT NULL,
    edited_at TEXT,
    resolved_at TEXT,
    resolved_by BLOB REFERENCES users (id),
    hidden_at TEXT,
    hidden_by BLOB REFERENCES users (id),
    hidden_reason TEXT
) STRICT;

CREATE INDEX plan_comments_plan_idx ON plan_comments (plan_id, created_at);
CREATE INDEX plan_comments_thread_idx ON plan_comments (thread_id);

CREATE TABLE plan_comment_events (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    plan_id BLOB NOT NULL REFERENCES plans (id),
    comment_id BLOB NOT NULL REFERENCES plan_comments (id),
    by_user_id BLOB NOT NULL REFERENCES users (id),
    kind TEXT NOT NULL CHECK (kind IN ('posted', 'edited', 'resolved', 'reopened', 'hidden')),
    body TEXT,
    at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
) STRICT;

CREATE INDEX plan_comment_events_plan_idx ON plan_comment_events (plan_id, id);

CREATE TRIGGER plan_comment_events_no_update BEFORE UPDATE ON plan_comment_events
BEGIN
    SELECT RAISE(ABORT, 'a plan''s comment record cannot be changed');
END;

CREATE TRIGGER plan_comment_events_no_delete BEFORE DELETE ON plan_comment_events
WHEN NOT EXISTS (SELECT 1 FROM disposing WHERE plan_id = OLD.plan_id)
BEGIN
    SELECT RAISE(ABORT, 'a plan''s comment record cannot be changed');
END;
