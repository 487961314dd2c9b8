//! The admission property, shared by `tests/admission_property.rs` (a few
//! hundred cases in CI) and `benches/admission_property.rs` (10,000 cases
//! in release).
//!
//! Each case starts a plan and a "server" holding it behind a [`Gate`],
//! members with their own replicas (an LRO, an SIO, two partners and a
//! viewer), and an "observer" replica that receives exactly the updates the
//! gate admits, as a relay would. Then, from a seeded PRNG, members send
//! honest edits (now, later, or after a gap), hostile ones (what their
//! role may not change, outside the plan model, under other users' client
//! ids), and hand-built deletions (of ids in the future, in the past, and
//! ranges that span both). After every update the property checks:
//!
//! - (a) a refusal (and `Nothing`) leaves the server's state vector, its
//!   whole state and its export unchanged;
//! - (b) an admitted update makes only changes the sender's role may make,
//!   judged by comparing the export (and every root as JSON) before and
//!   after, independently of the gate's own rules; and writes only under
//!   client ids that are the sender's (or nobody's yet);
//! - (c) the observer's export, roots and state vector equal the server's,
//!   and neither holds anything pending;
//! - (d) honest updates are admitted: everything the LRO or SIO sends in
//!   order; partners' edits of their own actions from an in-sync replica;
//!   a sync step 2 with nothing new, or an update sent again, is `Nothing`.
//!
//! After a refusal the sender's replica is replaced by a fresh copy of the
//! server's state under a new client id, as the browser does.

#![allow(dead_code)]

use plan::access::{same_agency, Role, PARTNER_ACTION_FIELDS};
use plan::admission::{Admission, Gate, Refusal, Writer};
use plan::{
    Action, ActionChange, Disruption, HeaderText, NewAction, PlanDoc, PlanExport, RagStatus, ReviewIntervals, Section,
    SecurityMarking, SubjectKind, Tier, P, STANDARD_OBJECTIVES,
};
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fmt::Write as _;
use std::sync::{Arc, Mutex};
use yrs::types::{RootRef, ToJson};
use yrs::updates::decoder::Decode;
use yrs::{Any, Map, MapPrelim, MapRef, Out, ReadTxn, StateVector, Text, TextPrelim, TransactionMut, Update};

// ---------------------------------------------------------------- PRNG ----

/// splitmix64: tiny, seedable, good enough to pick edits.
#[derive(Debug, Clone)]
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

    /// Uniform in `0..n` (`n > 0`).
    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n as u64) as usize
    }

    /// Uniform in `lo..=hi`.
    pub fn range(&mut self, lo: u32, hi: u32) -> u32 {
        lo + (self.next_u64() % u64::from(hi - lo + 1)) as u32
    }

    /// True with probability `percent`/100.
    pub fn chance(&mut self, percent: u64) -> bool {
        self.next_u64() % 100 < percent
    }

    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }

    /// An index chosen by weight.
    pub fn weighted(&mut self, weights: &[u32]) -> usize {
        let total: u32 = weights.iter().sum();
        let mut at = self.range(0, total - 1);
        for (i, w) in weights.iter().enumerate() {
            if at < *w {
                return i;
            }
            at -= w;
        }
        weights.len() - 1
    }

    /// An id for a new action or objective, as a v4 UUID.
    pub fn id(&mut self) -> String {
        let bytes = (u128::from(self.next_u64()) << 64 | u128::from(self.next_u64())).to_le_bytes();
        uuid::Builder::from_random_bytes(bytes).into_uuid().to_string()
    }

    /// A short string with ASCII, accents, CJK and astral characters (two
    /// UTF-16 units each: text offsets in the plan count UTF-16 units).
    pub fn text(&mut self, min: usize, max: usize) -> String {
        const PIECES: [&str; 14] = ["a", "b", "z", " ", "Q", "7", "é", "ß", "中", "😀", "🚓", "\n", "-", "Ω"];
        let len = min + self.below(max - min + 1);
        (0..len).map(|_| *self.pick(&PIECES)).collect()
    }
}

/// The seed of case `i` of a run seeded `master`: case 0 is `master`
/// itself, so a failing case replays with `PILLARS_PROPERTY_CASES=1`.
pub fn case_seed(master: u64, i: u64) -> u64 {
    master.wrapping_add(i.wrapping_mul(0xd1b5_4a32_d192_ed03))
}

// -------------------------------------------------------------- config ----

#[derive(Debug, Clone, Copy)]
pub struct Config {
    pub cases: u64,
    pub steps: usize,
    pub seed: u64,
    /// Also send items of deleted content written over map entries
    /// (`PILLARS_PROPERTY_OVERWRITES=1`): off by default while the gate
    /// admits some (see `tests/admission_findings.rs`).
    pub overwrites: bool,
}

impl Config {
    /// `PILLARS_PROPERTY_CASES` (default `cases`) and
    /// `PILLARS_PROPERTY_SEED` (decimal, `0x` hex, or `random`).
    pub fn from_env(cases: u64, steps: usize) -> Config {
        let cases = std::env::var("PILLARS_PROPERTY_CASES")
            .ok()
            .map(|v| v.trim().parse().expect("PILLARS_PROPERTY_CASES is a number"))
            .unwrap_or(cases);
        let steps = std::env::var("PILLARS_PROPERTY_STEPS")
            .ok()
            .map(|v| v.trim().parse().expect("PILLARS_PROPERTY_STEPS is a number"))
            .unwrap_or(steps);
        let seed = match std::env::var("PILLARS_PROPERTY_SEED") {
            Ok(v) if v.trim() == "random" => {
                let nanos = std::time::SystemTime::now()
                    .duration_since(std::time::UNIX_EPOCH)
                    .unwrap()
                    .as_nanos() as u64;
                Rng::new(nanos).next_u64()
            }
            Ok(v) => parse_seed(v.trim()).expect("PILLARS_PROPERTY_SEED is a number, 0x hex, or `random`"),
            Err(_) => 0x005e_ed0f_ad31_5510,
        };
        let overwrites = std::env::var("PILLARS_PROPERTY_OVERWRITES").is_ok_and(|v| v.trim() == "1");
        Config {
            cases,
            steps,
            seed,
            overwrites,
        }
    }
}

fn parse_seed(v: &str) -> Option<u64> {
    match v.strip_prefix("0x").or_else(|| v.strip_prefix("0X")) {
        Some(hex) => u64::from_str_radix(&hex.replace('_', ""), 16).ok(),
        None => v.replace('_', "").parse().ok(),
    }
}

// --------------------------------------------------------------- tally ----

/// What came of every update sent, by kind of step.
#[derive(Debug, Default, Clone)]
pub struct Tally {
    pub cases: u64,
    pub steps: u64,
    pub sent: u64,
    pub applied: u64,
    pub nothing: u64,
    pub denied: u64,
    pub malformed: u64,
    /// kind → [applied, nothing, denied, malformed]
    pub by_kind: BTreeMap<&'static str, [u64; 4]>,
}

impl Tally {
    fn record(&mut self, kind: &'static str, outcome: &Result<Admission, Refusal>) {
        self.sent += 1;
        let slot = match outcome {
            Ok(Admission::Applied { .. }) => 0,
            Ok(Admission::Nothing) => 1,
            Err(Refusal::Denied { .. }) => 2,
            Err(_) => 3,
        };
        *[
            &mut self.applied,
            &mut self.nothing,
            &mut self.denied,
            &mut self.malformed,
        ][slot] += 1;
        self.by_kind.entry(kind).or_default()[slot] += 1;
    }

    pub fn admitted(&self) -> u64 {
        self.applied + self.nothing
    }

    pub fn refused(&self) -> u64 {
        self.denied + self.malformed
    }

    pub fn summary(&self) -> String {
        let mut out = format!(
            "{} cases, {} steps, {} updates sent: {} admitted ({} applied, {} nothing new), {} refused ({} denied, {} malformed)\n",
            self.cases,
            self.steps,
            self.sent,
            self.admitted(),
            self.applied,
            self.nothing,
            self.refused(),
            self.denied,
            self.malformed
        );
        out.push_str("  kind                      applied  nothing   denied malformed\n");
        for (kind, [a, n, d, m]) in &self.by_kind {
            let _ = writeln!(out, "  {kind:<24} {a:>8} {n:>8} {d:>8} {m:>8}");
        }
        out
    }
}

