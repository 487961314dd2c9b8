//! What each input is fed to: a room with connections of every role, and
//! the decoder and the gate as one writer; the panic hook that records
//! every panic.

use super::*;

/// Every panic, caught or not, with where it happened.
pub(super) type Panics = Arc<Mutex<Vec<String>>>;

pub(super) fn install_hook() -> Panics {
    let panics: Panics = Arc::default();
    let sink = panics.clone();
    std::panic::set_hook(Box::new(move |info| {
        let at = info
            .location()
            .map(|l| format!("{}:{}", l.file(), l.line()))
            .unwrap_or_default();
        let message = info
            .payload()
            .downcast_ref::<String>()
            .cloned()
            .or_else(|| info.payload().downcast_ref::<&str>().map(|s| s.to_string()))
            .unwrap_or_default();
        sink.lock().unwrap().push(format!("{message} at {at}"));
    }));
    panics
}

pub(super) struct Targets {
    pub(super) room: Room,
    pub(super) plan: PlanDoc,
    pub(super) gate: Gate,
    /// Executions since the room and the gate's plan were loaded.
    pub(super) age: u32,
    /// What the room and the gate applied since, to replay a finding.
    pub(super) room_log: Vec<(u64, Vec<u8>)>,
    pub(super) gate_log: Vec<(Role, Vec<u8>)>,
}

pub(super) const CONNS: [(u64, u128, Role, &str, &str); 4] = [
    (1, LRO, Role::Lro, "Police", ""),
    (2, COUNCIL, Role::Partner, "Council", "Pat (Council)"),
    (3, VIEWER, Role::Viewer, "Schools", "Val (Schools)"),
    (4, SIO, Role::Sio, "NCA", ""),
];

impl Targets {
    pub(super) fn load(corpus: &Corpus) -> Targets {
        let (mut room, problems) = Room::load(Some(&corpus.state), [], corpus.owners.iter().copied());
        assert!(problems.is_empty(), "{problems:?}");
        for (conn, id, role, agency, shown_as) in CONNS {
            room.join(
                conn,
                Access {
                    user: user(id),
                    role,
                    agency: agency.into(),
                    shown_as: shown_as.into(),
                },
            );
        }
        let plan = PlanDoc::from_state(&corpus.state).unwrap();
        let gate = Gate::load(&plan, corpus.owners.iter().copied());
        Targets {
            room,
            plan,
            gate,
            age: 0,
            room_log: Vec::new(),
            gate_log: Vec::new(),
        }
    }
}

pub(super) fn writer(rng: &mut Rng) -> Writer<'static> {
    let (_, id, role, agency, _) = CONNS[rng.below(CONNS.len())];
    Writer {
        user: user(id),
        role,
        agency,
    }
}

pub(super) fn pending<T: ReadTxn>(txn: &T) -> bool {
    txn.store().pending_update().is_some() || txn.store().pending_ds().is_some()
}
