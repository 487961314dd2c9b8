-- What the regional portfolio counts, kept per plan and per action so a
-- portfolio is a few grouped queries, never a read of every document. Each
-- accepted update refreshes only the rows it touched (plan::portfolio::
-- Touched); a plan whose facts_version is older than the code's is rebuilt
-- from its document.
CREATE TABLE portfolio_plans (
    plan_id uuid PRIMARY KEY REFERENCES plans (id) ON DELETE CASCADE,
    facts_version integer NOT NULL,
    subject_kind text,
    tier integer,
    next_review date,
    -- Threat keys, sorted, joined by ',' (keys never hold a comma).
    threats text NOT NULL
);

CREATE TABLE portfolio_actions (
    plan_id uuid NOT NULL REFERENCES plans (id) ON DELETE CASCADE,
    action_id text NOT NULL,
    status text,
    action_date date,
    target_date date,
    disruption text,
    owner_agency text NOT NULL,
    -- Ps, joined by ','.
    ps text NOT NULL,
    submitted boolean NOT NULL,
    PRIMARY KEY (plan_id, action_id)
);

CREATE INDEX portfolio_actions_agency_idx ON portfolio_actions (lower(owner_agency));
