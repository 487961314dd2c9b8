//! One open plan's collaboration state, free of networking and storage.
//!
//! [`Room`] turns what connections send into what they should be sent. Its
//! caller (the room task) persists the updates a frame carried before it
//! sends anything out, which is how "committed before relayed" is kept.

use super::mailbox::Post;
use super::protocol::{self, decode_frame, Inbound, ProtocolError};
use bytes::Bytes;
use plan::access::{Change, Role};
use plan::admission::{Admission, Gate, Refusal, Writer};
use plan::strategy::{PublishedStrategy, ThreatCatalogue};
use plan::PlanDoc;
use std::collections::{HashMap, HashSet};
use std::sync::Arc;
use yrs::sync::Awareness;
use yrs::{ClientID, ReadTxn, StateVector};

/// Identifies one websocket connection within the server.
pub type ConnId = u64;

/// Who an outgoing message is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    One(ConnId),
    AllBut(ConnId),
    /// Everyone (what another server node relayed).
    All,
}

impl Target {
    pub fn includes(self, conn: ConnId) -> bool {
        match self {
            Target::One(c) => c == conn,
            Target::AllBut(c) => c != conn,
            Target::All => true,
        }
    }
}

/// A message for some of the room's connections. Document updates and
/// presence changes are kept unencoded so that the room task can merge
/// what one batch relays (see [`super::mailbox`]).
#[derive(Debug, Clone)]
pub struct Outgoing {
    pub target: Target,
    pub post: Post,
}

impl Outgoing {
    /// The message as one frame on its own.
    pub fn frame(&self) -> Bytes {
        match &self.post {
            Post::Frame(frame) => frame.clone(),
            Post::Update(update) => protocol::sync_update(update.to_vec()),
            Post::Presence(update) => protocol::awareness((**update).clone()),
        }
    }

    fn frame_to(conn: ConnId, frame: Bytes) -> Outgoing {
        Outgoing {
            target: Target::One(conn),
            post: Post::Frame(frame),
        }
    }
}

/// Who is behind a connection, and what they may change.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Access {
    pub user: uuid::Uuid,
    pub role: Role,
    pub agency: String,
    /// The name others see in this connection's presence, whatever the
    /// client claims ("Name (Agency)"); empty leaves presence as sent.
    pub shown_as: String,
}

impl Access {
    /// Someone who may change everything (for tools and tests).
    pub fn full(user: uuid::Uuid) -> Self {
        Access {
            user,
            role: Role::Lro,
            agency: String::new(),
            shown_as: String::new(),
        }
    }
}

/// An accepted update and what it changed, for storage and the audit trail.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Accepted {
    pub update: Vec<u8>,
    pub user: uuid::Uuid,
    pub changes: Vec<Change>,
    /// Yjs client ids this update was the first to write under.
    pub claimed: Vec<u64>,
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

pub struct Room {
    awareness: Awareness,
    plan: PlanDoc,
    /// Judges every incoming update against the sender's role.
    gate: Gate,
    /// The strategy version whose threats the gate judges tags by.
    strategy_version: Option<i64>,
    conns: HashMap<ConnId, Conn>,
    /// The awareness client ids other server nodes' connections announced,
    /// by node, so their presence can be removed if the node dies.
    remote: HashMap<uuid::Uuid, HashSet<ClientID>>,
}

struct Conn {
    access: Access,
    /// The awareness client ids it has announced, so its presence can be
    /// removed when it leaves.
    clients: HashSet<ClientID>,
}

impl Room {
    /// Opens a plan from storage: its document (see [`plan::load_plan`]) and the
    /// owners of its client ids.
    pub fn load<'a>(
        snapshot: Option<&'a [u8]>,
        updates: impl IntoIterator<Item = &'a [u8]>,
        owners: impl IntoIterator<Item = (u64, uuid::Uuid)>,
    ) -> (Room, Vec<String>) {
        let (plan, problems) = plan::load_plan(snapshot, updates);
        (Room::new_with_doc(plan.doc().clone(), owners), problems)
    }

    fn new_with_doc(doc: yrs::Doc, owners: impl IntoIterator<Item = (u64, uuid::Uuid)>) -> Room {
        let plan = PlanDoc::new(doc.clone());
        Room {
            gate: Gate::load(&plan, owners),
            strategy_version: None,
            plan,
            awareness: Awareness::new(doc),
            conns: HashMap::new(),
            remote: HashMap::new(),
        }
    }

    /// Judges threat tags by `current` from now on (rebuilt only when the
    /// version changes, so this is cheap to call for every batch).
    pub fn follow_strategy(&mut self, current: &PublishedStrategy) {
        if self.strategy_version != Some(current.version) {
            self.gate.set_threats(Arc::new(ThreatCatalogue::of(&current.strategy)));
            self.strategy_version = Some(current.version);
        }
    }

    pub fn plan(&self) -> &PlanDoc {
        &self.plan
    }

    /// The user behind a connection still in the room.
    pub fn user_of(&self, conn: ConnId) -> Option<uuid::Uuid> {
        self.conns.get(&conn).map(|c| c.access.user)
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
    pub fn join(&mut self, conn: ConnId, access: Access) -> Vec<Outgoing> {
        self.conns.insert(
            conn,
            Conn {
                access,
                clients: HashSet::new(),
            },
        );
        let mut out = vec![Outgoing::frame_to(
            conn,
            protocol::sync_step1(self.plan.transact().state_vector()),
        )];
        if let Some(frame) = self.full_awareness() {
            out.push(Outgoing::frame_to(conn, frame));
        }
        out
    }

    /// A connection leaves: its presence is removed for everyone else.
    pub fn leave(&mut self, conn: ConnId) -> Vec<Outgoing> {
        let Some(Conn { clients, .. }) = self.conns.remove(&conn) else {
            return Vec::new();
        };
        for client in &clients {
            self.awareness.remove_state(*client);
        }
        match self.awareness.update_with_clients(clients) {
            Ok(update) if !update.clients.is_empty() => {
                vec![Outgoing {
                    target: Target::AllBut(conn),
                    post: Post::Presence(Arc::new(update)),
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
                            accepted.outgoing.push(Outgoing {
                                target: Target::AllBut(conn),
                                post: Post::Update(Arc::new(raw.clone())),
                            });
                            accepted.updates.push(Accepted {
                                update: raw,
                                user: access.user,
                                changes,
                                claimed,
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

    /// Applies an update another server node admitted and stored, for
    /// relay to every connection here. An error means this room no longer
    /// follows storage and must be loaded afresh.
    pub fn apply_committed(&mut self, author: Option<uuid::Uuid>, update: Vec<u8>) -> Result<Outgoing, String> {
        let applied = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            self.gate.apply_committed(&self.plan, author, &update)
        }))
        .unwrap_or_else(|_| Err("applying it panicked".into()));
        applied.map(|()| Outgoing {
            target: Target::All,
            post: Post::Update(Arc::new(update)),
        })
    }

    /// A member's role changed (`None`: no longer a member). Returns the
    /// connections to close.
    pub fn set_role(&mut self, user: uuid::Uuid, role: Option<Role>) -> Vec<ConnId> {
        let mut closing = Vec::new();
        for (id, conn) in &mut self.conns {
            if conn.access.user == user {
                match role {
                    Some(role) => conn.access.role = role,
                    None => closing.push(*id),
                }
            }
        }
        closing
    }
}

mod presence;

#[cfg(test)]
mod tests;
