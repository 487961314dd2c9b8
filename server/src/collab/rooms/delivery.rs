//! Delivering what a batch produced to the room's clients, and closing
//! clients: one that stopped reading, one refused, or all of them.

use super::coalesce::coalesce;
use super::{Client, CloseReason, RoomTask};
use crate::collab::mailbox::{Post, Posted};
use crate::collab::room::{ConnId, Outgoing, Room};

/// Close code for "try again later" (RFC 6455 registry: 1013).

impl RoomTask {
    /// Posts what the batch produced to its targets' mailboxes. The
    /// document updates relayed are merged first (see [`coalesce`]), so
    /// each client gets at most one update per batch. A client whose
    /// mailbox is over its limits has stopped reading: it is disconnected
    /// (and resyncs when it reconnects) so it never holds up the others.
    pub(super) fn deliver(&mut self, room: &mut Room, mut outgoing: Vec<Outgoing>) {
        while !outgoing.is_empty() {
            // Other nodes hear of presence here too, the departures of
            // clients disconnected below included.
            self.publish_presence(room, &outgoing);
            let mut stuck = Vec::new();
            let mut updates = Vec::new();
            for message in outgoing.drain(..) {
                if let Post::Update(update) = &message.post {
                    updates.push((message.target, update.clone()));
                    continue;
                }
                for (conn, client) in &self.clients {
                    if message.target.includes(*conn) && client.mailbox.post(message.post.clone()) == Posted::Stuck {
                        stuck.push(*conn);
                    }
                }
            }
            if !updates.is_empty() {
                let merged = coalesce(&updates);
                for (conn, client) in &self.clients {
                    for update in merged.for_conn(*conn) {
                        if client.mailbox.post(Post::Update(update.clone())) == Posted::Stuck {
                            stuck.push(*conn);
                        }
                    }
                }
            }
            stuck.sort_unstable();
            stuck.dedup();
            for conn in stuck {
                let reason = CloseReason {
                    code: crate::collab::connection::TOO_FAR_BEHIND,
                    reason: "too far behind the room; reconnect to resync".into(),
                };
                tracing::warn!(plan = %self.plan_id, conn, "disconnecting a client that stopped reading");
                outgoing.extend(self.disconnect(room, conn, reason));
            }
        }
    }

    /// Closes every client and keeps the room from compacting as it ends:
    /// its document is not to be trusted over what storage holds.
    pub(super) fn close_all(&mut self, reason: CloseReason) {
        for (_, client) in self.clients.drain() {
            let _ = client.kick.send(reason.clone());
        }
        self.since_snapshot = 0;
    }

    pub(super) fn disconnect(&mut self, room: &mut Room, conn: ConnId, reason: CloseReason) -> Vec<Outgoing> {
        if let Some(Client { kick, .. }) = self.clients.remove(&conn) {
            let _ = kick.send(reason);
        }
        room.leave(conn)
    }
}
