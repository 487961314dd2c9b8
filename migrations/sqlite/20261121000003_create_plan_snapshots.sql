-- Full document states: every log entry with seq <= upto_seq is folded in.
-- Loading uses the snapshot with the highest upto_seq; compaction deletes
-- the older ones.
CREATE TABLE plan_snapshots (
    plan_id BLOB NOT NULL REFERENCES plans (id) ON DELETE CASCADE,
    upto_seq INTEGER NOT NULL CHECK (upto_seq >= 0),
    state BLOB NOT NULL,
    state_vector BLOB NOT NULL,
    created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    PRIMARY KEY (plan_id, upto_seq)
) STRICT;
