-- Append-only log of the Yjs updates (v1-encoded) a plan received after its
-- latest snapshot. seq is assigned by the plan's room, starting at 1.
CREATE TABLE plan_updates (
    plan_id uuid NOT NULL REFERENCES plans (id) ON DELETE CASCADE,
    seq bigint NOT NULL CHECK (seq > 0),
    "update" bytea NOT NULL,
    received_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (plan_id, seq)
);
