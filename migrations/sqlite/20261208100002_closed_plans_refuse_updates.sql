-- A closed plan is read-only in the database too: an update that its room
-- admitted just before the plan closed cannot be logged after it.
CREATE TRIGGER plan_updates_open_plans_only BEFORE INSERT ON plan_updates
WHEN (SELECT state FROM plans WHERE id = NEW.plan_id) = 'closed'
BEGIN
    SELECT RAISE(ABORT, 'the plan is closed, so nobody may change it');
END;
