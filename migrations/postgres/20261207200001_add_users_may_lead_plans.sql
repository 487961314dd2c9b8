-- Creating plans (and so becoming their LRO) needs this flag, which
-- administrators grant (typically to police officers). Everyone could create
-- plans before it existed, so whoever already leads a plan keeps the right,
-- as do administrators (who grant it).
ALTER TABLE users ADD COLUMN may_lead_plans boolean NOT NULL DEFAULT false;

UPDATE users SET may_lead_plans = true
WHERE is_admin OR id IN (SELECT user_id FROM plan_members WHERE role = 'lro');
