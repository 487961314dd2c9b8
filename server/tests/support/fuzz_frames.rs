//! A mutation fuzzer for what clients send: websocket frames into
//! [`Room::receive`], and raw Yjs updates into
//! [`plan::admission::decode::decode`] and [`Gate::admit`]. Shared by
//! `tests/fuzz_frames.rs` (a quick run in CI) and `benches/fuzz_frames.rs`
//! (`PILLARS_FUZZ_EXECS`, default 200,000, in release).
//!
//! The seeds are valid inputs made by real replicas of a plan with actions
//! (under fixed client ids, so that a seed replays the same run): sync step
//! 1 and 2, updates (honest and hostile edits, from every role), presence,
//! presence queries, and frames holding several messages. Each execution
//! picks one, applies one to four mutations (bit flips, byte changes,
//! insertions, deletions, truncation, splicing with another seed, lib0
//! varints of interesting sizes, random bytes; for frames, also the update
//! inside a frame with its length fixed up) and feeds the result to a room
//! with connections of every role, and to the decoder and the gate
//! directly as the LRO, the SIO, a partner or a viewer. The room and the
//! gate's plan are reloaded from the corpus plan every 400 executions.
//!
//! Any panic stops the run with the input in hex: one that escapes, and one
//! that the room catches in admission (it reports the update "broken").
//! Panics inside yrs' decoders that the protocol's guard turns into a
//! refused frame are the guard working: counted and shown, not failed on
//! (they are debug assertions and overflow checks; none happen in release).
//! An admitted update that leaves anything pending, and an update the gate
//! let through that yrs could not apply whole (`Broken`), stop the run too,
//! with the updates the room and the gate had applied since they were
//! loaded, to replay it; with `PILLARS_FUZZ_KEEP_GOING=1` they are counted
//! and the run goes on. The largest single allocation one input caused is
//! shown with the input.

#![allow(dead_code)]

use plan::access::Role;
use plan::admission::{decode, Admission, Gate, Refusal, Writer};
use plan::{ActionChange, HeaderText, NewAction, PlanDoc, RagStatus, Section, SecurityMarking, SubjectKind, Tier, P};
use server::collab::room::{Access, Received, Room};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use yrs::sync::{Message, SyncMessage};
use yrs::types::RootRef;
use yrs::updates::decoder::Decode;
use yrs::updates::encoder::Encode;
use yrs::{ClientID, Map, MapPrelim, MapRef, ReadTxn, StateVector, TextPrelim, Transact, Update};

/// splitmix64.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Rng(seed)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n.max(1) as u64) as usize
    }

    pub fn chance(&mut self, percent: u64) -> bool {
        self.next_u64() % 100 < percent
    }
}

#[derive(Debug, Clone, Copy)]
pub struct Config {
    pub execs: u64,
    pub seed: u64,
    /// Stop early after this long (the count is the usual bound).
    pub max_time: Duration,
    /// On a finding that is not a panic, count it, reload and go on
    /// (`PILLARS_FUZZ_KEEP_GOING=1`) rather than stop.
    pub keep_going: bool,
}

impl Config {
    /// `PILLARS_FUZZ_EXECS` (default `execs`), `PILLARS_FUZZ_SEED`
    /// (decimal or `0x` hex), `PILLARS_FUZZ_SECONDS` (default 600).
    pub fn from_env(execs: u64) -> Config {
        let number = |name: &str| {
            std::env::var(name).ok().map(|v| {
                let v = v.trim().replace('_', "");
                match v.strip_prefix("0x") {
                    Some(hex) => u64::from_str_radix(hex, 16),
                    None => v.parse(),
                }
                .unwrap_or_else(|_| panic!("{name} is a number"))
            })
        };
        Config {
            execs: number("PILLARS_FUZZ_EXECS").unwrap_or(execs),
            seed: number("PILLARS_FUZZ_SEED").unwrap_or(0xf0_22_f2_a3_e5),
            max_time: Duration::from_secs(number("PILLARS_FUZZ_SECONDS").unwrap_or(600)),
            keep_going: std::env::var("PILLARS_FUZZ_KEEP_GOING").is_ok_and(|v| v.trim() == "1"),
        }
    }
}

