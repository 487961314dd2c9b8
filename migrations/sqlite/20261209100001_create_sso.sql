-- Single sign-on through OpenID Connect providers (see the PostgreSQL
-- migration of the same name for what each table is for).
CREATE TABLE sso_pending (
    state_hash BLOB NOT NULL PRIMARY KEY,
    browser_hash BLOB NOT NULL,
    provider TEXT NOT NULL,
    pkce_verifier TEXT NOT NULL,
    nonce TEXT NOT NULL,
    created_at INTEGER NOT NULL
) STRICT;

CREATE TABLE sso_identities (
    issuer TEXT NOT NULL,
    subject TEXT NOT NULL,
    user_id BLOB NOT NULL REFERENCES users (id),
    provider TEXT NOT NULL,
    linked_at TEXT NOT NULL,
    PRIMARY KEY (issuer, subject)
) STRICT;

CREATE INDEX sso_identities_user_idx ON sso_identities (user_id);

CREATE TABLE sso_invitations (
    id BLOB NOT NULL PRIMARY KEY CHECK (length(id) = 16),
    email TEXT NOT NULL CHECK (email = lower(email)),
    agency_id BLOB NOT NULL REFERENCES agencies (id),
    user_id BLOB REFERENCES users (id),
    invited_by BLOB NOT NULL REFERENCES users (id),
    invited_at TEXT NOT NULL,
    used_at TEXT
) STRICT;

CREATE INDEX sso_invitations_email_idx ON sso_invitations (email);

CREATE TABLE sso_sessions (
    token_hash BLOB NOT NULL PRIMARY KEY REFERENCES sessions (token_hash) ON DELETE CASCADE,
    issuer TEXT NOT NULL,
    subject TEXT NOT NULL,
    sid TEXT,
    id_token TEXT NOT NULL
) STRICT;

CREATE INDEX sso_sessions_subject_idx ON sso_sessions (issuer, subject);

CREATE TABLE sso_logout_tokens (
    issuer TEXT NOT NULL,
    jti TEXT NOT NULL,
    seen_at INTEGER NOT NULL,
    PRIMARY KEY (issuer, jti)
) STRICT;
