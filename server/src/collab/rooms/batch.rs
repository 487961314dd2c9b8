//! Handling one batch of a room's commands: every update in it is
//! committed to the log in one transaction before anything of the batch
//! is relayed.

use super::{CloseReason, Command, RoomTask};
use crate::audit::AuditedUpdate;
use crate::collab::room::{Accepted, ConnId, Outgoing, Room};
use crate::store::StoreError;
use std::time::Instant;

/// Why a batch's updates were not committed.
enum Persist {
    /// Storage failed: every client has been closed.
    Failed,
    /// Another node's updates do not apply here: reload the plan.
    Broken(String),
}

const INTERNAL_ERROR: u16 = 1011;
const GOING_AWAY: u16 = 1001;
/// Close code for a connection whose user was removed from the plan.
const NO_LONGER_A_MEMBER: u16 = 4403;

impl RoomTask {
    /// Handles one batch. Returns false if the room can no longer go on.
    pub(super) async fn handle_batch(&mut self, room: &mut Room, batch: Vec<Command>) -> bool {
        // A newly published strategy applies from the next batch on.
        let strategy = self.inner.settings.strategy.borrow().clone();
        room.follow_strategy(&strategy);
        let mut outgoing = Vec::new();
        let mut updates: Vec<Accepted> = Vec::new();
        let mut refused: Vec<(ConnId, CloseReason)> = Vec::new();
        let mut arrivals: Vec<Instant> = Vec::new();
        let mut broken = None;
        let mut reload = None;
        for command in batch {
            match command {
                Command::Join {
                    conn,
                    client,
                    access,
                    reply,
                } => {
                    if reply.send(Ok(())).is_ok() {
                        self.clients.insert(conn, client);
                        outgoing.extend(room.join(conn, access));
                    }
                }
                Command::Access { user, role } => {
                    tracing::info!(plan = %self.plan_id, %user, role = ?role, "membership changed on open connections");
                    for conn in room.set_role(user, role) {
                        refused.push((
                            conn,
                            CloseReason {
                                code: NO_LONGER_A_MEMBER,
                                reason: "you can no longer open this plan: you were removed from it, or your vetting no longer clears you for it".into(),
                            },
                        ));
                    }
                }
                Command::Frame { conn, bytes, arrived } => {
                    if !self.clients.contains_key(&conn) || broken.is_some() {
                        continue; // already closed, or the room is ending: dropped
                    }
                    let received = room.receive(conn, &bytes);
                    if !received.updates.is_empty() {
                        arrivals.push(arrived);
                    }
                    if let Some(reason) = &received.denied {
                        tracing::warn!(plan = %self.plan_id, conn, %reason, "refused an update: permission denied");
                    }
                    updates.extend(received.updates);
                    outgoing.extend(received.outgoing);
                    if let Some(error) = received.broken {
                        tracing::error!(plan = %self.plan_id, conn, %error, "an admitted update failed to apply; reloading the plan");
                        broken = Some(error);
                    }
                    if let Some(error) = received.rejected {
                        tracing::warn!(plan = %self.plan_id, conn, %error, bytes = bytes.len(), "refused a frame");
                        refused.push((
                            conn,
                            CloseReason {
                                code: error.close_code(),
                                reason: error.to_string(),
                            },
                        ));
                    }
                }
                Command::Leave { conn } => {
                    self.clients.remove(&conn);
                    outgoing.extend(room.leave(conn));
                }
                Command::Committed { upto } => {
                    if upto > self.applied && broken.is_none() {
                        match self.catch_up(room).await {
                            Ok(relay) => outgoing.extend(relay),
                            Err(error) => {
                                tracing::error!(plan = %self.plan_id, %error, "an update another node committed does not apply; reloading the plan");
                                broken = Some(error);
                            }
                        }
                    }
                }
                Command::Presence { node, update, users } => {
                    outgoing.extend(room.apply_remote_presence(node, update, &users))
                }
                Command::NodeGone { node } => outgoing.extend(room.node_gone(node)),
                Command::Reload { reason } => reload = Some(reason),
                Command::Shutdown => {
                    let reason = CloseReason {
                        code: GOING_AWAY,
                        reason: "the server is restarting; reconnect shortly".into(),
                    };
                    for (_, client) in self.clients.drain() {
                        let _ = client.kick.send(reason.clone());
                    }
                }
            }
        }
        if !updates.is_empty() {
            match self.persist(room, &updates).await {
                Ok(relay) => outgoing.extend(relay),
                Err(Persist::Failed) => return false,
                Err(Persist::Broken(error)) => broken = Some(error),
            }
        }
        if let Some(reason) = reload {
            // The document here predates what storage now holds: nothing
            // more is relayed or compacted from it.
            self.close_all(reason);
            return false;
        }
        if broken.is_some() {
            // What was admitted before it is durable; the document in memory
            // may hold part of the failed update, so nothing more is relayed
            // from it: everyone reconnects to a room loaded from storage.
            self.close_all(CloseReason {
                code: INTERNAL_ERROR,
                reason: "the plan is being reloaded; reconnect to restore your changes".into(),
            });
            return false;
        }
        for (conn, reason) in refused {
            outgoing.extend(self.disconnect(room, conn, reason));
        }
        self.deliver(room, outgoing);
        let relayed = Instant::now();
        self.inner.relay_stats.record(arrivals.iter().map(|a| relayed - *a));
        if !updates.is_empty() {
            let facts_changed = self.record_facts(room, &updates).await;
            let changes = || updates.iter().flat_map(|u| &u.changes);
            let summary_changed = changes().any(|c| plan::PlanDoc::changes_summary(&c.field));
            let marking_changed = changes().any(|c| c.field == "marking");
            // One notice per batch, whichever of the two changed.
            if !self.after_updates(room, summary_changed, marking_changed).await && facts_changed {
                self.inner.settings.events.changed(self.plan_id);
            }
        }
        true
    }