// ----------------------------------------------------------------- run ----

/// Runs `config.cases` cases; panics on the first failing one, naming its
/// seed and the steps that led to it.
pub fn run(config: Config) -> Tally {
    let mut tally = Tally::default();
    for i in 0..config.cases {
        let seed = case_seed(config.seed, i);
        let mut world = None;
        let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            let w = world.insert(World::new(seed));
            w.overwrites = config.overwrites;
            w.run(config.steps, &mut tally)
        }));
        let failure = match outcome {
            Ok(Ok(())) => None,
            Ok(Err(message)) => Some(message),
            Err(panic) => Some(format!("panicked: {}", panic_message(&*panic))),
        };
        if let Some(message) = failure {
            let log = world.map(|w| w.log.join("\n")).unwrap_or_default();
            panic!(
                "admission property failed in case {i} of {}: {message}\n\
                 replay: PILLARS_PROPERTY_SEED={seed:#x} PILLARS_PROPERTY_CASES=1 PILLARS_PROPERTY_STEPS={}{}\n\
                 steps:\n{log}",
                config.cases,
                config.steps,
                if config.overwrites {
                    " PILLARS_PROPERTY_OVERWRITES=1"
                } else {
                    ""
                }
            );
        }
        tally.cases += 1;
    }
    tally
}

pub fn panic_message(panic: &(dyn std::any::Any + Send)) -> String {
    panic
        .downcast_ref::<String>()
        .cloned()
        .or_else(|| panic.downcast_ref::<&str>().map(|s| s.to_string()))
        .unwrap_or_else(|| "(not a string)".into())
}

macro_rules! ensure {
    ($cond:expr, $($fmt:tt)+) => {
        if !$cond {
            return Err(format!($($fmt)+));
        }
    };
}

// --------------------------------------------------------------- world ----

const AGENCIES: [&str; 8] = [
    "Police",
    "Council",
    "COUNCIL",
    " council ",
    "Fire Service",
    "NCA",
    "Schools",
    "",
];
const ACTION_KEYS: [&str; 10] = [
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
const LEGACY_CLIENT: u64 = 2;
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

/// A plan's every root, as JSON, by name.
type Roots = BTreeMap<String, Any>;

struct Snapshot {
    sv: StateVector,
    state: Vec<u8>,
    export: PlanExport,
    roots: Roots,
    /// Each action's shared-type fields (`ps` a map; `text`, `owner_name`,
    /// `update` texts) that hold the type they should.
    structure: BTreeMap<String, BTreeSet<&'static str>>,
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
    overwrites: bool,
    pub log: Vec<String>,
}

fn doc_as(client: u64) -> yrs::Doc {
    yrs::Doc::with_options(yrs::Options {
        client_id: yrs::ClientID::new(client),
        offset_kind: yrs::OffsetKind::Utf16,
        ..Default::default()
    })
}

/// A replica of `plan`'s state writing under `client`.
fn replica_as(plan: &PlanDoc, client: u64) -> PlanDoc {
    replica_of(&plan.encode_state(), client)
}

/// A replica of a plan's `state` writing under `client`.
fn replica_of(state: &[u8], client: u64) -> PlanDoc {
    let replica = PlanDoc::new(doc_as(client));
    let update = Update::decode_v1(state).expect("a plan's state decodes");
    replica
        .transact_mut()
        .apply_update(update)
        .expect("a plan's state applies");
    replica
}

fn pending<T: ReadTxn>(txn: &T) -> bool {
    txn.store().pending_update().is_some() || txn.store().pending_ds().is_some()
}

fn export(plan: &PlanDoc) -> PlanExport {
    plan.export(&plan.transact(), uuid::Uuid::nil(), &ReviewIntervals::default())
}

fn roots(plan: &PlanDoc) -> Roots {
    let txn = plan.transact();
    txn.root_refs()
        .map(|(name, out)| (name.to_string(), out.to_json(&txn)))
        .collect()
}

fn snapshot(plan: &PlanDoc) -> Snapshot {
    let txn = plan.transact();
    Snapshot {
        sv: txn.state_vector(),
        state: txn.encode_state_as_update_v1(&StateVector::default()),
        export: plan.export(&txn, uuid::Uuid::nil(), &ReviewIntervals::default()),
        roots: txn
            .root_refs()
            .map(|(name, out)| (name.to_string(), out.to_json(&txn)))
            .collect(),
        structure: structure(&txn),
    }
}

fn structure<T: ReadTxn>(txn: &T) -> BTreeMap<String, BTreeSet<&'static str>> {
    let Some(actions) = MapRef::root("actions").get(txn) else {
        return BTreeMap::new();
    };
    actions
        .iter(txn)
        .filter_map(|(id, entry)| match entry {
            Out::YMap(map) => {
                let fields = ["ps", "text", "owner_name", "update"]
                    .into_iter()
                    .filter(|key| match map.get(txn, key) {
                        Some(Out::YMap(_)) => *key == "ps",
                        Some(Out::YText(_)) => *key != "ps",
                        _ => false,
                    })
                    .collect();
                Some((id.to_string(), fields))
            }
            _ => None,
        })
        .collect()
}

/// Makes an edit on `plan` and returns the update it produced: the one the
/// document reports for the transaction (what a browser sends) or, with
/// `diff`, the difference from the state before (what a sync step 2 holds:
/// the new structs and the whole delete set). `None` if nothing changed.
fn edit(
    plan: &PlanDoc,
    diff: bool,
    change: impl FnOnce(&PlanDoc, &mut TransactionMut) -> Option<String>,
) -> (Option<(Vec<u8>, bool)>, Option<String>) {
    let before = plan.transact().state_vector();
    let captured: Arc<Mutex<Vec<Vec<u8>>>> = Arc::default();
    let sink = captured.clone();
    plan.doc()
        .observe_update_v1("property", move |_, e| sink.lock().unwrap().push(e.update.clone()))
        .unwrap();
    let created = change(plan, &mut plan.transact_mut());
    plan.doc().unobserve_update_v1("property").unwrap();
    let observed = captured.lock().unwrap().pop();
    let Some(observed) = observed else {
        return (None, created);
    };
    let txn = plan.transact();
    let added = txn.state_vector() != before;
    let update = if diff {
        txn.encode_state_as_update_v1(&before)
    } else {
        observed
    };
    (Some((update, added)), created)
}

// ---- hand-built updates (lib0 v1) ----

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

/// An update with no structs that deletes these `(client, [(clock, len)])`.
fn deletes(ranges: &[(u64, Vec<(u32, u32)>)]) -> Vec<u8> {
    let mut out = vec![0];
    var(&mut out, ranges.len() as u64);
    for (client, list) in ranges {
        var(&mut out, *client);
        var(&mut out, list.len() as u64);
        for (clock, len) in list {
            var(&mut out, u64::from(*clock));
            var(&mut out, u64::from(*len));
        }
    }
    out
}

/// An update holding one skip struct of `client` at `clock` and nothing else.
fn skip(client: u64, clock: u32, len: u32) -> Vec<u8> {
    let mut out = Vec::new();
    for n in [1, 1, client, u64::from(clock), 10, u64::from(len), 0] {
        var(&mut out, n);
    }
    out
}

/// An update of one item, `client#clock`, holding one unit of deleted
/// content, written right after the item `after` (its left origin).
fn deleted_after(client: u64, clock: u32, after: (u64, u32)) -> Vec<u8> {
    let mut out = Vec::new();
    for n in [1, 1, client, u64::from(clock)] {
        var(&mut out, n);
    }
    out.push(0b1000_0001); // a left origin; content kind 1, deleted
    var(&mut out, after.0);
    var(&mut out, u64::from(after.1));
    var(&mut out, 1);
    out.push(0);
    out
}

/// A plan's deleted ranges, as yrs encodes them in its `state`.
fn deleted_ranges(state: &[u8]) -> Vec<(u64, u32, u32)> {
    let update = Update::decode_v1(state).unwrap();
    let mut out = Vec::new();
    for (client, ranges) in update.delete_set().iter() {
        for range in ranges.iter() {
            out.push((client.get(), range.start, range.end));
        }
    }
    out
}

