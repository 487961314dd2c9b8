-- Agencies taking part in plans (police force, ROCU, council, HMRC, ...).
-- Every user belongs to one; partners edit the actions their agency owns.
CREATE TABLE agencies (
    id BLOB NOT NULL PRIMARY KEY CHECK (length(id) = 16),
    name TEXT NOT NULL CHECK (length(trim(name)) > 0),
    kind TEXT NOT NULL,
    created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
) STRICT;

-- One agency per name, whatever the case.
CREATE UNIQUE INDEX agencies_name_idx ON agencies (lower(name));
