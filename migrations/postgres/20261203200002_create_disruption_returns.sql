-- Each disruption return produced (its CSV exported): who, when, which plans
-- and exactly the rows it held (JSON text), so the same return can be
-- produced again. Append-only, like the audit trail.
CREATE TABLE disruption_returns (
    id uuid PRIMARY KEY,
    user_id uuid NOT NULL REFERENCES users (id),
    at timestamptz NOT NULL,
    marking text NOT NULL,
    -- Plan ids, joined by ','.
    plan_ids text NOT NULL,
    rows_json text NOT NULL
);

CREATE INDEX disruption_returns_user_idx ON disruption_returns (user_id);

CREATE FUNCTION disruption_returns_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'disruption returns are append-only';
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER disruption_returns_no_change BEFORE UPDATE OR DELETE ON disruption_returns
    FOR EACH ROW EXECUTE FUNCTION disruption_returns_append_only();
