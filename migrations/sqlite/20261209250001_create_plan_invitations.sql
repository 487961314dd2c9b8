-- A plan's LRO adding someone who has no account yet (see the PostgreSQL
-- migration of the same name).
CREATE TABLE plan_invitations (
    id BLOB NOT NULL PRIMARY KEY CHECK (length(id) = 16),
    plan_id BLOB NOT NULL REFERENCES plans (id),
    email TEXT NOT NULL CHECK (email = lower(email)),
    agency_id BLOB NOT NULL REFERENCES agencies (id),
    role TEXT NOT NULL CHECK (role IN ('lro', 'plan_owner', 'sio', 'partner', 'viewer')),
    invited_by BLOB NOT NULL REFERENCES users (id),
    invited_at TEXT NOT NULL,
    joined_at TEXT,
    withdrawn_by BLOB REFERENCES users (id),
    withdrawn_at TEXT
) STRICT;

CREATE UNIQUE INDEX plan_invitations_open_idx ON plan_invitations (plan_id, email)
    WHERE joined_at IS NULL AND withdrawn_at IS NULL;
CREATE INDEX plan_invitations_email_idx ON plan_invitations (email, agency_id);
