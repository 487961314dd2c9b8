-- What the regional portfolio counts, kept per plan and per action so a
-- portfolio is a few grouped queries, never a read of every document. Each
-- accepted update refreshes only the rows it touched (plan::portfolio::
-- Touched); a plan whose facts_version is older than the code's is rebuilt
-- from its document. Dates are ISO-8601 text, which sorts as dates do.
CREATE TABLE portfolio_plans (
    plan_id BLOB NOT NULL PRIMARY KEY REFERENCES plans (id) ON DELETE CASCADE,
    facts_version INTEGER NOT NULL,
    subject_kind TEXT,
    tier INTEGER,
    next_review TEXT,
    -- Threat keys, sorted, joined by ',' (keys never hold a comma).
    threats TEXT NOT NULL
) STRICT;

CREATE TABLE portfolio_actions (
    plan_id BLOB NOT NULL REFERENCES plans (id) ON DELETE CASCADE,
    action_id TEXT NOT NULL,
    status TEXT,
    action_date TEXT,
    target_date TEXT,
    disruption TEXT,
    owner_agency TEXT NOT NULL,
    -- Ps, joined by ','.
    ps TEXT NOT NULL,
    submitted INTEGER NOT NULL,
    PRIMARY KEY (plan_id, action_id)
) STRICT;

CREATE INDEX portfolio_actions_agency_idx ON portfolio_actions (lower(owner_agency));
