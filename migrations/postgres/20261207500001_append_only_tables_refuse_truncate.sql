-- Row triggers do not fire on TRUNCATE, which would empty an append-only
-- table at a stroke: refuse it as plan_member_changes already does.
CREATE TRIGGER plan_changes_no_truncate BEFORE TRUNCATE ON plan_changes
    FOR EACH STATEMENT EXECUTE FUNCTION plan_changes_append_only();
CREATE TRIGGER plan_redactions_no_truncate BEFORE TRUNCATE ON plan_redactions
    FOR EACH STATEMENT EXECUTE FUNCTION plan_changes_append_only();
CREATE TRIGGER plan_reviews_no_truncate BEFORE TRUNCATE ON plan_reviews
    FOR EACH STATEMENT EXECUTE FUNCTION plan_reviews_append_only();
CREATE TRIGGER disruption_returns_no_truncate BEFORE TRUNCATE ON disruption_returns
    FOR EACH STATEMENT EXECUTE FUNCTION disruption_returns_append_only();
CREATE TRIGGER strategy_versions_no_truncate BEFORE TRUNCATE ON strategy_versions
    FOR EACH STATEMENT EXECUTE FUNCTION strategy_versions_append_only();
