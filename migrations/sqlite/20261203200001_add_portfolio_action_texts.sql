-- The action's description, owner's name and update/result, so /my-actions
-- and the disruption return are one query over the kept facts, never a read
-- of every document (rebuilt for every plan: FACTS_VERSION 2).
ALTER TABLE portfolio_actions ADD COLUMN text TEXT NOT NULL DEFAULT '';
ALTER TABLE portfolio_actions ADD COLUMN owner_name TEXT NOT NULL DEFAULT '';
ALTER TABLE portfolio_actions ADD COLUMN update_text TEXT NOT NULL DEFAULT '';

CREATE INDEX portfolio_actions_owner_name_idx ON portfolio_actions (lower(owner_name));
