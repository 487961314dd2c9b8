-- Who owns each Yjs client id used in a plan: the user whose connection
-- first wrote under it. Admission refuses an update written under a client
-- id another user owns, across reconnects and restarts. Written in the same
-- statement as the update that first used the id.
CREATE TABLE plan_clients (
    plan_id uuid NOT NULL REFERENCES plans (id),
    client_id bigint NOT NULL CHECK (client_id >= 0),
    user_id uuid NOT NULL REFERENCES users (id),
    PRIMARY KEY (plan_id, client_id)
);
