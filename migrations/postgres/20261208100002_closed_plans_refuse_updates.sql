-- A closed plan is read-only in the database too: an update that its room
-- admitted just before the plan closed cannot be logged after it.
CREATE FUNCTION plan_updates_open_plans_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF (SELECT state FROM plans WHERE id = NEW.plan_id) = 'closed' THEN
        RAISE EXCEPTION 'the plan is closed, so nobody may change it';
    END IF;
    RETURN NEW;
END
$$;

CREATE TRIGGER plan_updates_open_plans_only BEFORE INSERT ON plan_updates
    FOR EACH ROW EXECUTE FUNCTION plan_updates_open_plans_only();