impl World {
    pub fn new(seed: u64) -> World {
        let mut rng = Rng::new(seed);
        let (origin, actions) = seed_plan(&mut rng);
        let server = replica_as(&origin, SERVER_CLIENT);
        let gate = Gate::load(&server, [(LRO_CLIENT, user(1))]);
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

    fn run(&mut self, steps: usize, tally: &mut Tally) -> Result<(), String> {
        for step in 0..steps {
            // The relay delivers admitted updates; some replicas lag.
            for m in 0..self.members.len() {
                if self.rng.chance(60) {
                    let upto = if self.rng.chance(80) {
                        self.history.len()
                    } else {
                        self.members[m].delivered + self.rng.below(self.history.len() - self.members[m].delivered + 1)
                    };
                    self.deliver(m, upto)?;
                }
            }
            let m = self.rng.weighted(&[15, 10, 27, 23, 25]);
            if self.members[m].reload {
                let member = &mut self.members[m];
                member.replica = replica_of(&self.seen.state, member.client);
                member.delivered = self.history.len();
                member.reload = false;
            }
            self.check_replica(m)?;
            self.log.push(format!("step {step}: {}", self.members[m].name));
            self.step(m, tally)?;
            tally.steps += 1;
        }
        Ok(())
    }

    fn deliver(&mut self, m: usize, upto: usize) -> Result<(), String> {
        let member = &mut self.members[m];
        if member.reload {
            return Ok(());
        }
        for update in &self.history[member.delivered..upto] {
            let update = Update::decode_v1(update).map_err(|e| e.to_string())?;
            let mut txn = member.replica.transact_mut();
            txn.apply_update(update)
                .map_err(|e| format!("{}'s replica could not apply a relayed update: {e}", member.name))?;
            ensure!(
                !pending(&txn),
                "{}'s replica has pending state after a relayed update",
                member.name
            );
        }
        member.delivered = member.delivered.max(upto);
        Ok(())
    }

    /// A replica with every relayed update and nothing unsent reads as the
    /// server does.
    fn check_replica(&self, m: usize) -> Result<(), String> {
        let member = &self.members[m];
        if !member.reload && member.delivered == self.history.len() && member.held.is_empty() {
            ensure!(
                export(&member.replica) == self.seen.export,
                "{}'s in-sync replica reads differently from the server",
                member.name
            );
        }
        Ok(())
    }

    fn in_sync(&self, m: usize) -> bool {
        self.members[m].delivered == self.history.len() && self.members[m].held.is_empty()
    }

    fn step(&mut self, m: usize, tally: &mut Tally) -> Result<(), String> {
        let role = self.members[m].role;
        let has_held = !self.members[m].held.is_empty();
        // honest, flush, gap, hostile, impostor, future, past, overlap,
        // present, replay, step 2, whole state, skip, corrupt, overwrite
        let overwrite = if self.overwrites { 6 } else { 0 };
        let weights: [u32; 15] = match role {
            Role::Viewer => [0, 0, 0, 30, 8, 6, 6, 6, 5, 6, 15, 8, 2, 3, overwrite],
            _ => [
                34,
                if has_held { 10 } else { 0 },
                if has_held { 10 } else { 0 },
                16,
                6,
                4,
                4,
                4,
                3,
                3,
                5,
                2,
                2,
                3,
                overwrite,
            ],
        };
        match self.rng.weighted(&weights) {
            0 => self.honest(m, tally),
            1 => self.flush(m, tally, "flush"),
            2 => self.gap(m, tally),
            3 => self.hostile(m, tally),
            4 => self.impostor(m, tally),
            5 => self.future_delete(m, tally),
            6 => self.past_delete(m, tally),
            7 => self.overlapping_delete(m, tally),
            8 => self.present_delete(m, tally),
            9 => self.replay(m, tally),
            10 => self.step2(m, tally, false),
            11 => self.step2(m, tally, true),
            12 => self.skip_struct(m, tally),
            13 => self.corrupt(m, tally),
            _ => self.overwrite(m, tally),
        }
    }

    // ---- steps ----

    fn honest(&mut self, m: usize, tally: &mut Tally) -> Result<(), String> {
        let replica = self.members[m].replica.clone();
        let diff = self.rng.chance(30);
        let (what, local) = match self.members[m].role {
            Role::Partner => self.partner_edit(m, &replica, diff),
            Role::Viewer => unreachable!("viewers make no honest edits"),
            _ => self.lro_edit(&replica, diff),
        };
        let Some((update, added)) = local else {
            self.log.push(format!("  honest {what}: no change"));
            return Ok(());
        };
        let local = Local {
            update,
            added,
            in_sync: self.members[m].delivered == self.history.len(),
            at: self.history.len(),
        };
        self.members[m].held.push(local);
        if self.rng.chance(30) {
            self.log.push(format!("  honest {what}: held"));
            return Ok(());
        }
        self.log.push(format!("  honest {what}"));
        self.flush(m, tally, "honest")
    }

    /// Sends every held update in order, as a reconnecting browser does.
    fn flush(&mut self, m: usize, tally: &mut Tally, kind: &'static str) -> Result<(), String> {
        let held = std::mem::take(&mut self.members[m].held);
        let expect = self.honest_expectation(m, &held);
        for (i, local) in held.iter().enumerate() {
            self.log.push(format!("  send held {i} of {}", held.len()));
            if !self.send(m, &local.update, expect, kind, tally)? {
                return Ok(()); // refused: the replica was replaced
            }
        }
        Ok(())
    }

    /// Honest updates sent in order: the LRO's and SIO's are always
    /// admitted; a partner's when nothing was admitted since it made them
    /// from an in-sync replica (otherwise an action it edits may have
    /// changed hands meanwhile).
    fn honest_expectation(&self, m: usize, held: &[Local]) -> Expect {
        let member = &self.members[m];
        match member.role {
            r if r.edits_everything() => Expect::Admit,
            Role::Partner if held.first().is_some_and(|l| l.in_sync && l.at == self.history.len()) => Expect::Admit,
            _ => Expect::Any,
        }
    }

    /// Makes one more edit and sends the held updates without the first.
    fn gap(&mut self, m: usize, tally: &mut Tally) -> Result<(), String> {
        let replica = self.members[m].replica.clone();
        let diff = self.rng.chance(30);
        let (_, local) = match self.members[m].role {
            Role::Partner => self.partner_edit(m, &replica, diff),
            _ => self.lro_edit(&replica, diff),
        };
        if let Some((update, added)) = local {
            let (in_sync, at) = (false, self.history.len());
            self.members[m].held.push(Local {
                update,
                added,
                in_sync,
                at,
            });
        }
        let held = std::mem::take(&mut self.members[m].held);
        let mut expect = if held.len() >= 2 && held[0].added && held[1].added {
            Expect::Refuse
        } else {
            Expect::Any
        };
        self.log.push(format!("  gap: drop the first of {} held", held.len()));
        for local in &held[1..] {
            if !self.send(m, &local.update, expect, "gap", tally)? {
                return Ok(()); // refused: the replica was replaced
            }
            expect = Expect::Any;
        }
        // A browser that lost an update is out of step with the server: it reloads.
        self.replace(m);
        Ok(())
    }

    fn hostile(&mut self, m: usize, tally: &mut Tally) -> Result<(), String> {
        let replica = self.members[m].replica.clone();
        let diff = self.rng.chance(30);
        let role = self.members[m].role;
        let (what, local) = match role {
            Role::Partner => self.partner_attack(m, &replica, diff),
            Role::Viewer => {
                if self.rng.chance(50) {
                    self.lro_edit(&replica, diff)
                } else {
                    self.partner_edit(m, &replica, diff)
                }
            }
            _ => self.model_attack(&replica, diff),
        };
        let Some((update, _)) = local else {
            self.log.push(format!("  hostile {what}: no change"));
            return Ok(());
        };
        // From an in-sync replica every one of these is refused; from a
        // lagging one it may land in something already deleted.
        let expect = if self.in_sync(m) { Expect::Refuse } else { Expect::Any };
        self.log.push(format!("  hostile {what}"));
        self.send(m, &update, expect, "hostile", tally)?;
        Ok(())
    }

    /// An edit made on a copy of the server's state under someone else's
    /// client id (one the plan already has).
    fn impostor(&mut self, m: usize, tally: &mut Tally) -> Result<(), String> {
        let sv = self.seen.sv.clone();
        let mut clients: Vec<u64> = sv
            .iter()
            .map(|(c, _)| c.get())
            .filter(|c| *c != self.members[m].client)
            .collect();
        clients.sort();
        if clients.is_empty() {
            return Ok(());
        }
        let victim = *self.rng.pick(&clients);
        let impostor = replica_of(&self.seen.state, victim);
        let diff = self.rng.chance(30);
        let (what, local) = match self.members[m].role {
            Role::Partner => self.partner_edit(m, &impostor, diff),
            _ => self.lro_edit(&impostor, diff),
        };
        let Some((update, added)) = local else {
            return Ok(());
        };
        let owner = self.owners.get(&victim).copied();
        let me = &self.members[m];
        // A copy of the server's state is in sync: the user's own old
        // client id takes its honest edits; anyone else's refuses them. An
        // edit that only deletes writes under no client id.
        let expect = match owner {
            _ if me.role == Role::Viewer => Expect::Refuse,
            Some(o) if o == me.user => Expect::Admit,
            _ if !added => Expect::Admit,
            _ => Expect::Refuse,
        };
        self.log
            .push(format!("  impostor under client {victim} ({owner:?}): {what}"));
        self.send(m, &update, expect, "impostor", tally)?;
        Ok(())
    }

    /// Any client the plan or a member knows: the server's clients and the
    /// members' current ones (whose next clocks are public).
    fn some_client(&mut self) -> u64 {
        let mut clients: BTreeSet<u64> = self
            .server
            .transact()
            .state_vector()
            .iter()
            .map(|(c, _)| c.get())
            .collect();
        clients.extend(self.members.iter().map(|m| m.client));
        let clients: Vec<u64> = clients.into_iter().collect();
        *self.rng.pick(&clients)
    }

    fn server_clock(&self, client: u64) -> u32 {
        self.server.transact().state_vector().get(&yrs::ClientID::new(client))
    }

    fn future_delete(&mut self, m: usize, tally: &mut Tally) -> Result<(), String> {
        let victim = self.some_client();
        let start = self.server_clock(victim) + self.rng.range(0, 2);
        let len = self.rng.range(1, 6);
        self.log.push(format!("  delete {victim}#{start}+{len} (future)"));
        self.send(
            m,
            &deletes(&[(victim, vec![(start, len)])]),
            Expect::Refuse,
            "future delete",
            tally,
        )?;
        Ok(())
    }

    fn past_delete(&mut self, m: usize, tally: &mut Tally) -> Result<(), String> {
        let deleted = deleted_ranges(&self.seen.state);
        if deleted.is_empty() {
            return self.future_delete(m, tally);
        }
        let count = self.rng.range(1, 3.min(deleted.len() as u32));
        let mut by_client: BTreeMap<u64, Vec<(u32, u32)>> = BTreeMap::new();
        for _ in 0..count {
            let (client, start, end) = *self.rng.pick(&deleted);
            let from = self.rng.range(start, end - 1);
            let to = self.rng.range(from + 1, end);
            by_client.entry(client).or_default().push((from, to - from));
        }
        let ranges: Vec<(u64, Vec<(u32, u32)>)> = by_client
            .into_iter()
            .map(|(c, mut list)| {
                list.sort();
                (c, list)
            })
            .collect();
        self.log.push(format!("  delete {ranges:?} (past)"));
        self.send(m, &deletes(&ranges), Expect::NothingOrNoop, "past delete", tally)?;
        Ok(())
    }

    fn overlapping_delete(&mut self, m: usize, tally: &mut Tally) -> Result<(), String> {
        let sv = self.seen.sv.clone();
        let mut known: Vec<(u64, u32)> = sv.iter().map(|(c, n)| (c.get(), *n)).filter(|(_, n)| *n > 0).collect();
        known.sort();
        let (victim, next) = *self.rng.pick(&known);
        let start = next - self.rng.range(1, next.min(4));
        let end = next + self.rng.range(1, 4);
        let mut ranges = vec![(victim, vec![(start, end - start)])];
        if self.rng.chance(30) {
            // and, for another client, something already deleted
            if let Some(&(client, s, e)) = deleted_ranges(&self.seen.state).iter().find(|(c, _, _)| *c != victim) {
                ranges.push((client, vec![(s, e - s)]));
            }
        }
        self.log
            .push(format!("  delete {ranges:?} (overlapping the next clock {next})"));
        self.send(m, &deletes(&ranges), Expect::Refuse, "overlapping delete", tally)?;
        Ok(())
    }

    /// Deletes a random range of ids the plan has (deleted or not).
    fn present_delete(&mut self, m: usize, tally: &mut Tally) -> Result<(), String> {
        let sv = self.seen.sv.clone();
        let mut known: Vec<(u64, u32)> = sv.iter().map(|(c, n)| (c.get(), *n)).filter(|(_, n)| *n > 0).collect();
        known.sort();
        let (victim, next) = *self.rng.pick(&known);
        let start = self.rng.range(0, next - 1);
        let len = self.rng.range(1, (next - start).min(6));
        self.log.push(format!("  delete {victim}#{start}+{len} (present)"));
        self.send(
            m,
            &deletes(&[(victim, vec![(start, len)])]),
            Expect::Any,
            "present delete",
            tally,
        )?;
        Ok(())
    }

    fn replay(&mut self, m: usize, tally: &mut Tally) -> Result<(), String> {
        if self.history.is_empty() {
            return self.step2(m, tally, false);
        }
        let i = self.rng.below(self.history.len());
        let update = self.history[i].clone();
        self.log.push(format!("  replay admitted update {i}"));
        self.send(m, &update, Expect::Nothing, "replay", tally)?;
        Ok(())
    }

    /// The answer to the server's sync step 1 (`whole`: the replica's whole
    /// state). With nothing held it adds nothing.
    fn step2(&mut self, m: usize, tally: &mut Tally, whole: bool) -> Result<(), String> {
        let held = std::mem::take(&mut self.members[m].held);
        let expect = if held.is_empty() {
            Expect::Nothing
        } else {
            self.honest_expectation(m, &held)
        };
        let sv = if whole {
            StateVector::default()
        } else {
            self.seen.sv.clone()
        };
        let update = self.members[m].replica.transact().encode_state_as_update_v1(&sv);
        self.log.push(format!(
            "  sync step 2 ({}, {} held)",
            if whole { "whole state" } else { "diff" },
            held.len()
        ));
        self.send(
            m,
            &update,
            expect,
            if whole { "whole state" } else { "sync step 2" },
            tally,
        )?;
        Ok(())
    }

    fn skip_struct(&mut self, m: usize, tally: &mut Tally) -> Result<(), String> {
        let client = if self.rng.chance(50) {
            self.members[m].client
        } else {
            self.some_client()
        };
        let clock = self.server_clock(client);
        let len = self.rng.range(1, 4);
        self.log.push(format!("  skip struct {client}#{clock}+{len}"));
        self.send(m, &skip(client, clock, len), Expect::Refuse, "skip", tally)?;
        Ok(())
    }

    /// Deleted content written over a map entry: yrs takes it as the
    /// entry's new value and deletes the one it follows. Over a shared-type
    /// field of an existing action (the sender's own, for a partner), or
    /// over any entry of an action the same update adds.
    fn overwrite(&mut self, m: usize, tally: &mut Tally) -> Result<(), String> {
        let client = self.new_client();
        let replica = replica_of(&self.seen.state, client);
        let role = self.members[m].role;
        let agency = self.members[m].agency.clone();
        let existing = self.actions_where(&replica, |a| {
            role != Role::Partner || same_agency(&a.owner_agency, &agency)
        });
        if existing.is_empty() || self.rng.chance(50) {
            // a new action, then deleted content over one of its entries
            let owner = if role == Role::Partner {
                agency.clone()
            } else {
                self.rng.pick(&AGENCIES).to_string()
            };
            let action = new_action(&mut self.rng, owner);
            let id = self.rng.id();
            let (Some((add, _)), _) = edit(&replica, false, |_, t| Some(add_action(t, &id, &action))) else {
                return Ok(());
            };
            self.actions.push(id);
            let decoded = plan::admission::decode::decode(&add).map_err(|e| format!("our own update: {e}"))?;
            let keys: Vec<(String, u32)> = decoded
                .structs
                .iter()
                .filter_map(|s| match &s.kind {
                    plan::admission::decode::StructKind::Item(item) if s.id.client == client => item
                        .key
                        .as_ref()
                        .filter(|k| ACTION_KEYS.contains(&&***k))
                        .map(|k| (k.to_string(), s.id.clock)),
                    _ => None,
                })
                .collect();
            let (key, clock) = self.rng.pick(&keys).clone();
            let next = replica.transact().state_vector().get(&yrs::ClientID::new(client));
            let erase = deleted_after(client, next, (client, clock));
            let update = yrs::merge_updates_v1([add.as_slice(), erase.as_slice()]).map_err(|e| e.to_string())?;
            // A partner's new action must stay its agency's.
            let expect = if (role == Role::Partner && key == "owner_agency") || role == Role::Viewer {
                Expect::Refuse
            } else {
                Expect::Any
            };
            self.log
                .push(format!("  add an action and write deleted content over its {key}"));
            self.send(m, &update, expect, "overwrite", tally)?;
        } else {
            let id = self.rng.pick(&existing).clone();
            let key = *self.rng.pick(&["ps", "text", "owner_name", "update"]);
            let target = {
                let txn = replica.transact();
                let map = replica.action_ref(&txn, &id).unwrap();
                let branch = match map.get(&txn, key) {
                    Some(Out::YMap(m)) => AsRef::<yrs::branch::Branch>::as_ref(&m).id(),
                    Some(Out::YText(t)) => AsRef::<yrs::branch::Branch>::as_ref(&t).id(),
                    _ => return Ok(()),
                };
                match branch {
                    yrs::branch::BranchID::Nested(item) => (item.client.get(), item.clock),
                    yrs::branch::BranchID::Root(_) => return Ok(()),
                }
            };
            self.log
                .push(format!("  write deleted content over the {key} of action {id}"));
            // The model keeps an action's fields while it exists, whoever writes.
            self.send(m, &deleted_after(client, 0, target), Expect::Refuse, "overwrite", tally)?;
        }
        Ok(())
    }

    /// An honest-looking update with a byte changed, cut or spliced.
    fn corrupt(&mut self, m: usize, tally: &mut Tally) -> Result<(), String> {
        // Under a new client id: the member's own may have unsent updates at
        // the clocks the server expects next.
        let client = self.new_client();
        let replica = replica_of(&self.seen.state, client);
        let (what, local) = match self.members[m].role {
            Role::Partner => self.partner_edit(m, &replica, false),
            _ => self.lro_edit(&replica, false),
        };
        let Some((mut update, _)) = local else {
            return Ok(());
        };
        let how = self.rng.below(4);
        match how {
            0 => {
                let i = self.rng.below(update.len());
                update[i] ^= 1 << self.rng.below(8);
            }
            1 => update.truncate(self.rng.below(update.len())),
            2 => {
                let i = self.rng.below(update.len() + 1);
                update.insert(i, self.rng.next_u64() as u8);
            }
            _ => {
                let i = self.rng.below(update.len());
                update[i] = self.rng.next_u64() as u8;
            }
        }
        self.log.push(format!("  corrupted ({how}) {what}: {}", hex(&update)));
        self.send(m, &update, Expect::Any, "corrupt", tally)?;
        Ok(())
    }

    // ---- edits ----

    /// Whatever the LRO may do.
    fn lro_edit(&mut self, replica: &PlanDoc, diff: bool) -> (&'static str, Option<(Vec<u8>, bool)>) {
        let kind = self.rng.below(14);
        self.lro_edit_kind(replica, diff, kind)
    }

    /// Edit `kind`: 0..=6 outside the actions, 7.. on actions.
    fn lro_edit_kind(&mut self, replica: &PlanDoc, diff: bool, kind: usize) -> (&'static str, Option<(Vec<u8>, bool)>) {
        let rng = &mut self.rng;
        let existing: Vec<String> = {
            let txn = replica.transact();
            self.actions
                .iter()
                .filter(|id| replica.action(&txn, id).is_ok())
                .cloned()
                .collect()
        };
        let customs: Vec<String> = {
            let txn = replica.transact();
            self.customs
                .iter()
                .filter(|id| replica.custom_objective_ref(&txn, id).is_ok())
                .cloned()
                .collect()
        };
        let (what, result): (&'static str, _) = match kind {
            0 | 1 => {
                let section = *rng.pick(&Section::ALL);
                let value = rng.text(0, 12);
                (
                    "section text",
                    edit(replica, diff, |p, t| {
                        p.set_section_text(t, section, &value);
                        None
                    }),
                )
            }
            2 => {
                let field = *rng.pick(&HeaderText::ALL);
                let value = rng.text(0, 10);
                (
                    "header text",
                    edit(replica, diff, |p, t| {
                        p.set_header_text(t, field, &value);
                        None
                    }),
                )
            }
            3 => {
                let which = rng.below(4);
                let tier = *rng.pick(&Tier::ALL);
                let marking = *rng.pick(SecurityMarking::ALL);
                let kind = *rng.pick(SubjectKind::ALL);
                let review = rng
                    .chance(50)
                    .then(|| chrono::NaiveDate::from_ymd_opt(2026, 1 + rng.range(0, 11), 1).unwrap());
                (
                    "header value",
                    edit(replica, diff, |p, t| {
                        match which {
                            0 => p.set_tier(t, tier),
                            1 => p.set_marking(t, marking),
                            2 => p.set_subject_kind(t, kind),
                            _ => p.set_last_review(t, review),
                        }
                        None
                    }),
                )
            }
            4 => {
                let id = rng.pick(&STANDARD_OBJECTIVES).id;
                let on = rng.chance(60);
                (
                    "objective",
                    edit(replica, diff, |p, t| {
                        p.select_objective(t, id, on).unwrap();
                        None
                    }),
                )
            }
            5 => {
                let id = rng.pick(&plan::control_strategy::THREATS).id;
                let on = rng.chance(60);
                (
                    "threat",
                    edit(replica, diff, |p, t| {
                        p.tag_threat(t, id, on).unwrap();
                        None
                    }),
                )
            }
            6 => {
                let p_ = *rng.pick(P::ALL);
                let text = rng.text(1, 8);
                let choice = if customs.is_empty() { 0 } else { rng.below(3) };
                let new_id = rng.id();
                let target = (!customs.is_empty()).then(|| rng.pick(&customs).clone());
                let selected = rng.chance(50);
                let r = edit(replica, diff, |p, t| match (choice, target) {
                    (1, Some(id)) => {
                        p.set_custom_objective(t, &id, Some(&text), Some(selected)).unwrap();
                        None
                    }
                    (2, Some(id)) => {
                        p.remove_custom_objective(t, &id).unwrap();
                        None
                    }
                    _ => Some(add_custom_objective(t, &new_id, p_, &text)),
                });
                if let Some(id) = &r.1 {
                    self.customs.push(id.clone());
                }
                ("custom objective", (r.0, None))
            }
            7 | 8 if !existing.is_empty() => {
                let id = rng.pick(&existing).clone();
                let change = any_change(rng);
                (
                    "action field",
                    edit(replica, diff, |p, t| {
                        let _ = p.change_action(t, &id, &change);
                        None
                    }),
                )
            }
            9 if !existing.is_empty() => {
                let id = rng.pick(&existing).clone();
                (
                    "delete action",
                    edit(replica, diff, |p, t| {
                        p.delete_action(t, &id).unwrap();
                        None
                    }),
                )
            }
            10 if !existing.is_empty() => {
                let id = rng.pick(&existing).clone();
                let agency = rng.pick(&AGENCIES).to_string();
                (
                    "reassign action",
                    edit(replica, diff, |p, t| {
                        p.change_action(t, &id, &ActionChange::OwnerAgency(agency)).unwrap();
                        None
                    }),
                )
            }
            _ => {
                let agency = rng.pick(&AGENCIES).to_string();
                let action = new_action(rng, agency);
                let id = rng.id();
                (
                    "add action",
                    edit(replica, diff, |_, t| Some(add_action(t, &id, &action))),
                )
            }
        };
        let (local, created) = result;
        if let Some(id) = created {
            if what == "add action" {
                self.actions.push(id);
            }
        }
        (what, local)
    }

    /// What a partner may do: edit its own agency's actions' fields, add
    /// actions its agency owns.
    fn partner_edit(&mut self, m: usize, replica: &PlanDoc, diff: bool) -> (&'static str, Option<(Vec<u8>, bool)>) {
        let agency = self.members[m].agency.clone();
        let own = self.actions_where(replica, |a| same_agency(&a.owner_agency, &agency));
        let rng = &mut self.rng;
        if own.is_empty() || rng.chance(15) {
            let variant = match rng.below(3) {
                0 => agency.clone(),
                1 => agency.to_uppercase(),
                _ => format!("  {agency} "),
            };
            let action = new_action(rng, variant);
            let id = rng.id();
            let (local, created) = edit(replica, diff, |_, t| Some(add_action(t, &id, &action)));
            self.actions.extend(created);
            return ("add own action", local);
        }
        let id = rng.pick(&own).clone();
        let change = partner_change(rng);
        let (local, _) = edit(replica, diff, |p, t| {
            p.change_action(t, &id, &change).unwrap();
            None
        });
        ("own action field", local)
    }

    fn actions_where(&self, replica: &PlanDoc, keep: impl Fn(&Action) -> bool) -> Vec<String> {
        let txn = replica.transact();
        self.actions
            .iter()
            .filter(|id| replica.action(&txn, id).is_ok_and(|a| keep(&a)))
            .cloned()
            .collect()
    }

    /// What a partner may not do.
    fn partner_attack(&mut self, m: usize, replica: &PlanDoc, diff: bool) -> (&'static str, Option<(Vec<u8>, bool)>) {
        let agency = self.members[m].agency.clone();
        let own = self.actions_where(replica, |a| same_agency(&a.owner_agency, &agency));
        let others = self.actions_where(replica, |a| !same_agency(&a.owner_agency, &agency));
        let all: Vec<String> = own.iter().chain(&others).cloned().collect();
        let kind = self.rng.below(12);
        match kind {
            0 if !others.is_empty() => {
                let id = self.rng.pick(&others).clone();
                let change = any_change(&mut self.rng);
                let (local, _) = edit(replica, diff, |p, t| {
                    let _ = p.change_action(t, &id, &change);
                    None
                });
                ("another agency's action", local)
            }
            1 if !all.is_empty() => {
                let id = self.rng.pick(&all).clone();
                let (local, _) = edit(replica, diff, |p, t| {
                    p.delete_action(t, &id).unwrap();
                    None
                });
                ("delete an action", local)
            }
            2 if !own.is_empty() => {
                let id = self.rng.pick(&own).clone();
                let to = self.rng.pick(&AGENCIES).to_string();
                let (local, _) = edit(replica, diff, |p, t| {
                    p.change_action(t, &id, &ActionChange::OwnerAgency(to)).unwrap();
                    None
                });
                ("give its action away", local)
            }
            3 if !own.is_empty() => {
                let id = self.rng.pick(&own).clone();
                let p_ = *self.rng.pick(P::ALL);
                let on = self.rng.chance(60);
                let (local, _) = edit(replica, diff, |p, t| {
                    let _ = p.change_action(t, &id, &ActionChange::Align(p_, on));
                    None
                });
                ("align its action", local)
            }
            4 => {
                let to = loop {
                    let a = *self.rng.pick(&AGENCIES);
                    if !same_agency(a, &agency) {
                        break a.to_string();
                    }
                };
                let action = new_action(&mut self.rng, to);
                let id = self.rng.id();
                let (local, created) = edit(replica, diff, |_, t| Some(add_action(t, &id, &action)));
                self.actions.extend(created);
                ("add another agency's action", local)
            }
            5 | 6 if !own.is_empty() => {
                let id = self.rng.pick(&own).clone();
                self.field_attack(replica, diff, &id)
            }
            7 => {
                let evil = replica.doc().get_or_insert_text("evil");
                let text = self.rng.text(1, 4);
                let (local, _) = edit(replica, diff, |_, t| {
                    evil.push(t, &text);
                    None
                });
                ("unknown root", local)
            }
            _ => {
                // what only the LRO, plan owner or SIO may do, outside the actions
                let kind = self.rng.below(7);
                self.lro_edit_kind(replica, diff, kind)
            }
        }
    }

    /// Outside the model, on an existing action: the LRO may not either.
    fn field_attack(&mut self, replica: &PlanDoc, diff: bool, id: &str) -> (&'static str, Option<(Vec<u8>, bool)>) {
        let actions = replica.doc().get_or_insert_map("actions");
        let how = self.rng.below(5);
        let field = *self.rng.pick(&["text", "update", "owner_name", "ps"]);
        let (local, _) = edit(replica, diff, |p, t| {
            let map = p.action_ref(t, id).unwrap();
            match how {
                0 => {
                    map.insert(t, "colour", "red");
                }
                1 if field == "ps" => {
                    map.insert(t, "ps", MapPrelim::default());
                }
                1 => {
                    map.insert(t, field, TextPrelim::new("replaced"));
                }
                2 => {
                    map.insert(t, "status", MapPrelim::default());
                }
                3 => {
                    actions.insert(t, id, MapPrelim::default());
                }
                _ => {
                    actions.insert(t, id, "gone");
                }
            }
            None
        });
        (
            [
                "unknown key",
                "new shared type",
                "map for a value",
                "replace the action",
                "action as a value",
            ][how],
            local,
        )
    }

    /// Outside the model: refused even for the LRO.
    fn model_attack(&mut self, replica: &PlanDoc, diff: bool) -> (&'static str, Option<(Vec<u8>, bool)>) {
        let existing = self.actions_where(replica, |_| true);
        match self.rng.below(4) {
            0 if !existing.is_empty() => {
                let id = self.rng.pick(&existing).clone();
                self.field_attack(replica, diff, &id)
            }
            1 => {
                let header = replica.doc().get_or_insert_map("header");
                let (local, _) = edit(replica, diff, |_, t| {
                    header.insert(t, "colour", "red");
                    None
                });
                ("unknown header key", local)
            }
            2 => {
                let objectives = replica.doc().get_or_insert_map("objectives");
                let (local, _) = edit(replica, diff, |_, t| {
                    objectives.insert(t, "pursue-99", true);
                    None
                });
                ("unknown objective", local)
            }
            _ => {
                let evil = replica.doc().get_or_insert_text("evil");
                let (local, _) = edit(replica, diff, |_, t| {
                    evil.push(t, "x");
                    None
                });
                ("unknown root", local)
            }
        }
    }

    // ---- sending and the property ----

    /// A fresh replica of the server's state under a new client id.
    fn replace(&mut self, m: usize) {
        let client = self.new_client();
        let member = &mut self.members[m];
        member.client = client;
        member.reload = true;
        member.held.clear();
        self.log.push(format!("  {} reloads as client {client}", member.name));
    }

    /// Sends `update` from member `m` and checks the property. Returns
    /// whether it was admitted; a refused sender's replica is replaced.
    fn send(
        &mut self,
        m: usize,
        update: &[u8],
        expect: Expect,
        kind: &'static str,
        tally: &mut Tally,
    ) -> Result<bool, String> {
        let (user, role, agency, name) = {
            let member = &self.members[m];
            (member.user, member.role, member.agency.clone(), member.name)
        };
        let writer = Writer {
            user,
            role,
            agency: &agency,
        };
        let outcome = self.gate.admit(&self.server, &writer, update);
        tally.record(kind, &outcome);
        self.log.push(format!("    -> {}", describe(&outcome)));
        let context = || format!("{kind} from {name} ({role:?}), update {}", hex(update));
        let applied = matches!(outcome, Ok(Admission::Applied { .. }));
        if !applied {
            // `seen` is the server before this update (only admission
            // changes it), and must be the server after it too.
            self.unchanged()
                .map_err(|e| format!("{}: {} yet {e}", context(), describe(&outcome)))?;
        }
        let admitted = match &outcome {
            Err(Refusal::Broken(why)) => return Err(format!("{}: broken: {why}", context())),
            Err(refusal) => {
                ensure!(
                    !matches!(expect, Expect::Admit | Expect::Nothing | Expect::NothingOrNoop),
                    "{}: an honest update was refused: {refusal}",
                    context()
                );
                false
            }
            Ok(Admission::Nothing) => {
                ensure!(
                    expect != Expect::Refuse,
                    "{}: admitted as `Nothing`, expected a refusal",
                    context()
                );
                true
            }
            Ok(Admission::Applied { claimed, .. }) => {
                let before = std::mem::replace(&mut self.seen, snapshot(&self.server));
                let after = &self.seen;
                ensure!(
                    !matches!(expect, Expect::Refuse | Expect::Nothing),
                    "{}: applied, expected {expect:?}",
                    context()
                );
                if expect == Expect::NothingOrNoop {
                    ensure!(
                        before.export == after.export && before.roots == after.roots,
                        "{}: applied and changed the plan, expected no change",
                        context()
                    );
                }
                allowed(role, &agency, &before, after).map_err(|e| format!("{}: {e}", context()))?;
                let after_sv = after.sv.clone();
                self.check_owners(user, &before.sv, &after_sv, claimed)
                    .map_err(|e| format!("{}: {e}", context()))?;
                // The relay: the observer gets exactly what was admitted.
                let decoded = Update::decode_v1(update).map_err(|e| format!("{}: admitted but {e}", context()))?;
                self.observer
                    .transact_mut()
                    .apply_update(decoded)
                    .map_err(|e| format!("{}: the observer could not apply it: {e}", context()))?;
                self.history.push(update.to_vec());
                self.check_observer().map_err(|e| format!("{}: {e}", context()))?;
                true
            }
        };
        if !admitted {
            self.replace(m);
        }
        Ok(admitted)
    }

    /// Client ids written under are the sender's, or nobody's and new.
    fn check_owners(
        &mut self,
        user: uuid::Uuid,
        before: &StateVector,
        after: &StateVector,
        claimed: &[u64],
    ) -> Result<(), String> {
        let mut newly = BTreeSet::new();
        for (client, clock) in after.iter() {
            let was = before.get(client);
            if *clock <= was {
                continue;
            }
            match self.owners.get(&client.get()) {
                Some(owner) if *owner == user => {}
                Some(owner) => return Err(format!("it wrote under client {client}, owned by {owner}")),
                None if was > 0 => return Err(format!("it wrote under client {client}, used before by someone else")),
                None => {
                    newly.insert(client.get());
                }
            }
        }
        let claimed: BTreeSet<u64> = claimed.iter().copied().collect();
        ensure!(
            claimed == newly,
            "the gate says it claimed {claimed:?}, the new client ids written under are {newly:?}"
        );
        for client in newly {
            self.owners.insert(client, user);
        }
        Ok(())
    }

    /// The server is as it was before the last update: same state vector,
    /// same export, same document (so the same roots), nothing pending.
    /// The observer got nothing, so it still reads as the server does.
    fn unchanged(&self) -> Result<(), String> {
        let txn = self.server.transact();
        ensure!(!pending(&txn), "the server holds pending state");
        ensure!(txn.state_vector() == self.seen.sv, "the state vector changed");
        ensure!(
            txn.encode_state_as_update_v1(&StateVector::default()) == self.seen.state,
            "the document changed"
        );
        ensure!(
            self.server.export(&txn, uuid::Uuid::nil(), &ReviewIntervals::default()) == self.seen.export,
            "the export changed"
        );
        Ok(())
    }

    fn check_observer(&self) -> Result<(), String> {
        let server_txn = self.server.transact();
        let observer_txn = self.observer.transact();
        ensure!(!pending(&server_txn), "the server holds pending state");
        ensure!(!pending(&observer_txn), "the observer holds pending state");
        ensure!(
            server_txn.state_vector() == observer_txn.state_vector(),
            "the observer's state vector differs from the server's"
        );
        drop((server_txn, observer_txn));
        ensure!(
            export(&self.observer) == self.seen.export,
            "the observer's export differs from the server's"
        );
        ensure!(
            roots(&self.observer) == self.seen.roots,
            "the observer's roots differ from the server's"
        );
        Ok(())
    }
}

fn user(n: u128) -> uuid::Uuid {
    uuid::Uuid::from_u128(n)
}

pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn describe(outcome: &Result<Admission, Refusal>) -> String {
    match outcome {
        Ok(Admission::Nothing) => "nothing new".into(),
        Ok(Admission::Applied { changes, claimed }) => {
            let fields: Vec<&str> = changes.iter().map(|c| c.field.as_str()).collect();
            format!("applied {fields:?}, claimed {claimed:?}")
        }
        Err(refusal) => format!("refused: {refusal:?}"),
    }
}

// ---------------------------------------------------------- the oracle ----

/// Whether every difference between `before` and `after` is one `role`
/// (of `agency`) may make, from the exports and from every root as JSON.
fn allowed(role: Role, agency: &str, before: &Snapshot, after: &Snapshot) -> Result<(), String> {
    // The model, whoever writes: an action keeps its shared-type fields
    // while it exists (the model never writes them again: a new shared type
    // in a field is refused, so a field lost is lost for good).
    for (id, fields) in &before.structure {
        if let Some(now) = after.structure.get(id) {
            let lost: Vec<_> = fields.difference(now).collect();
            ensure!(lost.is_empty(), "action {id} lost its {lost:?}");
        }
    }
    match role {
        Role::Lro | Role::PlanOwner | Role::Sio => Ok(()),
        Role::Viewer => {
            ensure!(before.export == after.export, "a viewer changed the export");
            ensure!(before.roots == after.roots, "a viewer changed the document");
            Ok(())
        }
        Role::Partner => {
            partner_export(agency, &before.export, &after.export)?;
            partner_roots(agency, &before.roots, &after.roots)
        }
    }
}

/// The names of the fields in which two reads of an action differ.
fn action_diff(a: &Action, b: &Action) -> Vec<&'static str> {
    let mut out = Vec::new();
    let mut field = |name, differs: bool| {
        if differs {
            out.push(name);
        }
    };
    field("ps", a.ps != b.ps);
    field("date", a.date != b.date);
    field("target_date", a.target_date != b.target_date);
    field("text", a.text != b.text);
    field("owner_name", a.owner_name != b.owner_name);
    field("owner_agency", a.owner_agency != b.owner_agency);
    field("update", a.update != b.update);
    field("status", a.status != b.status);
    field("disruption", a.disruption != b.disruption);
    field("submitted", a.submitted != b.submitted);
    out
}

