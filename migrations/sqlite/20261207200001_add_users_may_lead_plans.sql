-- Creating plans (and so becoming their LRO) needs this flag, which
-- administrators grant (typically to police officers). Everyone could create
-- plans before it existed, so whoever already leads a plan keeps the right,
-- as do administrators (who grant it).
ALTER TABLE users ADD COLUMN may_lead_plans INTEGER NOT NULL DEFAULT 0 CHECK (may_lead_plans IN (0, 1));

UPDATE users SET may_lead_plans = 1
WHERE is_admin = 1 OR id IN (SELECT user_id FROM plan_members WHERE role = 'lro');
