-- Vetting (NPPV levels, or a force's national equivalent). The levels and
-- the level each marking implies are the server's settings, written here at
-- every start (PILLARS_VETTING_LEVELS, PILLARS_VETTING_BY_MARKING), so
-- that the database itself can judge who is cleared for which plan (see
-- the views of 20261209200002).
CREATE TABLE vetting_levels (
    name TEXT NOT NULL PRIMARY KEY,
    -- 0 for the lowest (no vetting), then 1, 2, ... in the order configured.
    rank INTEGER NOT NULL UNIQUE CHECK (rank >= 0)
) STRICT;

CREATE TABLE vetting_by_marking (
    marking TEXT NOT NULL PRIMARY KEY,
    level TEXT NOT NULL REFERENCES vetting_levels (name) ON DELETE CASCADE
) STRICT;

-- What each person holds (NULL: the lowest level) and when it lapses
-- (NULL: never; only the lowest level has no expiry). Vetting officers, a
-- flag administrators grant, set people's vetting.
ALTER TABLE users ADD COLUMN vetting_level TEXT;
ALTER TABLE users ADD COLUMN vetting_expires_at TEXT;
ALTER TABLE users ADD COLUMN vetting_officer INTEGER NOT NULL DEFAULT 0 CHECK (vetting_officer IN (0, 1));

-- The level a plan's LRO raised it to (NULL: what its marking implies).
ALTER TABLE plans ADD COLUMN vetting_level TEXT;

-- Every change of a person's vetting: who made it, whose, old and new.
CREATE TABLE vetting_changes (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    by_user_id BLOB NOT NULL REFERENCES users (id),
    user_id BLOB NOT NULL REFERENCES users (id),
    old_level TEXT,
    old_expires_at TEXT,
    new_level TEXT,
    new_expires_at TEXT
) STRICT;

CREATE INDEX vetting_changes_by_user ON vetting_changes (user_id, id);

-- Every raise (or lowering back) of a plan's level by its LRO.
CREATE TABLE plan_vetting_changes (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    plan_id BLOB NOT NULL REFERENCES plans (id),
    at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    by_user_id BLOB NOT NULL REFERENCES users (id),
    old_level TEXT,
    new_level TEXT
) STRICT;

CREATE INDEX plan_vetting_changes_by_plan ON plan_vetting_changes (plan_id, id);

CREATE TRIGGER vetting_changes_no_update BEFORE UPDATE ON vetting_changes
BEGIN
    SELECT RAISE(ABORT, 'the vetting record cannot be changed');
END;

CREATE TRIGGER vetting_changes_no_delete BEFORE DELETE ON vetting_changes
BEGIN
    SELECT RAISE(ABORT, 'the vetting record cannot be changed');
END;

CREATE TRIGGER plan_vetting_changes_no_update BEFORE UPDATE ON plan_vetting_changes
BEGIN
    SELECT RAISE(ABORT, 'a plan''s vetting record cannot be changed');
END;

-- A plan's record goes only with the plan, when it is disposed of.
CREATE TRIGGER plan_vetting_changes_no_delete BEFORE DELETE ON plan_vetting_changes
WHEN NOT EXISTS (SELECT 1 FROM disposing WHERE plan_id = OLD.plan_id)
BEGIN
    SELECT RAISE(ABORT, 'a plan''s vetting record cannot be changed');
END;
