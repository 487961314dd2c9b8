-- Append-only log of the Yjs updates (v1-encoded) a plan received after its
-- latest snapshot. seq is assigned by the plan's room, starting at 1.
CREATE TABLE plan_updates (
    plan_id BLOB NOT NULL REFERENCES plans (id) ON DELETE CASCADE,
    seq INTEGER NOT NULL CHECK (seq > 0),
    "update" BLOB NOT NULL,
    received_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    PRIMARY KEY (plan_id, seq)
) STRICT;
