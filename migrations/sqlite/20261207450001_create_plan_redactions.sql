-- Redactions (server::versions::redact): who masked a passage of a plan,
-- when, why, in which field and as found in which version; never the
-- passage. `changes` is the entry as the plan's history shows it (the
-- shape of plan_changes.changes). Append-only.
CREATE TABLE plan_redactions (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    plan_id BLOB NOT NULL REFERENCES plans (id),
    at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    by_user_id BLOB NOT NULL REFERENCES users (id),
    field TEXT NOT NULL,
    version TEXT NOT NULL,
    reason TEXT NOT NULL CHECK (length(trim(reason)) > 0),
    changes TEXT NOT NULL CHECK (json_valid(changes))
) STRICT;

CREATE INDEX plan_redactions_plan_idx ON plan_redactions (plan_id, id);

CREATE TRIGGER plan_redactions_no_update BEFORE UPDATE ON plan_redactions
BEGIN
    SELECT RAISE(ABORT, 'the audit trail cannot be changed');
END;

CREATE TRIGGER plan_redactions_no_delete BEFORE DELETE ON plan_redactions
BEGIN
    SELECT RAISE(ABORT, 'the audit trail cannot be changed');
END;

-- A redaction rewrites the stored copies of the passage in place, in one
-- transaction that holds a row of `redacting` for the plan (inserted and
-- deleted within it). Only then may the audit trail, recorded reviews and
-- disruption returns of that plan be updated; nothing may be deleted.
CREATE TABLE redacting (
    plan_id BLOB PRIMARY KEY
) STRICT;

DROP TRIGGER plan_changes_no_update;
CREATE TRIGGER plan_changes_no_update BEFORE UPDATE ON plan_changes
WHEN NOT EXISTS (SELECT 1 FROM redacting WHERE plan_id = OLD.plan_id) OR NEW.plan_id IS NOT OLD.plan_id
BEGIN
    SELECT RAISE(ABORT, 'the audit trail cannot be changed');
END;

DROP TRIGGER plan_reviews_no_update;
CREATE TRIGGER plan_reviews_no_update BEFORE UPDATE ON plan_reviews
WHEN NOT EXISTS (SELECT 1 FROM redacting WHERE plan_id = OLD.plan_id)
    OR NEW.plan_id IS NOT OLD.plan_id OR NEW.number IS NOT OLD.number
BEGIN
    SELECT RAISE(ABORT, 'a recorded review cannot be changed');
END;

DROP TRIGGER disruption_returns_no_update;
CREATE TRIGGER disruption_returns_no_update BEFORE UPDATE ON disruption_returns
WHEN NOT EXISTS (SELECT 1 FROM redacting r WHERE instr(OLD.plan_ids, lower(
        substr(hex(r.plan_id), 1, 8) || '-' || substr(hex(r.plan_id), 9, 4) || '-' || substr(hex(r.plan_id), 13, 4)
        || '-' || substr(hex(r.plan_id), 17, 4) || '-' || substr(hex(r.plan_id), 21))) > 0)
    OR NEW.plan_ids IS NOT OLD.plan_ids
BEGIN
    SELECT RAISE(ABORT, 'disruption returns are append-only');
END;
