-- Notifications: the in-app notification centre and the email outbox. A
-- feature writes a person's notifications in the same transaction as the
-- event that causes them (server::notifications::Outbox), so none is lost
-- and none is told of an event that was rolled back. Each row is one thing
-- that happened, for one person; what it is about is read in the app, never
-- sent: an email says only what kind of thing happened and how many.

-- Each person's choice per kind: emailed at once, in the daily digest, or
-- not at all (a kind not listed has its default, plan::notifications).
CREATE TABLE notification_settings (
    user_id uuid NOT NULL REFERENCES users (id),
    kind text NOT NULL,
    delivery text NOT NULL CHECK (delivery IN ('at_once', 'digest', 'off')),
    PRIMARY KEY (user_id, kind)
);

-- One digest email per person per day, counting what they chose to have
-- digested. Claimed and sent like a notification (the email_* columns).
CREATE TABLE notification_digests (
    id bigserial PRIMARY KEY,
    user_id uuid NOT NULL REFERENCES users (id),
    day date NOT NULL,
    email text NOT NULL CHECK (email IN ('queued', 'sent')),
    email_attempts integer NOT NULL DEFAULT 0,
    email_due_at timestamptz NOT NULL,
    email_claim uuid,
    email_claimed_until timestamptz,
    email_sent_at timestamptz,
    UNIQUE (user_id, day)
);

CREATE INDEX notification_digests_queued ON notification_digests (email_due_at, id) WHERE email = 'queued';

CREATE TABLE notifications (
    id bigserial PRIMARY KEY,
    user_id uuid NOT NULL REFERENCES users (id),
    plan_id uuid REFERENCES plans (id),
    kind text NOT NULL,
    -- Where in the app it leads: /plans/{id}#action-{action}.
    link text NOT NULL,
    -- The event, for kinds told once per event (an action overdue as of
    -- its target date): a person never gets two rows of one event.
    event_key text,
    created_at timestamptz NOT NULL,
    read_at timestamptz,
    -- queued: for the sender, at once; digest: for the day's digest;
    -- off: not emailed; sent; digested: counted in digest_id; withheld:
    -- not sent, as its person could no longer open its plan.
    email text NOT NULL CHECK (email IN ('queued', 'digest', 'off', 'sent', 'digested', 'withheld')),
    -- Sending: tries so far, not before email_due_at (back-off), claimed
    -- by a sender (email_claim) until email_claimed_until, when another
    -- may take it (its node died mid-send).
    email_attempts integer NOT NULL DEFAULT 0,
    email_due_at timestamptz NOT NULL,
    email_claim uuid,
    email_claimed_until timestamptz,
    email_sent_at timestamptz,
    digest_id bigint REFERENCES notification_digests (id)
);

CREATE UNIQUE INDEX notifications_once ON notifications (user_id, event_key);
CREATE INDEX notifications_by_user ON notifications (user_id, id);
CREATE INDEX notifications_unread ON notifications (user_id) WHERE read_at IS NULL;
CREATE INDEX notifications_by_plan ON notifications (plan_id);
CREATE INDEX notifications_queued ON notifications (email_due_at, id) WHERE email = 'queued';
CREATE INDEX notifications_to_digest ON notifications (user_id) WHERE email = 'digest';

-- The daily sweep (actions overdue, reviews due, digests), once a day
-- across every node: the node whose transaction inserts the day's row
-- runs it, in that transaction; a node that dies mid-sweep leaves no row,
-- and another runs it.
CREATE TABLE notification_sweeps (
    day date PRIMARY KEY,
    node uuid NOT NULL,
    at timestamptz NOT NULL,
    notified integer NOT NULL DEFAULT 0,
    digests integer NOT NULL DEFAULT 0
);
