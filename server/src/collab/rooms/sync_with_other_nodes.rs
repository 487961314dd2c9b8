//! A room beside rooms of the same plan on other server nodes: it reads
//! what they committed from storage, applies it and relays it here, and
//! tells them of its own connections' presence.

use super::RoomTask;
use crate::cluster::Notice;
use crate::collab::mailbox::Post;
use crate::collab::room::{Outgoing, Room, Target};
use crate::store::CommittedUpdate;

impl RoomTask {
    /// Reads every update committed after [`RoomTask::applied`] (other
    /// nodes') and applies them. Returns what to relay, or why the room can
    /// no longer follow storage. A failed read changes nothing: the next
    /// notice, or the next append, reads again.
    pub(super) async fn catch_up(&mut self, room: &mut Room) -> Result<Vec<Outgoing>, String> {
        let committed = match self.inner.store.updates_after(self.plan_id, self.applied).await {
            Ok(committed) => committed,
            Err(e) => {
                tracing::error!(plan = %self.plan_id, error = ?e, "could not read what other nodes committed; trying again later");
                return Ok(Vec::new());
            }
        };
        self.apply_committed(room, committed)
    }

    /// Applies updates other nodes committed, which follow on from
    /// [`RoomTask::applied`] in seq order; returns what to relay.
    pub(super) fn apply_committed(
        &mut self,
        room: &mut Room,
        committed: Vec<CommittedUpdate>,
    ) -> Result<Vec<Outgoing>, String> {
        let mut relay = Vec::new();
        for update in committed {
            relay.push(room.apply_committed(update.user, update.update)?);
            self.since_snapshot += 1;
            self.applied = update.seq;
        }
        Ok(relay)
    }

    /// Tells other nodes of the presence changes this batch relays from
    /// connections here (those relayed from other nodes go to all).
    pub(super) fn publish_presence(&self, room: &Room, outgoing: &[Outgoing]) {
        for message in outgoing {
            if let (Target::AllBut(conn), Post::Presence(update)) = (&message.target, &message.post) {
                // A departure's connection is gone already: it names nobody.
                let users = room
                    .user_of(*conn)
                    .map(|user| update.clients.keys().map(|client| (client.get(), user)).collect())
                    .unwrap_or_default();
                self.inner.settings.others.publish(Notice::Presence {
                    plan: self.plan_id,
                    update: crate::cluster::encode_presence(update),
                    users,
                });
            }
        }
    }
}
