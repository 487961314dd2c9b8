-- Notifications: the in-app notification centre and the email outbox. A
-- feature writes a person's notifications in the same transaction as the
-- event that causes them (server::notifications::Outbox), so none is lost
-- and none is told of an event that was rolled back. Each row is one thing
-- that happened, for one person; what it is about is read in the app, never
-- sent: an email says only what kind of thing happened and how many.
-- Times are RFC 3339 text written by the server (never a default), so that
-- they compare as text.

-- Each person's choice per kind: emailed at once, in the daily digest, or
-- not at all (a kind not listed has its default, plan::notifications).
CREATE TABLE notification_settings (
    user_id BLOB NOT NULL REFERENCES users (id),
    kind TEXT NOT NULL,
    delivery TEXT NOT NULL CHECK (delivery IN ('at_once', 'digest', 'off')),
    PRIMARY KEY (user_id, kind)
) STRICT;

-- One digest email per person per day, counting what they chose to have
-- digested. Claimed and sent like a notification (the email_* columns).
CREATE TABLE notification_digests (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id BLOB NOT NULL REFERENCES users (id),
    day TEXT NOT NULL,
    email TEXT NOT NULL CHECK (email IN ('queued', 'sent')),
    email_attempts INTEGER NOT NULL DEFAULT 0,
    email_due_at TEXT NOT NULL,
    email_claim BLOB,
    email_claimed_until TEXT,
    email_sent_at TEXT,
    UNIQUE (user_id, day)
) STRICT;

CREATE INDEX notification_digests_queued ON notification_digests (email_due_at, id) WHERE email = 'queued';

CREATE TABLE notifications (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id BLOB NOT NULL REFERENCES users (id),
    plan_id BLOB REFERENCES plans (id),
    kind TEXT NOT NULL,
    -- Where in the app it leads: /plans/{id}#action-{action}.
    link TEXT NOT NULL,
    -- The event, for kinds told once per event (an action overdue as of
    -- its target date): a person never gets two rows of one event.
    event_key TEXT,
    created_at TEXT NOT NULL,
    read_at TEXT,
    -- queued: for the sender, at once; digest: for the day's digest;
    -- off: not emailed; sent; digested: counted in digest_id; withheld:
    -- not sent, as its person could no longer open its plan.
    email TEXT NOT NULL CHECK (email IN ('queued', 'digest', 'off', 'sent', 'digested', 'withheld')),
    -- Sending: tries so far, not before email_due_at (back-off), claimed
    -- by the sender (email_claim) until email_claimed_until.
    email_attempts INTEGER NOT NULL DEFAULT 0,
    email_due_at TEXT NOT NULL,
    email_claim BLOB,
    email_claimed_until TEXT,
    email_sent_at TEXT,
    digest_id INTEGER REFERENCES notification_digests (id)
) STRICT;

CREATE UNIQUE INDEX notifications_once ON notifications (user_id, event_key);
CREATE INDEX notifications_by_user ON notifications (user_id, id);
CREATE INDEX notifications_unread ON notifications (user_id) WHERE read_at IS NULL;
CREATE INDEX notifications_by_plan ON notifications (plan_id);
CREATE INDEX notifications_queued ON notifications (email_due_at, id) WHERE email = 'queued';
CREATE INDEX notifications_to_digest ON notifications (user_id) WHERE email = 'digest';

-- The daily sweep (actions overdue, reviews due, digests), once a day:
-- the transaction that inserts the day's row runs it.
CREATE TABLE notification_sweeps (
    day TEXT PRIMARY KEY,
    node BLOB NOT NULL,
    at TEXT NOT NULL,
    notified INTEGER NOT NULL DEFAULT 0,
    digests INTEGER NOT NULL DEFAULT 0
) STRICT;
