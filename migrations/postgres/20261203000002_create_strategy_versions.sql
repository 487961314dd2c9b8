-- The regional Control Strategy, one row per published version (the
-- plan::strategy::ControlStrategy as JSON). Publishing a new version adds a
-- row and leaves the old ones readable: rows are never changed or deleted.
-- published_by is NULL for the seeded default.
CREATE TABLE strategy_versions (
    version bigint PRIMARY KEY CHECK (version > 0),
    title text NOT NULL,
    effective_from date NOT NULL,
    strategy text NOT NULL,
    published_by uuid REFERENCES users (id),
    published_at timestamptz NOT NULL DEFAULT now()
);

CREATE FUNCTION strategy_versions_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'a published strategy cannot be changed';
END
$$;

CREATE TRIGGER strategy_versions_append_only BEFORE UPDATE OR DELETE ON strategy_versions
    FOR EACH ROW EXECUTE FUNCTION strategy_versions_append_only();
