-- An administrator disables the account of someone who leaves: they can no
-- longer log in, and their sessions end. The row stays, so the audit trail
-- keeps naming them.
ALTER TABLE users ADD COLUMN disabled_at TEXT;