fn partner_export(agency: &str, before: &PlanExport, after: &PlanExport) -> Result<(), String> {
    let strip = |e: &PlanExport| PlanExport {
        actions: Vec::new(),
        ..e.clone()
    };
    ensure!(
        strip(before) == strip(after),
        "a partner changed the plan outside the actions: {:?} -> {:?}",
        strip(before),
        strip(after)
    );
    let old: BTreeMap<&str, &Action> = before.actions.iter().map(|a| (a.id.as_str(), a)).collect();
    let new: BTreeMap<&str, &Action> = after.actions.iter().map(|a| (a.id.as_str(), a)).collect();
    for (id, a) in &old {
        let Some(b) = new.get(id) else {
            return Err(format!(
                "a partner of {agency} deleted action {id} ({})",
                a.owner_agency
            ));
        };
        let changed = action_diff(a, b);
        if changed.is_empty() {
            continue;
        }
        ensure!(
            same_agency(&a.owner_agency, agency),
            "a partner of {agency} changed {changed:?} of action {id}, owned by {:?}",
            a.owner_agency
        );
        for field in changed {
            ensure!(
                PARTNER_ACTION_FIELDS.contains(&field),
                "a partner of {agency} changed the {field} of its action {id}: {a:?} -> {b:?}"
            );
        }
    }
    for (id, b) in &new {
        if !old.contains_key(id) {
            ensure!(
                same_agency(&b.owner_agency, agency),
                "a partner of {agency} added action {id} owned by {:?}",
                b.owner_agency
            );
        }
    }
    Ok(())
}