/// What came of every input.
#[derive(Debug, Default, Clone)]
pub struct Stats {
    pub execs: u64,
    pub elapsed: Duration,
    /// Frames into the room: applied updates, refused updates (denied),
    /// malformed frames (closed), and frames that carried no edit (a sync
    /// step 1, presence, an update that added nothing).
    pub room_applied: u64,
    pub room_denied: u64,
    pub room_malformed: u64,
    pub room_other: u64,
    /// Raw updates into the gate.
    pub gate_applied: u64,
    pub gate_nothing: u64,
    pub gate_denied: u64,
    pub gate_malformed: u64,
    /// Inputs the decoder read whole.
    pub decoded: u64,
    pub panics: u64,
    /// Panics inside yrs' decoders that the protocol's guard turned into a
    /// refused frame, and the first of them.
    pub guarded: u64,
    pub guarded_example: Option<String>,
    /// Findings other than panics (with `keep_going`), and the first few.
    pub findings: u64,
    pub finding_examples: Vec<String>,
    /// The largest single allocation one input caused, and that input.
    pub largest_alloc: usize,
    pub largest_alloc_input: Vec<u8>,
    /// Seeds the fuzzer mutates.
    pub seeds: usize,
}

impl Stats {
    pub fn summary(&self) -> String {
        let secs = self.elapsed.as_secs_f64().max(1e-9);
        format!(
            "{} executions in {:.2?} ({:.0} execs/s), {} seeds\n\
             room: {} applied, {} refused, {} malformed, {} other (sync step 1, presence, nothing new)\n\
             gate: {} admitted ({} applied, {} nothing new), {} refused, {} malformed; decoder read {} whole\n\
             {} panics{}\n\
             {} other findings{}\n\
             largest allocation for one input: {} bytes, for {} bytes: {}",
            self.execs,
            self.elapsed,
            self.execs as f64 / secs,
            self.seeds,
            self.room_applied,
            self.room_denied,
            self.room_malformed,
            self.room_other,
            self.gate_applied + self.gate_nothing,
            self.gate_applied,
            self.gate_nothing,
            self.gate_denied,
            self.gate_malformed,
            self.decoded,
            self.panics,
            match &self.guarded_example {
                Some(example) => format!(
                    " ({} inside yrs' decoders, caught by the protocol's guard and refused, e.g. {example})",
                    self.guarded
                ),
                None => String::new(),
            },
            self.findings,
            self.finding_examples
                .iter()
                .map(|f| format!("\n  - {f}"))
                .collect::<String>(),
            self.largest_alloc,
            self.largest_alloc_input.len(),
            hex(&self.largest_alloc_input),
        )
    }
}

pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

// ---------------------------------------------------------------- seeds ----

/// A seed input: a whole frame, or a raw update (fed to the gate directly
/// and, wrapped in an update message, to the room).
#[derive(Clone)]
pub enum Seed {
    Frame(Vec<u8>),
    Update(Vec<u8>),
}

const LRO: u128 = 1;
const COUNCIL: u128 = 2;
const VIEWER: u128 = 3;
const SIO: u128 = 4;

fn user(n: u128) -> uuid::Uuid {
    uuid::Uuid::from_u128(n)
}

fn doc_as(client: u64) -> yrs::Doc {
    yrs::Doc::with_options(yrs::Options {
        client_id: ClientID::new(client),
        offset_kind: yrs::OffsetKind::Utf16,
        ..Default::default()
    })
}

/// A replica of `plan` writing under `client`.
fn replica_as(plan: &PlanDoc, client: u64) -> PlanDoc {
    let doc = doc_as(client);
    let update = Update::decode_v1(&plan.encode_state()).unwrap();
    doc.transact_mut().apply_update(update).unwrap();
    PlanDoc::new(doc)
}