    /// Commits updates to the log, as the seqs after the last this room
    /// holds. If another node took those seqs first, appends them after
    /// what the others logged, holding the plan's append lock, and applies
    /// what they logged (returned, to relay). On failure every client is
    /// closed and the room ends without compacting: the clients still hold
    /// their edits and send them again to a fresh room loaded from what was
    /// committed.
    async fn persist(&mut self, room: &mut Room, updates: &[Accepted]) -> Result<Vec<Outgoing>, Persist> {
        let audited: Vec<AuditedUpdate> = updates
            .iter()
            .map(|a| AuditedUpdate {
                update: &a.update,
                user: a.user,
                changes: &a.changes,
                claimed: &a.claimed,
                assigned: &a.assigned,
            })
            .collect();
        let store = &self.inner.store;
        let appended = match store.append_audited(self.plan_id, self.applied + 1, &audited).await {
            Ok(()) => Ok(Vec::new()),
            Err(StoreError::SeqTaken(_)) => store.append_audited_after(self.plan_id, self.applied, &audited).await,
            Err(e) => Err(e),
        };
        match appended {
            Ok(others) => {
                if updates.iter().any(|a| !a.assigned.is_empty()) {
                    // Whom the assignments told is the database's answer:
                    // the plan's members' bells look.
                    self.inner.settings.events.bell_plan(self.plan_id);
                }
                let relay = self.apply_committed(room, others).map_err(Persist::Broken)?;
                self.applied += updates.len() as i64;
                self.since_snapshot += updates.len();
                Ok(relay)
            }
            Err(StoreError::ClaimTaken { client, .. }) => {
                // Someone wrote under a client id another user claimed on
                // another node at the same moment. Nothing of the batch is
                // logged; the document here holds it, so everyone resyncs
                // with a fresh room, where a resent update under the id is
                // refused as another user's.
                let writers: Vec<_> = updates
                    .iter()
                    .filter(|a| a.claimed.contains(&client))
                    .map(|a| a.user)
                    .collect();
                tracing::warn!(plan = %self.plan_id, client, ?writers, "a client id was claimed on two nodes at once; reloading the room");
                self.close_all(CloseReason {
                    code: INTERNAL_ERROR,
                    reason: "the plan is being reloaded; reconnect to restore your changes".into(),
                });
                Err(Persist::Failed)
            }
            Err(e) => {
                tracing::error!(plan = %self.plan_id, error = ?e, "could not commit updates; closing the room");
                self.close_all(CloseReason {
                    code: INTERNAL_ERROR,
                    reason: "the plan could not be saved; reconnect to restore your changes".into(),
                });
                Err(Persist::Failed)
            }
        }
    }
}