fn as_map(any: Option<&Any>) -> Option<&HashMap<String, Any>> {
    match any {
        Some(Any::Map(map)) => Some(map),
        _ => None,
    }
}

fn partner_roots(agency: &str, before: &Roots, after: &Roots) -> Result<(), String> {
    let names: BTreeSet<&String> = before.keys().chain(after.keys()).collect();
    for name in names {
        if name != "actions" {
            ensure!(
                before.get(name) == after.get(name),
                "a partner changed the root {name:?}: {:?} -> {:?}",
                before.get(name),
                after.get(name)
            );
        }
    }
    let empty = HashMap::new();
    let old = as_map(before.get("actions")).unwrap_or(&empty);
    let new = as_map(after.get("actions")).unwrap_or(&empty);
    let owned = |entry: &Any| matches!(as_map(Some(entry)).and_then(|m| m.get("owner_agency")), Some(Any::String(s)) if same_agency(s, agency));
    for (id, a) in old {
        let Some(b) = new.get(id) else {
            return Err(format!("a partner of {agency} deleted the entry of action {id}"));
        };
        if a == b {
            continue;
        }
        ensure!(
            owned(a),
            "a partner of {agency} changed action {id} of another agency: {a:?} -> {b:?}"
        );
        let (Some(fa), Some(fb)) = (as_map(Some(a)), as_map(Some(b))) else {
            return Err(format!("action {id} is no longer a map: {a:?} -> {b:?}"));
        };
        let keys: BTreeSet<&String> = fa.keys().chain(fb.keys()).collect();
        for key in keys {
            if fa.get(key) != fb.get(key) {
                ensure!(
                    PARTNER_ACTION_FIELDS.contains(&key.as_str()),
                    "a partner of {agency} changed the {key:?} of action {id}: {:?} -> {:?}",
                    fa.get(key),
                    fb.get(key)
                );
            }
        }
    }
    for (id, b) in new {
        if old.contains_key(id) {
            continue;
        }
        ensure!(
            owned(b),
            "a partner of {agency} added action {id} not its agency's: {b:?}"
        );
        let fields = as_map(Some(b)).expect("owned entries are maps");
        for key in fields.keys() {
            ensure!(
                ACTION_KEYS.contains(&key.as_str()),
                "a partner of {agency} added action {id} with a field {key:?} outside the model"
            );
        }
    }
    Ok(())
}

