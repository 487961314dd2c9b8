-- A plan's LRO adding someone who has no account yet: they become a member
-- (with the role given, added by the LRO) at their first sign-in through
-- the provider of the agency named. Never deleted but with the plan: an
-- invitation is taken up (joined_at) or withdrawn (by whom, when), so who
-- let whom near a plan stays attributable.
CREATE TABLE plan_invitations (
    id uuid PRIMARY KEY,
    plan_id uuid NOT NULL REFERENCES plans (id),
    email text NOT NULL CHECK (email = lower(email)),
    agency_id uuid NOT NULL REFERENCES agencies (id),
    role text NOT NULL CHECK (role IN ('lro', 'plan_owner', 'sio', 'partner', 'viewer')),
    invited_by uuid NOT NULL REFERENCES users (id),
    invited_at timestamptz NOT NULL,
    joined_at timestamptz,
    withdrawn_by uuid REFERENCES users (id),
    withdrawn_at timestamptz
);

-- One open invitation per person per plan.
CREATE UNIQUE INDEX plan_invitations_open_idx ON plan_invitations (plan_id, email)
    WHERE joined_at IS NULL AND withdrawn_at IS NULL;
CREATE INDEX plan_invitations_email_idx ON plan_invitations (email, agency_id);
