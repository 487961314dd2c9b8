//! One open plan's collaboration state, free of networking and storage.
//!
//! [`Room`] turns what connections send into what they should be sent. Its
//! caller (the room task) persists the updates a frame carried before it
//! sends anything out, which is how "committed before relayed" is kept.

use super::protocol::{self, decode_frame, Inbound, ProtocolError};
use bytes::Bytes;
use plan::{new_doc, PlanDoc};
use std::collections::{HashMap, HashSet};
use yrs::sync::{Awareness, AwarenessUpdate};
use yrs::updates::decoder::Decode;
use yrs::{ClientID, ReadTxn, StateVector, Transact, Update};

/// Identifies one websocket connection within the server.
pub type ConnId = u64;

/// Who an outgoing frame is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    One(ConnId),
    AllBut(ConnId),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outgoing {
    pub target: Target,
    pub frame: Bytes,
}

/// What came of one frame.
#[derive(Debug, Default)]
pub struct Received {
    /// Document updates (v1) the frame carried, already applied to the
    /// room's document: persist these before sending `outgoing`.
    pub updates: Vec<Vec<u8>>,
    pub outgoing: Vec<Outgoing>,
    /// Set when the frame (or its tail) was refused: the connection is to
    /// be closed with this reason once the accepted part is handled.
    pub rejected: Option<ProtocolError>,
}

pub struct Room {
    awareness: Awareness,
    plan: PlanDoc,
    /// The awareness client ids each connection has announced, so its
    /// presence can be removed when it leaves.
    conns: HashMap<ConnId, HashSet<ClientID>>,
}

impl Room {
    /// Rebuilds a plan's document from a snapshot and the updates after it.
    /// An update that no longer applies is skipped and reported, so one bad
    /// entry cannot make a whole plan unreadable.
    pub fn load<'a>(snapshot: Option<&'a [u8]>, updates: impl IntoIterator<Item = &'a [u8]>) -> (Room, Vec<String>) {
        let doc = new_doc();
        let mut problems = Vec::new();
        {
            let mut txn = doc.transact_mut();
            for bytes in snapshot.into_iter().chain(updates) {
                let applied = Update::decode_v1(bytes)
                    .map_err(|e| e.to_string())
                    .and_then(|u| txn.apply_update(u).map_err(|e| e.to_string()));
                if let Err(e) = applied {
                    problems.push(e);
                }
            }
        }
        (Room::new_with_doc(doc), problems)
    }

    fn new_with_doc(doc: yrs::Doc) -> Room {
        Room {
            plan: PlanDoc::new(doc.clone()),
            awareness: Awareness::new(doc),
            conns: HashMap::new(),
        }
    }

    pub fn plan(&self) -> &PlanDoc {
        &self.plan
    }

    pub fn connection_count(&self) -> usize {
        self.conns.len()
    }

    /// The whole state and state vector, v1-encoded, for a snapshot.
    pub fn encode_state(&self) -> (Vec<u8>, Vec<u8>) {
        use yrs::updates::encoder::Encode;
        let txn = self.plan.transact();
        (
            txn.encode_state_as_update_v1(&StateVector::default()),
            txn.state_vector().encode_v1(),
        )
    }

    /// A connection joins: it is sent sync step 1 and everyone's presence.
    pub fn join(&mut self, conn: ConnId) -> Vec<Outgoing> {
        self.conns.entry(conn).or_default();
        let mut out = vec![Outgoing {
            target: Target::One(conn),
            frame: protocol::sync_step1(self.plan.transact().state_vector()),
        }];
        if let Some(frame) = self.full_awareness() {
            out.push(Outgoing {
                target: Target::One(conn),
                frame,
            });
        }
        out
    }

    /// A connection leaves: its presence is removed for everyone else.
    pub fn leave(&mut self, conn: ConnId) -> Vec<Outgoing> {
        let Some(clients) = self.conns.remove(&conn) else {
            return Vec::new();
        };
        for client in &clients {
            self.awareness.remove_state(*client);
        }
        match self.awareness.update_with_clients(clients) {
            Ok(update) if !update.clients.is_empty() => {
                vec![Outgoing {
                    target: Target::AllBut(conn),
                    frame: protocol::awareness(update),
                }]
            }
            _ => Vec::new(),
        }
    }

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
                Inbound::Update { raw, update } => {
                    if update.is_empty() {
                        continue;
                    }
                    // Decoded updates only fail to apply when they contradict the
                    // document's structure; what was applied before still stands
                    // and must be persisted, so stop here rather than unwind.
                    if let Err(e) = self.plan.transact_mut().apply_update(update) {
                        accepted.rejected = Some(ProtocolError::BadUpdate(e.to_string()));
                        return accepted;
                    }
                    accepted.outgoing.push(Outgoing {
                        target: Target::AllBut(conn),
                        frame: protocol::sync_update(raw.clone()),
                    });
                    accepted.updates.push(raw);
                }
                other => others.push(other),
            }
        }
        for message in others {
            match message {
                Inbound::SyncStep1(sv) => {
                    let diff = self.plan.transact().encode_state_as_update_v1(&sv);
                    accepted.outgoing.push(Outgoing {
                        target: Target::One(conn),
                        frame: protocol::sync_step2(diff),
                    });
                }
                Inbound::Awareness(update) => {
                    if let Some(frame) = self.apply_awareness(conn, update) {
                        accepted.outgoing.push(Outgoing {
                            target: Target::AllBut(conn),
                            frame,
                        });
                    }
                }
                Inbound::AwarenessQuery => {
                    if let Some(frame) = self.full_awareness() {
                        accepted.outgoing.push(Outgoing {
                            target: Target::One(conn),
                            frame,
                        });
                    }
                }
                Inbound::Auth | Inbound::Update { .. } => {}
            }
        }
        accepted
    }

    /// Applies the entries of a presence update that this connection may
    /// make (its own clients, or clients nobody has claimed) and returns the
    /// frame to relay.
    fn apply_awareness(&mut self, conn: ConnId, mut update: AwarenessUpdate) -> Option<Bytes> {
        update.clients.retain(|client, _| {
            self.conns
                .iter()
                .all(|(other, owned)| *other == conn || !owned.contains(client))
        });
        if update.clients.is_empty() {
            return None;
        }
        let owned = self.conns.entry(conn).or_default();
        for (client, entry) in &update.clients {
            if entry.json.as_ref() == "null" {
                owned.remove(client);
            } else {
                owned.insert(*client);
            }
        }
        self.awareness.apply_update(update.clone()).ok()?;
        Some(protocol::awareness(update))
    }

    fn full_awareness(&self) -> Option<Bytes> {
        let update = self.awareness.update().ok()?;
        (!update.clients.is_empty()).then(|| protocol::awareness(update))
    }
}

#[cfg(test)]
mod tests;
