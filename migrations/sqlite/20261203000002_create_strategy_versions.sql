-- The regional Control Strategy, one row per published version (the
-- plan::strategy::ControlStrategy as JSON). Publishing a new version adds a
-- row and leaves the old ones readable: rows are never changed or deleted.
-- published_by is NULL for the seeded default.
CREATE TABLE strategy_versions (
    version INTEGER NOT NULL PRIMARY KEY CHECK (version > 0),
    title TEXT NOT NULL,
    effective_from TEXT NOT NULL,
    strategy TEXT NOT NULL CHECK (json_valid(strategy)),
    published_by BLOB REFERENCES users (id),
    published_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
) STRICT;

CREATE TRIGGER strategy_versions_no_update BEFORE UPDATE ON strategy_versions
BEGIN
    SELECT RAISE(ABORT, 'a published strategy cannot be changed');
END;

CREATE TRIGGER strategy_versions_no_delete BEFORE DELETE ON strategy_versions
BEGIN
    SELECT RAISE(ABORT, 'a published strategy cannot be changed');
END;
