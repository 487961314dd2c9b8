-- The consultation and disclosure log (Data Protection Act 2018, s.62): who
-- read or handed out what, when, from where and on what basis. Alterations
-- are in plan_changes; this is every read. Rows are never changed or
-- deleted (the plan disposal path, when it comes, is the one exception).
--
-- plan_id has no foreign key: a refused probe names a plan that may not
-- exist, and an entry outlives what it names.
CREATE TABLE access_log (
    id bigserial PRIMARY KEY,
    at timestamptz NOT NULL,
    user_id uuid NOT NULL REFERENCES users (id),
    user_name text NOT NULL,
    agency text NOT NULL,
    -- The first bytes of the session key's hash, in hex: names the session
    -- without being able to log in with it.
    session_ref text NOT NULL,
    plan_id uuid,
    kind text NOT NULL,
    -- Which version, comparison or export.
    detail text NOT NULL DEFAULT '',
    -- For disclosures: for whom, as the user named them.
    recipients text NOT NULL DEFAULT '',
    -- Why: the membership and role at that moment, or the flag read under.
    basis text NOT NULL,
    granted boolean NOT NULL,
    address text,
    user_agent text
);

CREATE INDEX access_log_by_plan ON access_log (plan_id, at);
CREATE INDEX access_log_by_user ON access_log (user_id, at);
CREATE INDEX access_log_by_agency ON access_log (agency, at);
CREATE INDEX access_log_by_time ON access_log (at);

CREATE FUNCTION access_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'the access log cannot be changed';
END
$$;

CREATE TRIGGER access_log_append_only BEFORE UPDATE OR DELETE ON access_log
    FOR EACH ROW EXECUTE FUNCTION access_log_append_only();
CREATE TRIGGER access_log_no_truncate BEFORE TRUNCATE ON access_log
    FOR EACH STATEMENT EXECUTE FUNCTION access_log_append_only();
