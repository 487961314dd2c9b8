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

#[path = "fuzz_frames/allocation.rs"]
mod allocation;
#[path = "fuzz_frames/mutation.rs"]
mod mutation;
#[path = "fuzz_frames/run.rs"]
mod run;
#[path = "fuzz_frames/seeds.rs"]
mod seeds;
#[path = "fuzz_frames/targets.rs"]
mod targets;

use allocation::*;
use mutation::*;
pub use run::run;
pub use seeds::*;
use targets::*;

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
