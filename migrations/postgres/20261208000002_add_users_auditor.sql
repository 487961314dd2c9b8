-- Professional standards: searches and exports the whole access log.
ALTER TABLE users ADD COLUMN auditor boolean NOT NULL DEFAULT false;
