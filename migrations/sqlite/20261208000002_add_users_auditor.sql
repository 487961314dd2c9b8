-- Professional standards: searches and exports the whole access log.
ALTER TABLE users ADD COLUMN auditor INTEGER NOT NULL DEFAULT 0 CHECK (auditor IN (0, 1));
