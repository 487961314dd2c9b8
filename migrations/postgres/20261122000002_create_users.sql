-- People who can log in. Passwords are kept only as argon2id PHC strings.
CREATE TABLE users (
    id uuid PRIMARY KEY,
    -- Stored lower-cased, so log-in is case-insensitive.
    email text NOT NULL CHECK (email = lower(email)),
    name text NOT NULL CHECK (length(btrim(name)) > 0),
    agency_id uuid NOT NULL REFERENCES agencies (id),
    password_hash text NOT NULL,
    is_admin boolean NOT NULL DEFAULT false,
    created_at timestamptz NOT NULL DEFAULT now()
);

CREATE UNIQUE INDEX users_email_idx ON users (email);
