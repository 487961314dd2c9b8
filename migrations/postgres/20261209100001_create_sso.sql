-- Single sign-on through OpenID Connect providers.
--
-- A sign-in started but not finished: its `state` (only the SHA-256 kept),
-- bound to the browser that started it (the SHA-256 of a cookie's value),
-- with its PKCE verifier and nonce. Taken (deleted) when the provider sends
-- the browser back, so a replayed callback finds nothing. Times are
-- milliseconds since 1970.
CREATE TABLE sso_pending (
    state_hash bytea PRIMARY KEY,
    browser_hash bytea NOT NULL,
    provider text NOT NULL,
    pkce_verifier text NOT NULL,
    nonce text NOT NULL,
    created_at bigint NOT NULL
);

-- Who an account is at a provider: the issuer and the provider's stable
-- key for the person (`sub`, or `tid:oid` for Microsoft Entra ID), never
-- the email, which providers reuse.
CREATE TABLE sso_identities (
    issuer text NOT NULL,
    subject text NOT NULL,
    user_id uuid NOT NULL REFERENCES users (id),
    provider text NOT NULL,
    linked_at timestamptz NOT NULL,
    PRIMARY KEY (issuer, subject)
);

CREATE INDEX sso_identities_user_idx ON sso_identities (user_id);

-- Who may sign in for the first time, by verified email, from a provider
-- of the agency: an administrator's invitation, or an administrator's
-- link of an existing account (user_id set). Used at most once.
CREATE TABLE sso_invitations (
    id uuid PRIMARY KEY,
    email text NOT NULL CHECK (email = lower(email)),
    agency_id uuid NOT NULL REFERENCES agencies (id),
    user_id uuid REFERENCES users (id),
    invited_by uuid NOT NULL REFERENCES users (id),
    invited_at timestamptz NOT NULL,
    used_at timestamptz
);

CREATE INDEX sso_invitations_email_idx ON sso_invitations (email);

-- A session started through a provider: whom the provider knows it as
-- (for its back-channel log-out, by subject or by its session id `sid`)
-- and the ID token to hint with when signing out there.
CREATE TABLE sso_sessions (
    token_hash bytea PRIMARY KEY REFERENCES sessions (token_hash) ON DELETE CASCADE,
    issuer text NOT NULL,
    subject text NOT NULL,
    sid text,
    id_token text NOT NULL
);

CREATE INDEX sso_sessions_subject_idx ON sso_sessions (issuer, subject);

-- Logout tokens already acted on (their `jti`), so one cannot be replayed.
CREATE TABLE sso_logout_tokens (
    issuer text NOT NULL,
    jti text NOT NULL,
    seen_at bigint NOT NULL,
    PRIMARY KEY (issuer, jti)
);