// ------------------------------------------------------------ the plan ----

/// A plan as a stored one might be: written under one client id whose
/// owner was never recorded.
fn seed_plan(rng: &mut Rng) -> (PlanDoc, Vec<String>) {
    let doc = doc_as(LEGACY_CLIENT);
    let header = doc.get_or_insert_map("header");
    let plan = PlanDoc::new(doc);
    let mut actions = Vec::new();
    {
        let mut t = plan.transact_mut();
        plan.set_subject_kind(&mut t, SubjectKind::Ocg);
        plan.set_tier(&mut t, Tier::new(2).unwrap());
        plan.set_marking(&mut t, SecurityMarking::default());
        header.insert(&mut t, "created", "2026-01-01");
        plan.set_header_text(&mut t, HeaderText::SubjectName, "Red Kings");
        plan.set_header_text(&mut t, HeaderText::SubjectRef, "OCG/1");
        plan.set_header_text(&mut t, HeaderText::Lro, "DI Jones");
        plan.set_section_text(&mut t, Section::Aim, "Dismantle");
        for _ in 0..rng.range(2, 5) {
            let agency = rng.pick(&AGENCIES[..6]).to_string();
            let action = new_action(rng, agency);
            let id = rng.id();
            actions.push(add_action(&mut t, &id, &action));
        }
    }
    {
        // Some history: deleted text and an action gone.
        let mut t = plan.transact_mut();
        plan.set_section_text(&mut t, Section::Aim, "Dismantle the group");
        plan.set_section_text(&mut t, Section::Partnerships, "Council, Fire");
    }
    plan.set_section_text(&mut plan.transact_mut(), Section::Partnerships, "Council");
    (plan, actions)
}

