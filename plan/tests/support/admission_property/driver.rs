//! The configuration from the environment, the tally of outcomes, and
//! the loop over cases.

use super::rng::{case_seed, Rng};
use super::world::World;
use plan::admission::{Admission, Refusal};
use std::collections::BTreeMap;
use std::fmt::Write as _;

// -------------------------------------------------------------- config ----

#[derive(Debug, Clone, Copy)]
pub struct Config {
    pub cases: u64,
    pub steps: usize,
    pub seed: u64,
    /// Also send items of deleted content written over map entries (on
    /// unless `PILLARS_PROPERTY_OVERWRITES=0`; see `tests/admission_findings.rs`).
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
            Err(_) => 0x5eed_0f_ad_31_55_10,
        };
        let overwrites = std::env::var("PILLARS_PROPERTY_OVERWRITES").map_or(true, |v| v.trim() != "0");
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
    pub(crate) fn record(&mut self, kind: &'static str, outcome: &Result<Admission, Refusal>) {
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
                    ""
                } else {
                    " PILLARS_PROPERTY_OVERWRITES=0"
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
