-- Agencies taking part in plans (police force, ROCU, council, HMRC, ...).
-- Every user belongs to one; partners edit the actions their agency owns.
CREATE TABLE agencies (
    id uuid PRIMARY KEY,
    name text NOT NULL CHECK (length(btrim(name)) > 0),
    kind text NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now()
);

-- One agency per name, whatever the case.
CREATE UNIQUE INDEX agencies_name_idx ON agencies (lower(name));
