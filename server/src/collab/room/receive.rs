//! Handling one frame from a connection: its document updates are judged
//! by the admission gate and applied, its sync and presence messages
//! answered; what came of it says what to persist and what to send.

use super::{ConnId, Outgoing, Room, Target};
use crate::collab::mailbox::Post;
use crate::collab::protocol::{self, decode_frame, Inbound, ProtocolError};
use plan::access::Change;
use plan::admission::{Admission, Refusal, Writer};
use std::sync::Arc;
use yrs::ReadTxn;

/// An accepted update and what it changed, for storage and the audit trail.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Accepted {
    pub update: Vec<u8>,
    pub user: uuid::Uuid,
    pub changes: Vec<Change>,
    /// Yjs client ids this update was the first to write under.
    pub claimed: Vec<u64>,
    /// Actions it gave an owner (notified with its commit).
    pub assigned: Vec<plan::notifications::Assignment>,
}

/// What came of one frame.
#[derive(Debug, Default)]
pub struct Received {
    /// Document updates the frame carried, already applied to the room's
    /// document: persist these before sending `outgoing`.
    pub updates: Vec<Accepted>,
    /// Why an update was refused (the sender has been told), for the log.
    pub denied: Option<String>,
    pub outgoing: Vec<Outgoing>,
    /// Set when the frame (or its tail) was refused: the connection is to
    /// be closed with this reason once the accepted part is handled.
    pub rejected: Option<ProtocolError>,
    /// Set when an admitted update failed to apply whole: the document in
    /// memory may hold part of it, so once `updates` are persisted the room
    /// must close and be loaded afresh from storage.
    pub broken: Option<String>,
}

impl Room {
    /// Handles one binary frame. A frame that does not decode is refused
    /// whole, before anything of it is applied.
    pub fn receive(&mut self, conn: ConnId, frame: &[u8]) -> Received {
        let mut accepted = Received::default();
        let messages = match decode_frame(frame) {
            Ok(messages) => messages,
            Err(e) => {
                accepted.rejected = Some(e);
                return accepted;
            }
        };
        let mut others = Vec::new();
        for message in messages {
            match message {
                Inbound::Update { raw, read } => {
                    if read.is_empty() || accepted.denied.is_some() {
                        // Updates after a refused one build on it: drop them too.
                        continue;
                    }
                    let Some(access) = self.conns.get(&conn).map(|c| c.access.clone()) else {
                        continue;
                    };
                    let writer = Writer {
                        user: access.user,
                        role: access.role,
                        agency: &access.agency,
                    };
                    // yrs is not ours: a panic deep inside it refuses the update
                    // rather than the whole room.
                    let admitted = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                        self.gate.admit_read(&self.plan, &writer, &raw, read)
                    }))
                    .unwrap_or_else(|_| Err(Refusal::Broken("applying it panicked".into())));
                    match admitted {
                        Ok(Admission::Nothing) => {}
                        Ok(Admission::Applied { changes, claimed }) => {
                            let assigned = plan::notifications::assignments(&changes, |id| {
                                self.plan.action(&self.plan.transact(), id).ok()
                            });
                            accepted.outgoing.push(Outgoing {
                                target: Target::AllBut(conn),
                                post: Post::Update(Arc::new(raw.clone())),
                            });
                            accepted.updates.push(Accepted {
                                update: raw,
                                user: access.user,
                                changes,
                                claimed,
                                assigned,
                            });
                        }
                        Err(refusal @ Refusal::Denied { .. }) => {
                            let reason = refusal.to_string();
                            accepted
                                .outgoing
                                .push(Outgoing::frame_to(conn, protocol::permission_denied(&reason)));
                            accepted.denied = Some(reason);
                        }
                        Err(Refusal::Malformed(e)) => {
                            accepted.rejected = Some(ProtocolError::BadUpdate(e));
                            return accepted;
                        }
                        Err(Refusal::Broken(e)) => {
                            accepted.broken = Some(e);
                            return accepted;
                        }
                    }
                }
                other => others.push(other),
            }
        }
        for message in others {
            match message {
                Inbound::SyncStep1(sv) => {
                    let diff = self.plan.transact().encode_state_as_update_v1(&sv);
                    accepted
                        .outgoing
                        .push(Outgoing::frame_to(conn, protocol::sync_step2(diff)));
                }
                Inbound::Awareness(update) => {
                    if let Some(update) = self.apply_awareness(conn, update) {
                        accepted.outgoing.push(Outgoing {
                            target: Target::AllBut(conn),
                            post: Post::Presence(Arc::new(update)),
                        });
                    }
                }
                Inbound::AwarenessQuery => {
                    if let Some(frame) = self.full_awareness() {
                        accepted.outgoing.push(Outgoing::frame_to(conn, frame));
                    }
                }
                Inbound::Auth | Inbound::Update { .. } => {}
            }
        }
        accepted
    }
}
