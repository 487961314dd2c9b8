-- One row per plan: its identity and the summary shown in the plans list
-- (plan::PlanSummary as JSON text). The document itself lives in
-- plan_snapshots and plan_updates. Ids are 16-byte UUID blobs (how sqlx
-- binds uuid::Uuid for SQLite); times are UTC ISO-8601 text.
CREATE TABLE plans (
    id BLOB NOT NULL PRIMARY KEY CHECK (length(id) = 16),
    created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    updated_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    summary TEXT NOT NULL CHECK (json_valid(summary))
) STRICT;

-- The plans list is ordered newest-created first.
CREATE INDEX plans_created_at_idx ON plans (created_at DESC);
