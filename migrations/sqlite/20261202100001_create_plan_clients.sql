-- Who owns each Yjs client id used in a plan: the user whose connection
-- first wrote under it. Admission refuses an update written under a client
-- id another user owns, across reconnects and restarts. Written in the same
-- transaction as the update that first used the id.
CREATE TABLE plan_clients (
    plan_id BLOB NOT NULL REFERENCES plans (id),
    client_id INTEGER NOT NULL CHECK (client_id >= 0),
    user_id BLOB NOT NULL REFERENCES users (id),
    PRIMARY KEY (plan_id, client_id)
) STRICT;