/// Adds an action as [`PlanDoc::add_action`] does, under a given id and
/// field by field in a fixed order (`add_action` writes a `MapPrelim`,
/// whose entries yrs integrates in hash order, different on every run).
fn add_action(t: &mut yrs::TransactionMut, id: &str, action: &NewAction) -> String {
    let actions = MapRef::root("actions").get_or_create(t);
    let map = actions.insert(t, id, MapPrelim::default());
    let ps = map.insert(t, "ps", MapPrelim::default());
    for p in &action.ps {
        ps.insert(t, p.as_str(), true);
    }
    map.insert(t, "text", TextPrelim::new(action.text.as_str()));
    map.insert(t, "owner_name", TextPrelim::new(action.owner_name.as_str()));
    map.insert(t, "owner_agency", action.owner_agency.as_str());
    map.insert(t, "update", TextPrelim::new(action.update.as_str()));
    map.insert(t, "status", action.status.as_str());
    map.insert(t, "submitted", action.submitted);
    id.to_string()
}

fn edit(plan: &PlanDoc, change: impl FnOnce(&PlanDoc, &mut yrs::TransactionMut)) -> Vec<u8> {
    let before = plan.transact().state_vector();
    change(plan, &mut plan.transact_mut());
    plan.transact().encode_state_as_update_v1(&before)
}

fn update_frame(update: Vec<u8>) -> Vec<u8> {
    Message::Sync(SyncMessage::Update(update)).encode_v1()
}

/// A presence message, encoded by hand (as y-protocols does) so that its
/// entries keep their order: yrs keeps them in a hash map.
fn awareness_frame(entries: &[(u64, u32, &str)]) -> Vec<u8> {
    let mut payload = Vec::new();
    var(&mut payload, entries.len() as u64);
    for (client, clock, json) in entries {
        var(&mut payload, *client);
        var(&mut payload, u64::from(*clock));
        var(&mut payload, json.len() as u64);
        payload.extend_from_slice(json.as_bytes());
    }
    let mut frame = vec![1];
    var(&mut frame, payload.len() as u64);
    frame.extend(payload);
    // It is what yrs reads.
    let message = Message::decode_v1(&frame).expect("a presence message");
    assert!(matches!(message, Message::Awareness(ref u) if u.clients.len() == entries.len()));
    frame
}

/// The plan every room and gate starts from (two agencies' actions, some
/// deleted text), and the seeds made by replicas of it.
pub struct Corpus {
    pub state: Vec<u8>,
    /// Client ids in `state` and who owns them.
    pub owners: Vec<(u64, uuid::Uuid)>,
    pub seeds: Vec<Seed>,
}