/// Adds an action as [`PlanDoc::add_action`] does (the same keys, values
/// and shared types) under a given id, field by field in a fixed order:
/// `add_action` writes a `MapPrelim`, whose entries yrs integrates in hash
/// order, which changes from run to run, and a seed must replay the same
/// document. `tests/admission_property.rs` checks the two read the same.
pub fn add_action(t: &mut TransactionMut, id: &str, action: &NewAction) -> String {
    let actions = MapRef::root("actions").get_or_create(t);
    let map = actions.insert(t, id, MapPrelim::default());
    let ps = map.insert(t, "ps", MapPrelim::default());
    for p in &action.ps {
        ps.insert(t, p.as_str(), true);
    }
    if let Some(d) = action.date {
        map.insert(t, "date", d.to_string());
    }
    if let Some(d) = action.target_date {
        map.insert(t, "target_date", d.to_string());
    }
    map.insert(t, "text", TextPrelim::new(action.text.as_str()));
    map.insert(t, "owner_name", TextPrelim::new(action.owner_name.as_str()));
    map.insert(t, "owner_agency", action.owner_agency.as_str());
    map.insert(t, "update", TextPrelim::new(action.update.as_str()));
    map.insert(t, "status", action.status.as_str());
    if let Some(d) = action.disruption {
        map.insert(t, "disruption", d.as_str());
    }
    map.insert(t, "submitted", action.submitted);
    id.to_string()
}

