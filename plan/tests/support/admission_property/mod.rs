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
//!
//! The modules: [`rng`] the seeded PRNG; [`driver`] the configuration,
//! the tally and the loop over cases; [`world`] the server, its gate, the
//! members and their replicas, and the steps they take; [`lib0`]
//! hand-built lib0 v1 updates; [`oracle`] what each role may change,
//! judged apart from the gate; [`generate`] the seeded plan and random
//! actions and changes.

#![allow(dead_code)]

macro_rules! ensure {
    ($cond:expr, $($fmt:tt)+) => {
        if !$cond {
            return Err(format!($($fmt)+));
        }
    };
}

mod driver;
mod generate;
mod lib0;
mod oracle;
mod rng;
mod world;

// Every item public before the split; the test and the bench each use only
// some of them, hence the `allow`s.
#[allow(unused_imports)]
pub use driver::{panic_message, run, Config, Tally};
#[allow(unused_imports)]
pub use generate::{add_action, add_custom_objective, new_action_for_test};
#[allow(unused_imports)]
pub use rng::{case_seed, Rng};
#[allow(unused_imports)]
pub use world::{hex, World};
