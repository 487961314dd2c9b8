-- A plan's life: open, then closed (read-only for everyone; its LRO may
-- reopen it), then disposed of after a retention review. `state` is the
-- plan's now; plan_lifecycle_events is every step, never changed.
ALTER TABLE plans ADD COLUMN state TEXT NOT NULL DEFAULT 'open' CHECK (state IN ('open', 'closed'));
ALTER TABLE plans ADD COLUMN closed_at TEXT;
ALTER TABLE plans ADD COLUMN retention_review_on TEXT;

CREATE TABLE plan_lifecycle_events (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    plan_id BLOB NOT NULL REFERENCES plans (id),
    at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    by_user BLOB NOT NULL REFERENCES users (id),
    event TEXT NOT NULL CHECK (event IN ('closed', 'reopened', 'retained')),
    outcome TEXT,
    summary TEXT NOT NULL DEFAULT '',
    disruptions TEXT NOT NULL DEFAULT '',
    review_on TEXT
) STRICT;

CREATE INDEX plan_lifecycle_events_by_plan ON plan_lifecycle_events (plan_id, id);

CREATE TRIGGER plan_lifecycle_no_update BEFORE UPDATE ON plan_lifecycle_events
BEGIN
    SELECT RAISE(ABORT, 'a plan''s lifecycle record cannot be changed');
END;

CREATE TRIGGER plan_lifecycle_no_delete BEFORE DELETE ON plan_lifecycle_events
BEGIN
    SELECT RAISE(ABORT, 'a plan''s lifecycle record cannot be changed');
END;
