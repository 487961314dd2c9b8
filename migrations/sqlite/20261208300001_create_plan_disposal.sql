-- Disposal (MoPI): after a retention review decides so, a closed plan's
-- rows are erased from every table and only a tombstone remains. The
-- erasure runs in one transaction that holds a row of `disposing` for the
-- plan (inserted and deleted within it): only then may the append-only
-- records of that plan be deleted (and disruption returns that name it
-- rewritten without it). Tombstones are never changed, and a disposed
-- plan's id can never be used again.
CREATE TABLE plan_tombstones (
    plan_id BLOB NOT NULL PRIMARY KEY,
    subject_ref TEXT NOT NULL,
    opened_at TEXT NOT NULL,
    closed_at TEXT,
    disposed_at TEXT NOT NULL,
    decided_by BLOB NOT NULL REFERENCES users (id),
    reason TEXT NOT NULL CHECK (reason <> '')
) STRICT;

CREATE TRIGGER plan_tombstones_no_update BEFORE UPDATE ON plan_tombstones
BEGIN
    SELECT RAISE(ABORT, 'a tombstone cannot be changed');
END;

CREATE TRIGGER plan_tombstones_no_delete BEFORE DELETE ON plan_tombstones
BEGIN
    SELECT RAISE(ABORT, 'a tombstone cannot be changed');
END;

CREATE TRIGGER plans_never_reuse_an_id BEFORE INSERT ON plans
WHEN EXISTS (SELECT 1 FROM plan_tombstones WHERE plan_id = NEW.id)
BEGIN
    SELECT RAISE(ABORT, 'a disposed plan''s id cannot be used again');
END;

CREATE TABLE disposing (
    plan_id BLOB PRIMARY KEY
) STRICT;

DROP TRIGGER plan_changes_no_delete;
CREATE TRIGGER plan_changes_no_delete BEFORE DELETE ON plan_changes
WHEN NOT EXISTS (SELECT 1 FROM disposing WHERE plan_id = OLD.plan_id)
BEGIN
    SELECT RAISE(ABORT, 'the audit trail cannot be changed');
END;

DROP TRIGGER plan_member_changes_no_delete;
CREATE TRIGGER plan_member_changes_no_delete BEFORE DELETE ON plan_member_changes
WHEN NOT EXISTS (SELECT 1 FROM disposing WHERE plan_id = OLD.plan_id)
BEGIN
    SELECT RAISE(ABORT, 'the audit trail cannot be changed');
END;

DROP TRIGGER plan_redactions_no_delete;
CREATE TRIGGER plan_redactions_no_delete BEFORE DELETE ON plan_redactions
WHEN NOT EXISTS (SELECT 1 FROM disposing WHERE plan_id = OLD.plan_id)
BEGIN
    SELECT RAISE(ABORT, 'the audit trail cannot be changed');
END;

DROP TRIGGER plan_reviews_no_delete;
CREATE TRIGGER plan_reviews_no_delete BEFORE DELETE ON plan_reviews
WHEN NOT EXISTS (SELECT 1 FROM disposing WHERE plan_id = OLD.plan_id)
BEGIN
    SELECT RAISE(ABORT, 'a recorded review cannot be changed');
END;

DROP TRIGGER access_log_no_delete;
CREATE TRIGGER access_log_no_delete BEFORE DELETE ON access_log
WHEN NOT EXISTS (SELECT 1 FROM disposing WHERE plan_id = OLD.plan_id)
BEGIN
    SELECT RAISE(ABORT, 'the access log cannot be changed');
END;

DROP TRIGGER plan_lifecycle_no_delete;
CREATE TRIGGER plan_lifecycle_no_delete BEFORE DELETE ON plan_lifecycle_events
WHEN NOT EXISTS (SELECT 1 FROM disposing WHERE plan_id = OLD.plan_id)
BEGIN
    SELECT RAISE(ABORT, 'a plan''s lifecycle record cannot be changed');
END;

DROP TRIGGER break_glass_grants_no_delete;
CREATE TRIGGER break_glass_grants_no_delete BEFORE DELETE ON break_glass_grants
WHEN NOT EXISTS (SELECT 1 FROM disposing WHERE plan_id = OLD.plan_id)
BEGIN
    SELECT RAISE(ABORT, 'a break-glass grant cannot be changed');
END;

-- A return of the disposed plan alone goes with it.
DROP TRIGGER disruption_returns_no_delete;
CREATE TRIGGER disruption_returns_no_delete BEFORE DELETE ON disruption_returns
WHEN NOT EXISTS (SELECT 1 FROM disposing d WHERE OLD.plan_ids = lower(substr(hex(d.plan_id), 1, 8) || '-' || substr(hex(d.plan_id), 9, 4) || '-' || substr(hex(d.plan_id), 13, 4) || '-' || substr(hex(d.plan_id), 17, 4) || '-' || substr(hex(d.plan_id), 21)))
BEGIN
    SELECT RAISE(ABORT, 'disruption returns are append-only');
END;

-- A return of several plans loses the disposed one's rows; a redaction
-- rewrites a return's texts, never its plans.
DROP TRIGGER disruption_returns_no_update;
CREATE TRIGGER disruption_returns_no_update BEFORE UPDATE ON disruption_returns
WHEN NOT (
    (EXISTS (SELECT 1 FROM redacting r WHERE instr(OLD.plan_ids, lower(
        substr(hex(r.plan_id), 1, 8) || '-' || substr(hex(r.plan_id), 9, 4) || '-' || substr(hex(r.plan_id), 13, 4)
        || '-' || substr(hex(r.plan_id), 17, 4) || '-' || substr(hex(r.plan_id), 21))) > 0)
        AND NEW.plan_ids IS OLD.plan_ids)
    OR EXISTS (SELECT 1 FROM disposing d WHERE instr(OLD.plan_ids, lower(substr(hex(d.plan_id), 1, 8) || '-' || substr(hex(d.plan_id), 9, 4) || '-' || substr(hex(d.plan_id), 13, 4) || '-' || substr(hex(d.plan_id), 17, 4) || '-' || substr(hex(d.plan_id), 21))) > 0
        AND instr(NEW.plan_ids, lower(substr(hex(d.plan_id), 1, 8) || '-' || substr(hex(d.plan_id), 9, 4) || '-' || substr(hex(d.plan_id), 13, 4) || '-' || substr(hex(d.plan_id), 17, 4) || '-' || substr(hex(d.plan_id), 21))) = 0)
)
BEGIN
    SELECT RAISE(ABORT, 'disruption returns are append-only');
END;
