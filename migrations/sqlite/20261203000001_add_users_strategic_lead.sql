-- A strategic lead edits and publishes the regional Control Strategy, as
-- administrators can; administrators grant and withdraw it.
ALTER TABLE users ADD COLUMN strategic_lead INTEGER NOT NULL DEFAULT 0 CHECK (strategic_lead IN (0, 1));
