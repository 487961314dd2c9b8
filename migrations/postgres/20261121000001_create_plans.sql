-- One row per plan: its identity and the summary shown in the plans list
-- (plan::PlanSummary as JSON). The document itself lives in plan_snapshots
-- and plan_updates.
CREATE TABLE plans (
    id uuid PRIMARY KEY,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    summary jsonb NOT NULL
);

-- The plans list is ordered newest-created first.
CREATE INDEX plans_created_at_idx ON plans (created_at DESC);
