-- Full document states: every log entry with seq <= upto_seq is folded in.
-- Loading uses the snapshot with the highest upto_seq; compaction deletes
-- the older ones.
CREATE TABLE plan_snapshots (
    plan_id uuid NOT NULL REFERENCES plans (id) ON DELETE CASCADE,
    upto_seq bigint NOT NULL CHECK (upto_seq >= 0),
    state bytea NOT NULL,
    state_vector bytea NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (plan_id, upto_seq)
);