pub fn corpus() -> Corpus {
    // Everything here is made under fixed client ids and in a fixed order,
    // so that a seed replays the same run.
    let origin = PlanDoc::new(doc_as(10));
    {
        let mut t = origin.transact_mut();
        origin.set_subject_kind(&mut t, SubjectKind::Ocg);
        origin.set_tier(&mut t, Tier::new(2).unwrap());
        origin.set_marking(&mut t, SecurityMarking::default());
        MapRef::root("header")
            .get_or_create(&mut t)
            .insert(&mut t, "created", "2026-01-01");
        origin.set_header_text(&mut t, HeaderText::SubjectName, "Red Kings");
        origin.set_header_text(&mut t, HeaderText::Lro, "DI Jones");
    }
    let lro = replica_as(&origin, 11);
    let mut ids = Vec::new();
    let mut seeds = Vec::new();
    let setup = edit(&lro, |p, t| {
        for (id, agency, text) in [
            ("action-police", "Police", "Raid"),
            ("action-council", "Council", "Licensing"),
            ("action-council-2", "Council", "Youth work"),
        ] {
            let action = NewAction {
                owner_agency: agency.into(),
                update: "Started".into(),
                ..NewAction::new([P::Pursue, P::Prevent], text)
            };
            ids.push(add_action(t, id, &action));
        }
        p.set_section_text(t, Section::Aim, "Disrupt supply 🚓");
        p.set_section_text(t, Section::Aim, "Dismantle the group");
    });
    seeds.push(Seed::Update(setup.clone()));
    let base = replica_as(&lro, 12);
    let owners = vec![(11, user(LRO))];
    let (police, council) = (ids[0].clone(), ids[1].clone());

    // Updates from every role, honest and not, each from a fresh replica.
    let mut client = 100;
    let mut from = |change: &dyn Fn(&PlanDoc, &mut yrs::TransactionMut)| {
        client += 1;
        edit(&replica_as(&base, client), |p, t| change(p, t))
    };
    let c = council.clone();
    seeds.push(Seed::Update(from(&|p, t| {
        p.change_action(t, &c, &ActionChange::Update("Visited the venue".into()))
            .unwrap();
        p.change_action(t, &c, &ActionChange::Status(RagStatus::Amber)).unwrap();
    })));
    let c = council.clone();
    seeds.push(Seed::Update(from(&|p, t| {
        p.change_action(t, &c, &ActionChange::Disruption(None)).unwrap();
        p.change_action(t, &c, &ActionChange::Date(Some("2026-02-03".parse().unwrap())))
            .unwrap();
    })));
    seeds.push(Seed::Update(from(&|_, t| {
        let action = NewAction {
            owner_agency: "Council".into(),
            ..NewAction::new([P::Protect], "CCTV")
        };
        add_action(t, "action-cctv", &action);
    })));
    let pol = police.clone();
    seeds.push(Seed::Update(from(&|p, t| {
        p.change_action(t, &pol, &ActionChange::Text("Raid the depot".into()))
            .unwrap();
        p.change_action(t, &pol, &ActionChange::OwnerAgency("Council".into()))
            .unwrap();
    })));
    let pol = police.clone();
    seeds.push(Seed::Update(from(&|p, t| p.delete_action(t, &pol).unwrap())));
    seeds.push(Seed::Update(from(&|p, t| {
        p.set_section_text(t, Section::Partnerships, "Council, Fire, Schools");
        p.select_objective(t, "pursue-1", true).unwrap();
        p.tag_threat(t, &plan::strategy::ThreatKey::parse("county-lines").unwrap(), true);
        let objective = MapRef::root("custom_objectives").get_or_create(t);
        let entry = objective.insert(t, "objective-retaliation", MapPrelim::default());
        entry.insert(t, "p", P::Prepare.as_str());
        entry.insert(t, "text", TextPrelim::new("Plan for retaliation"));
        entry.insert(t, "selected", true);
    })));
    let c = council.clone();
    seeds.push(Seed::Update(from(&|p, t| {
        p.action_ref(t, &c).unwrap().insert(t, "colour", "red");
    })));
    // Several updates from one replica, in order: the later ones build on
    // the earlier (a gap when sent alone).
    let partner = replica_as(&base, 200);
    for word in ["one", "one two", "one two three"] {
        let c = council.clone();
        seeds.push(Seed::Update(edit(&partner, |p, t| {
            p.change_action(t, &c, &ActionChange::Update(word.into())).unwrap();
        })));
    }
    // Whole states and differences, as sync step 2 carries them.
    let whole = partner.encode_state();
    let diff = partner
        .transact()
        .encode_state_as_update_v1(&base.transact().state_vector());
    seeds.push(Seed::Update(whole.clone()));
    seeds.push(Seed::Update(diff.clone()));
    seeds.push(Seed::Update(delete_only(11, 0, 5)));
    seeds.push(Seed::Update(delete_only(200, 40, 9)));

    // Frames.
    let updates: Vec<Vec<u8>> = seeds
        .iter()
        .filter_map(|s| match s {
            Seed::Update(u) => Some(u.clone()),
            Seed::Frame(_) => None,
        })
        .collect();
    for update in &updates {
        seeds.push(Seed::Frame(update_frame(update.clone())));
    }
    seeds.push(Seed::Frame(
        Message::Sync(SyncMessage::SyncStep2(diff.clone())).encode_v1(),
    ));
    for sv in [
        StateVector::default(),
        base.transact().state_vector(),
        partner.transact().state_vector(),
    ] {
        seeds.push(Seed::Frame(Message::Sync(SyncMessage::SyncStep1(sv)).encode_v1()));
    }
    seeds.push(Seed::Frame(awareness_frame(&[(
        200,
        1,
        r##"{"user":{"name":"Pat","color":"#30bced"},"cursor":{"anchor":1,"head":3}}"##,
    )])));
    seeds.push(Seed::Frame(awareness_frame(&[(200, 2, "null"), (201, 7, "{}")])));
    seeds.push(Seed::Frame(Message::AwarenessQuery.encode_v1()));
    seeds.push(Seed::Frame(Message::Auth(Some("permission denied".into())).encode_v1()));
    // Several messages in one frame: step 1, an update, presence.
    let mut multi = Message::Sync(SyncMessage::SyncStep1(StateVector::default())).encode_v1();
    multi.extend(update_frame(updates[1].clone()));
    multi.extend(awareness_frame(&[(300, 1, r#"{"user":{"name":"X"}}"#)]));
    seeds.push(Seed::Frame(multi));
    let mut two = update_frame(updates[updates.len() - 6].clone());
    two.extend(update_frame(updates[updates.len() - 5].clone()));
    seeds.push(Seed::Frame(two));
    Corpus {
        state: lro.encode_state(),
        owners,
        seeds,
    }
}

fn var(out: &mut Vec<u8>, mut n: u64) {
    loop {
        let byte = (n & 0x7f) as u8;
        n >>= 7;
        if n == 0 {
            out.push(byte);
            return;
        }
        out.push(byte | 0x80);
    }
}

fn delete_only(client: u64, clock: u32, len: u32) -> Vec<u8> {
    let mut out = vec![0];
    for n in [1, client, 1, u64::from(clock), u64::from(len)] {
        var(&mut out, n);
    }
    out
}

// ------------------------------------------------------------ mutation ----

const INTERESTING: [u64; 14] = [
    0,
    1,
    2,
    0x7f,
    0x80,
    0xff,
    0x3fff,
    0x4000,
    0x7fff_ffff,
    0xffff_ffff,
    0x1_0000_0000,
    (1 << 53) - 1,
    1 << 53,
    u64::MAX,
];

fn mutate(rng: &mut Rng, input: &mut Vec<u8>, other: &[u8]) {
    // Changes that keep the length (and so every length prefix) right come
    // up more often: they get further into the decoders.
    const KINDS: [usize; 16] = [0, 0, 0, 1, 1, 7, 7, 2, 3, 4, 5, 6, 8, 9, 10, 0];
    match KINDS[rng.below(KINDS.len())] {
        0 if !input.is_empty() => {
            let i = rng.below(input.len());
            input[i] ^= 1 << rng.below(8);
        }
        1 if !input.is_empty() => {
            let i = rng.below(input.len());
            input[i] = rng.next_u64() as u8;
        }
        2 => {
            let i = rng.below(input.len() + 1);
            input.insert(i, rng.next_u64() as u8);
        }
        3 if !input.is_empty() => {
            let i = rng.below(input.len());
            let n = 1 + rng.below(4.min(input.len() - i));
            input.drain(i..i + n);
        }
        4 => {
            let cut = rng.below(input.len() + 1);
            input.truncate(cut);
        }
        5 => {
            // splice: our head, another seed's tail
            let head = rng.below(input.len() + 1);
            let tail = rng.below(other.len() + 1);
            input.truncate(head);
            input.extend_from_slice(&other[tail..]);
        }
        6 | 7 => {
            // a varint of an interesting size, inserted (6) or written over (7)
            let mut n = INTERESTING[rng.below(INTERESTING.len())];
            if rng.chance(30) {
                n = n.wrapping_add(rng.below(3) as u64).wrapping_sub(1);
            }
            let mut bytes = Vec::new();
            var(&mut bytes, n);
            let i = rng.below(input.len() + 1);
            let end = if rng.chance(50) {
                i
            } else {
                (i + bytes.len()).min(input.len())
            };
            input.splice(i..end, bytes);
        }
        8 => {
            let n = rng.below(24);
            let i = rng.below(input.len() + 1);
            let bytes: Vec<u8> = (0..n).map(|_| rng.next_u64() as u8).collect();
            input.splice(i..i, bytes);
        }
        9 if !input.is_empty() => {
            // repeat a chunk
            let i = rng.below(input.len());
            let n = 1 + rng.below(16.min(input.len() - i));
            let chunk = input[i..i + n].to_vec();
            let at = rng.below(input.len() + 1);
            input.splice(at..at, chunk);
        }
        _ => {
            // random bytes
            let n = rng.below(48);
            *input = (0..n).map(|_| rng.next_u64() as u8).collect();
        }
    }
}

/// The update inside a single-update frame, if that is what it holds.
fn inner_update(frame: &[u8]) -> Option<(u8, Vec<u8>)> {
    let (&kind, rest) = frame.split_first()?;
    let (&sync, rest) = rest.split_first()?;
    if kind != 0 || !(sync == 1 || sync == 2) {
        return None;
    }
    let mut len: u64 = 0;
    let mut at = 0;
    for shift in (0..64).step_by(7) {
        let byte = *rest.get(at)?;
        at += 1;
        len |= u64::from(byte & 0x7f) << shift;
        if byte & 0x80 == 0 {
            break;
        }
    }
    let payload = rest.get(at..)?;
    (payload.len() as u64 == len).then(|| (sync, payload.to_vec()))
}

fn wrap(sync: u8, update: &[u8]) -> Vec<u8> {
    let mut out = vec![0, sync];
    var(&mut out, update.len() as u64);
    out.extend_from_slice(update);
    out
}

// ----------------------------------------------------------- allocation ----

/// The system allocator, noting the largest single allocation made since
/// it was last asked: a few bytes that make a decoder reserve a lot are a
/// finding of their own (shown, not failed on).
struct Largest;

static LARGEST: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);

unsafe impl std::alloc::GlobalAlloc for Largest {
    unsafe fn alloc(&self, layout: std::alloc::Layout) -> *mut u8 {
        let ptr = unsafe { std::alloc::System.alloc(layout) };
        if !ptr.is_null() {
            LARGEST.fetch_max(layout.size(), std::sync::atomic::Ordering::Relaxed);
        }
        ptr
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: std::alloc::Layout) {
        unsafe { std::alloc::System.dealloc(ptr, layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: std::alloc::Layout, new_size: usize) -> *mut u8 {
        let ptr = unsafe { std::alloc::System.realloc(ptr, layout, new_size) };
        if !ptr.is_null() {
            LARGEST.fetch_max(new_size, std::sync::atomic::Ordering::Relaxed);
        }
        ptr
    }
}

#[global_allocator]
static ALLOCATOR: Largest = Largest;

fn take_largest() -> usize {
    LARGEST.swap(0, std::sync::atomic::Ordering::Relaxed)
}

// ------------------------------------------------------------- targets ----

/// Every panic, caught or not, with where it happened.
type Panics = Arc<Mutex<Vec<String>>>;

fn install_hook() -> Panics {
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

struct Targets {
    room: Room,
    plan: PlanDoc,
    gate: Gate,
    /// Executions since the room and the gate's plan were loaded.
    age: u32,
    /// What the room and the gate applied since, to replay a finding.
    room_log: Vec<(u64, Vec<u8>)>,
    gate_log: Vec<(Role, Vec<u8>)>,
}

const CONNS: [(u64, u128, Role, &str, &str); 4] = [
    (1, LRO, Role::Lro, "Police", ""),
    (2, COUNCIL, Role::Partner, "Council", "Pat (Council)"),
    (3, VIEWER, Role::Viewer, "Schools", "Val (Schools)"),
    (4, SIO, Role::Sio, "NCA", ""),
];

impl Targets {
    fn load(corpus: &Corpus) -> Targets {
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

fn writer(rng: &mut Rng) -> Writer<'static> {
    let (_, id, role, agency, _) = CONNS[rng.below(CONNS.len())];
    Writer {
        user: user(id),
        role,
        agency,
    }
}

fn pending<T: ReadTxn>(txn: &T) -> bool {
    txn.store().pending_update().is_some() || txn.store().pending_ds().is_some()
}

/// Runs the fuzzer; panics with the input on the first finding.
pub fn run(config: Config) -> Stats {
    let corpus = corpus();
    let mut stats = Stats {
        seeds: corpus.seeds.len(),
        ..Stats::default()
    };
    let mut rng = Rng::new(config.seed);
    let mut targets = Targets::load(&corpus);
    let panics = install_hook();
    let started = Instant::now();
    let mut finding: Option<String> = None;
    while stats.execs < config.execs && started.elapsed() < config.max_time {
        if targets.age >= 400 {
            targets = Targets::load(&corpus);
        }
        targets.age += 1;
        let seed = &corpus.seeds[rng.below(corpus.seeds.len())];
        let other = match &corpus.seeds[rng.below(corpus.seeds.len())] {
            Seed::Frame(b) | Seed::Update(b) => b.clone(),
        };
        let (mut input, is_frame) = match seed {
            Seed::Frame(b) => (b.clone(), true),
            Seed::Update(b) => (b.clone(), false),
        };
        // Mutate the update inside a frame (keeping its length right) or
        // the bytes as they are.
        let inner = if is_frame && rng.chance(40) {
            inner_update(&input)
        } else {
            None
        };
        // Mostly one mutation, so that more inputs get past the decoders.
        let rounds = [1, 1, 1, 1, 2, 2, 3, 4][rng.below(8)];
        match inner {
            Some((sync, mut update)) => {
                for _ in 0..rounds {
                    mutate(&mut rng, &mut update, &other);
                }
                input = wrap(sync, &update);
            }
            None => {
                for _ in 0..rounds {
                    mutate(&mut rng, &mut input, &other);
                }
            }
        }
        let conn = CONNS[rng.below(CONNS.len())].0;
        let who = writer(&mut rng);
        stats.execs += 1;
        take_largest();
        let outcome = catch_unwind(AssertUnwindSafe(|| {
            exec(&mut targets, &mut stats, &panics, &input, is_frame, conn, &who)
        }));
        let largest = take_largest();
        if largest > stats.largest_alloc {
            stats.largest_alloc = largest;
            stats.largest_alloc_input = input.clone();
        }
        let caught = std::mem::take(&mut *panics.lock().unwrap());
        let problem = match outcome {
            Err(_) => Some(format!("a panic escaped: {}", caught.join("; "))),
            Ok(Err(problem)) => Some(problem),
            Ok(Ok(())) => None,
        };
        if let Some(problem) = problem {
            let panicked = problem.contains("panic");
            stats.panics += u64::from(panicked);
            let kind = if is_frame { "frame" } else { "update" };
            let input = format!(
                "{kind} input (room conn {conn}; gate writer {:?} of {}): {}",
                who.role,
                who.agency,
                hex(&input)
            );
            if config.keep_going && !panicked {
                stats.findings += 1;
                if stats.finding_examples.len() < 3 {
                    stats.finding_examples.push(format!("{problem}; {input}"));
                }
                targets = Targets::load(&corpus);
                continue;
            }
            let replay = |log: &[(String, Vec<u8>)]| -> String {
                log.iter()
                    .map(|(who, bytes)| format!("\n  {who}: {}", hex(bytes)))
                    .collect()
            };
            let room_log: Vec<(String, Vec<u8>)> = targets
                .room_log
                .iter()
                .map(|(c, f)| (format!("conn {c}"), f.clone()))
                .collect();
            let gate_log: Vec<(String, Vec<u8>)> = targets
                .gate_log
                .iter()
                .map(|(r, u)| (format!("{r:?}"), u.clone()))
                .collect();
            finding = Some(format!(
                "{problem}\n{input}\n\
                 after these frames applied by the room since it was loaded from the corpus plan:{}\n\
                 and these updates applied by the gate:{}",
                replay(&room_log),
                replay(&gate_log)
            ));
            break;
        }
    }
    stats.elapsed = started.elapsed();
    let _ = std::panic::take_hook();
    if let Some(finding) = finding {
        panic!(
            "fuzzing found a problem after {} executions (seed {:#x}):\n{finding}\n{}",
            stats.execs,
            config.seed,
            stats.summary()
        );
    }
    stats
}

fn exec(
    targets: &mut Targets,
    stats: &mut Stats,
    panics: &Panics,
    input: &[u8],
    is_frame: bool,
    conn: u64,
    who: &Writer,
) -> Result<(), String> {
    // The room, with the bytes as a frame (an update seed goes in an
    // update message).
    let frame = if is_frame {
        input.to_vec()
    } else {
        update_frame(input.to_vec())
    };
    let received: Received = targets.room.receive(conn, &frame);
    let caught = std::mem::take(&mut *panics.lock().unwrap());
    if !caught.is_empty() {
        // The protocol runs yrs' decoders behind a guard that turns a panic
        // into a refused frame: that is the guard working (yrs is not
        // ours), counted and shown, not a finding. Anything else is.
        let in_yrs = caught.iter().all(|p| p.contains("/yrs-"));
        if in_yrs && received.rejected.is_some() && received.broken.is_none() && received.updates.is_empty() {
            stats.guarded += caught.len() as u64;
            stats
                .guarded_example
                .get_or_insert_with(|| format!("{} (frame {})", caught.join("; "), hex(&frame)));
        } else {
            return Err(format!("a panic was caught inside the room: {}", caught.join("; ")));
        }
    }
    if let Some(broken) = &received.broken {
        return Err(format!(
            "the room admitted an update yrs could not apply whole: {broken}"
        ));
    }
    if !received.updates.is_empty() {
        stats.room_applied += 1;
        targets.room_log.push((conn, frame.clone()));
        if pending(&targets.room.plan().transact()) {
            return Err("the room's plan holds pending state after an admitted update".into());
        }
    } else if received.denied.is_some() {
        stats.room_denied += 1;
    } else if received.rejected.is_some() {
        stats.room_malformed += 1;
    } else {
        stats.room_other += 1;
    }
    // The decoder and the gate, with the bytes as an update (a frame seed
    // too: what the decoder makes of any bytes).
    if decode::decode(input).is_ok() {
        stats.decoded += 1;
    }
    let update = if is_frame {
        match inner_update(input) {
            Some((_, update)) => update,
            None => return Ok(()),
        }
    } else {
        input.to_vec()
    };
    match targets.gate.admit(&targets.plan, who, &update) {
        Ok(Admission::Applied { .. }) => {
            stats.gate_applied += 1;
            targets.gate_log.push((who.role, update.clone()));
            if pending(&targets.plan.transact()) {
                return Err("the plan holds pending state after an admitted update".into());
            }
        }
        Ok(Admission::Nothing) => stats.gate_nothing += 1,
        Err(Refusal::Denied { .. }) => stats.gate_denied += 1,
        Err(Refusal::Malformed(_)) => stats.gate_malformed += 1,
        Err(Refusal::Broken(why)) => {
            return Err(format!("the gate admitted an update yrs could not apply whole: {why}"));
        }
    }
    Ok(())
}
