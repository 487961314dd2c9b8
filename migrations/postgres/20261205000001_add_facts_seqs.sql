-- The seq of the plan's state each kept fact (and the plans-list summary)
-- was computed from. Rooms of one plan on several nodes write facts from
-- their own state, and their commits may land out of order: a write never
-- replaces what was kept from a later seq. A removed action leaves its seq
-- behind, so a late write from before the removal cannot bring it back.
ALTER TABLE portfolio_plans ADD COLUMN upto_seq bigint NOT NULL DEFAULT 0;
ALTER TABLE portfolio_actions ADD COLUMN upto_seq bigint NOT NULL DEFAULT 0;
ALTER TABLE plans ADD COLUMN summary_seq bigint NOT NULL DEFAULT 0;

CREATE TABLE portfolio_removed_actions (
    plan_id uuid NOT NULL REFERENCES plans (id) ON DELETE CASCADE,
    action_id text NOT NULL,
    upto_seq bigint NOT NULL,
    PRIMARY KEY (plan_id, action_id)
);