/// Adds a custom objective as [`PlanDoc::add_custom_objective`] does, in a
/// fixed order (see [`add_action`]).
pub fn add_custom_objective(t: &mut TransactionMut, id: &str, p: P, text: &str) -> String {
    let customs = MapRef::root("custom_objectives").get_or_create(t);
    let map = customs.insert(t, id, MapPrelim::default());
    map.insert(t, "p", p.as_str());
    map.insert(t, "text", TextPrelim::new(text));
    map.insert(t, "selected", true);
    id.to_string()
}

pub fn new_action_for_test(rng: &mut Rng, agency: &str) -> NewAction {
    new_action(rng, agency.to_string())
}

fn date(rng: &mut Rng) -> chrono::NaiveDate {
    chrono::NaiveDate::from_ymd_opt(2026, rng.range(1, 12), rng.range(1, 28)).unwrap()
}

fn new_action(rng: &mut Rng, agency: String) -> NewAction {
    let mut ps = vec![*rng.pick(P::ALL)];
    if rng.chance(30) {
        ps.push(*rng.pick(P::ALL));
    }
    NewAction {
        owner_agency: agency,
        date: rng.chance(50).then(|| date(rng)),
        target_date: rng.chance(30).then(|| date(rng)),
        owner_name: rng.text(0, 5),
        update: rng.text(0, 5),
        status: *rng.pick(RagStatus::ALL),
        disruption: rng.chance(40).then(|| *rng.pick(Disruption::ALL)),
        submitted: rng.chance(20),
        ..NewAction::new(ps, format!("do {}", rng.text(1, 6)))
    }
}

/// A change to any field of an action.
fn any_change(rng: &mut Rng) -> ActionChange {
    match rng.below(4) {
        0 => ActionChange::Align(*rng.pick(P::ALL), rng.chance(60)),
        1 => ActionChange::OwnerAgency(rng.pick(&AGENCIES).to_string()),
        _ => partner_change(rng),
    }
}

/// A change to a field a partner may change.
fn partner_change(rng: &mut Rng) -> ActionChange {
    match rng.below(9) {
        0 => ActionChange::Date(rng.chance(70).then(|| date(rng))),
        1 => ActionChange::TargetDate(rng.chance(70).then(|| date(rng))),
        2 => ActionChange::Text(format!("do {}", rng.text(0, 8))),
        3 => ActionChange::OwnerName(rng.text(0, 8)),
        4 | 5 => ActionChange::Update(rng.text(0, 12)),
        6 => ActionChange::Status(*rng.pick(RagStatus::ALL)),
        7 => ActionChange::Disruption(rng.chance(70).then(|| *rng.pick(Disruption::ALL))),
        _ => ActionChange::Submitted(rng.chance(50)),
    }
}
