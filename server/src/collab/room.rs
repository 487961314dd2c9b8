//! One open plan's collaboration state, free of networking and storage.
//!
//! [`Room`] turns what connections send into what they should be sent. Its
//! caller (the room task) persists the updates a frame carried before it
//! sends anything out, which is how "committed before relayed" is kept.

use super::mailbox::Post;
use super::protocol;
use plan::access::Role;
use plan::admission::Gate;
use plan::strategy::{PublishedStrategy, ThreatCatalogue};
use plan::PlanDoc;
use std::collections::{HashMap, HashSet};
use std::sync::Arc;
use yrs::sync::Awareness;
use yrs::{ClientID, ReadTxn, StateVector};

/// Identifies one websocket connection within the server.
pub type ConnId = u64;

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

/// Why a closed plan's edits are refused.
pub const CLOSED: &str = "the plan is closed, so nobody may change it (its LRO may reopen it)";

impl Room {
    /// Makes the plan read-only for everyone (`closed`), or writable.
    pub fn set_closed(&mut self, closed: bool) {
        self.gate.set_read_only(closed.then(|| CLOSED.to_string()));
    }

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

mod access;
mod outgoing;
mod presence;
mod receive;

pub use access::Access;
pub use outgoing::{Outgoing, Target};
pub use receive::{Accepted, Received};

#[cfg(test)]
mod tests;
