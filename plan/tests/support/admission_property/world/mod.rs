//! The world of one case: the server behind its [`Gate`], the observer,
//! the members with their replicas, and what the property knows of
//! client ids, actions and admitted updates. The steps members take and
//! the checks after each are `impl World` blocks in the submodules:
//! [`turn`] the loop of steps and the relay; [`honest`] honest sending;
//! [`edits`] honest edits; [`hostile`] edits a role may not make;
//! [`crafted`] hand-built deletions, skips, overwrites and corrupted
//! bytes; [`send`] sending an update and checking the property.

mod crafted;
mod edits;
mod honest;
mod hostile;
mod replica;
mod send;
mod turn;

pub(crate) use replica::{doc_as, Roots, Snapshot};
pub use send::hex;

use super::generate::seed_plan;
use super::rng::Rng;
use plan::access::Role;
use plan::admission::Gate;
use plan::strategy::{ControlStrategy, ThreatCatalogue};
use plan::PlanDoc;
use replica::{replica_as, snapshot};
use std::collections::{BTreeSet, HashMap};

pub(crate) const AGENCIES: [&str; 8] = [
    "Police",
    "Council",
    "COUNCIL",
    " council ",
    "Fire Service",
    "NCA",
    "Schools",
    "",
];
pub(crate) const ACTION_KEYS: [&str; 10] = [
    "ps",
    "date",
    "target_date",
    "text",
    "owner_name",
    "owner_agency",
    "update",
    "status",
    "disruption",
    "submitted",
];
/// The client id the plan was created under, before ownership was
/// recorded: nobody may write under it.
pub(crate) const LEGACY_CLIENT: u64 = 2;
/// The LRO's client id from an earlier session, recorded as theirs.
const LRO_CLIENT: u64 = 1;
const SERVER_CLIENT: u64 = 3;
const OBSERVER_CLIENT: u64 = 4;

struct Member {
    name: &'static str,
    user: uuid::Uuid,
    role: Role,
    agency: String,
    client: u64,
    replica: PlanDoc,
    /// Replaced after a refusal: built afresh from the server's state
    /// when it is next used.
    reload: bool,
    /// How many admitted updates (of `World::history`) it has applied.
    delivered: usize,
    /// Local updates not sent yet, in order.
    held: Vec<Local>,
}

/// A local edit's update.
#[derive(Clone)]
struct Local {
    update: Vec<u8>,
    /// It added structs (not only deletions).
    added: bool,
    /// The replica had every admitted update when it was made.
    in_sync: bool,
    /// `history.len()` when it was made.
    at: usize,
}

/// What a step expects of the gate, beyond the property itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Expect {
    Any,
    /// Admitted (`Applied` or `Nothing`).
    Admit,
    Nothing,
    /// `Nothing`, or applied without changing anything.
    NothingOrNoop,
    Refuse,
}

pub struct World {
    rng: Rng,
    server: PlanDoc,
    /// The server as of its last update (only admission changes it).
    seen: Snapshot,
    gate: Gate,
    observer: PlanDoc,
    members: Vec<Member>,
    /// Who owns each client id, as the property sees it.
    owners: HashMap<u64, uuid::Uuid>,
    used_clients: BTreeSet<u64>,
    /// Every action and custom objective any replica created, in order.
    actions: Vec<String>,
    customs: Vec<String>,
    /// Every applied update, in order: what the relay sent.
    history: Vec<Vec<u8>>,
    /// Whether to send deleted content over map entries.
    pub(crate) overwrites: bool,
    pub log: Vec<String>,
}

impl World {
    pub fn new(seed: u64) -> World {
        let mut rng = Rng::new(seed);
        let (origin, actions) = seed_plan(&mut rng);
        let server = replica_as(&origin, SERVER_CLIENT);
        let mut gate = Gate::load(&server, [(LRO_CLIENT, user(1))]);
        gate.set_threats(std::sync::Arc::new(ThreatCatalogue::of(&ControlStrategy::seed())));
        let observer = replica_as(&server, OBSERVER_CLIENT);
        let seen = snapshot(&server);
        let mut world = World {
            rng,
            gate,
            observer,
            members: Vec::new(),
            owners: HashMap::from([(LRO_CLIENT, user(1))]),
            used_clients: BTreeSet::from([LRO_CLIENT, LEGACY_CLIENT, SERVER_CLIENT, OBSERVER_CLIENT]),
            actions,
            customs: Vec::new(),
            history: Vec::new(),
            overwrites: false,
            log: Vec::new(),
            server,
            seen,
        };
        let people: [(&str, u128, Role, &str); 5] = [
            ("lro", 1, Role::Lro, "Police"),
            ("sio", 2, Role::Sio, "NCA"),
            ("council", 3, Role::Partner, "Council"),
            ("fire", 4, Role::Partner, "fire service"),
            ("viewer", 5, Role::Viewer, "Schools"),
        ];
        for (name, id, role, agency) in people {
            let client = if role == Role::Lro {
                LRO_CLIENT
            } else {
                world.new_client()
            };
            world.members.push(Member {
                name,
                user: user(id),
                role,
                agency: agency.to_string(),
                client,
                // built when first used
                replica: world.observer.clone(),
                reload: true,
                delivered: 0,
                held: Vec::new(),
            });
        }
        world
    }

    fn new_client(&mut self) -> u64 {
        loop {
            let client = 100 + self.rng.next_u64() % ((1 << 53) - 100);
            if self.used_clients.insert(client) {
                return client;
            }
        }
    }
}

fn user(n: u128) -> uuid::Uuid {
    uuid::Uuid::from_u128(n)
}
