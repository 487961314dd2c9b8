-- The consultation and disclosure log (Data Protection Act 2018, s.62): who
-- read or handed out what, when, from where and on what basis. Rows are
-- never changed or deleted. plan_id has no foreign key: a refused probe
-- names a plan that may not exist.
CREATE TABLE access_log (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    at TEXT NOT NULL,
    user_id BLOB NOT NULL REFERENCES users (id),
    user_name TEXT NOT NULL,
    agency TEXT NOT NULL,
    session_ref TEXT NOT NULL,
    plan_id BLOB,
    kind TEXT NOT NULL,
    detail TEXT NOT NULL DEFAULT '',
    recipients TEXT NOT NULL DEFAULT '',
    basis TEXT NOT NULL,
    granted INTEGER NOT NULL,
    address TEXT,
    user_agent TEXT
) STRICT;

CREATE INDEX access_log_by_plan ON access_log (plan_id, at);
CREATE INDEX access_log_by_user ON access_log (user_id, at);
CREATE INDEX access_log_by_agency ON access_log (agency, at);
CREATE INDEX access_log_by_time ON access_log (at);

CREATE TRIGGER access_log_no_update BEFORE UPDATE ON access_log
BEGIN
    SELECT RAISE(ABORT, 'the access log cannot be changed');
END;

CREATE TRIGGER access_log_no_delete BEFORE DELETE ON access_log
BEGIN
    SELECT RAISE(ABORT, 'the access log cannot be changed');
END;
