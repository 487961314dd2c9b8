-- A node catching up with another node's updates reads each with its
-- author (plan_updates joined to plan_changes by seq): by index, so the
-- cost grows with what it reads, not with the plan's history.
CREATE INDEX plan_changes_plan_seq_idx ON plan_changes (plan_id, seq);
