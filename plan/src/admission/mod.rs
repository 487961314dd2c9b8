//! Admission: whether an incoming Yjs update may be applied to a plan, and
//! what it changed, judged by what the update does.
//!
//! Every struct the update integrates and every range it deletes is placed
//! in the plan (root, action id, field) through an index of the document's
//! ids ([`index::PlaceIndex`]), checked against the plan model and the
//! sender's role, and only then applied. The cost follows the update's
//! size, not the plan's. An update is refused whole if anything in it:
//! - would be left pending (a struct after a gap, an origin or parent the
//!   plan lacks, a deletion of ids the plan does not have);
//! - writes under a client id that another user owns (a client id belongs
//!   to the user whose connection first used it);
//! - lies outside the plan model (unknown roots or keys, content the model
//!   never holds, a field replaced by a new shared type);
//! - is not the sender's role's to make;
//! - tags the plan with a threat that is not an active threat of the
//!   current Control Strategy ([`Gate::set_threats`]; untagging any is fine).
//!
//! An update that adds nothing the plan lacks is no edit at all.

mod apply;
pub mod audit;
mod committed;
pub mod decode;
mod holders;
pub mod index;
pub mod place;
mod read_update;
pub mod resolve;
mod rules;
mod update_parts;

use crate::access::{Change, Role};
use crate::doc::PlanDoc;
use crate::strategy::ThreatCatalogue;
use holders::Holders;
pub use holders::MAX_ANNOUNCED_PER_USER;
use index::{Deleted, PlaceIndex};
use place::{describe, Kind, Place, Slot};
use resolve::{resolve, Fresh, Locals};
use rules::Judge;
use std::collections::{BTreeSet, HashSet};
use std::ops::Range;
use std::sync::Arc;
use update_parts::unplaced;
use yrs::{ReadTxn, StateVector};

/// Who sends an update.
#[derive(Debug, Clone, Copy)]
pub struct Writer<'a> {
    pub user: uuid::Uuid,
    pub role: Role,
    pub agency: &'a str,
}

/// An admitted update.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Admission {
    /// The plan already had everything in it: not an edit.
    Nothing,
    /// Applied to the plan.
    Applied {
        /// What it changed, as the audit trail records it.
        changes: Vec<Change>,
        /// Client ids first used by this update, now the writer's.
        claimed: Vec<u64>,
    },
}

/// Why an update was not applied.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Refusal {
    /// Not allowed: the place it touches and the rule that refuses it.
    #[error("{place}: {rule}")]
    Denied { place: String, rule: String },
    /// The bytes are not an update.
    #[error("{0}")]
    Malformed(String),
    /// It passed every check and yrs still could not apply it whole: the
    /// plan in memory may hold part of it and must be reloaded.
    #[error("the update could not be applied: {0}")]
    Broken(String),
}

pub(crate) fn denied(place: impl Into<String>, rule: impl Into<String>) -> Refusal {
    Refusal::Denied {
        place: place.into(),
        rule: rule.into(),
    }
}

/// What admission keeps of one plan between updates.
#[derive(Debug, Default, Clone)]
pub struct Gate {
    /// Set when the stored document could not be indexed: every update is
    /// then refused (the plan stays readable) rather than admitted unjudged.
    closed: Option<String>,
    /// Set while the plan itself is read-only (closed): every change is
    /// refused, whoever sends it, with this reason.
    read_only: Option<String>,
    index: PlaceIndex,
    deleted: Deleted,
    holders: Holders,
    /// The threats a plan may be tagged with; none until set.
    threats: Arc<ThreatCatalogue>,
}

impl Gate {
    /// Indexes a plan's document (once, when the plan is opened) and the
    /// client ids already owned.
    pub fn load(plan: &PlanDoc, owners: impl IntoIterator<Item = (u64, uuid::Uuid)>) -> Gate {
        let state = plan.transact().encode_state_as_update_v1(&StateVector::default());
        let decoded = match decode::decode_stored(&state) {
            Ok(decoded) => decoded,
            Err(e) => return Gate::closed(format!("its stored state could not be read: {e}")),
        };
        let fresh: Vec<Fresh> = decoded.structs.iter().map(|s| Fresh::new(s, 0)).collect();
        let slots = match resolve(&fresh, &PlaceIndex::default(), true) {
            Ok(slots) => slots,
            Err((_, why)) => return Gate::closed(format!("its stored state could not be placed: {why:?}")),
        };
        let mut gate = Gate {
            holders: Holders::new(owners),
            ..Gate::default()
        };
        for (f, slot) in fresh.iter().zip(slots) {
            gate.index.insert(f.client, f.range.clone(), slot);
        }
        for (client, range) in decoded.deletes {
            gate.deleted.insert(client, range);
        }
        gate
    }

    fn closed(why: String) -> Gate {
        Gate {
            closed: Some(why),
            ..Gate::default()
        }
    }

    /// Makes the plan read-only (`Some(why)`) for everyone, or writable
    /// again (`None`). Updates that change nothing stay admitted (as
    /// nothing), so a client resyncing what the plan already holds is not
    /// refused.
    pub fn set_read_only(&mut self, why: Option<String>) {
        self.read_only = why;
    }

    /// Judges threat tags against `threats` from now on (the room sets it
    /// from the current strategy before each batch: a cheap pointer swap).
    pub fn set_threats(&mut self, threats: Arc<ThreatCatalogue>) {
        self.threats = threats;
    }

    /// The user who owns a client id, if anyone does.
    pub fn owner(&self, client: u64) -> Option<uuid::Uuid> {
        self.holders.owner(client)
    }

    /// How many id runs the index holds (for measurements).
    pub fn indexed_runs(&self) -> usize {
        self.index.len()
    }

    /// Judges `update` from `writer` and, if it is admitted, applies it to
    /// `plan` (the document this gate was loaded from and has seen every
    /// update of since).
    pub fn admit(&mut self, plan: &PlanDoc, writer: &Writer, update: &[u8]) -> Result<Admission, Refusal> {
        let read = decode::ReadUpdate::new(update).map_err(Refusal::Malformed)?;
        self.admit_read(plan, writer, update, read)
    }

    /// [`Gate::admit`] for an update already read (`read` is `update`'s).
    pub fn admit_read(
        &mut self,
        plan: &PlanDoc,
        writer: &Writer,
        update: &[u8],
        read: decode::ReadUpdate,
    ) -> Result<Admission, Refusal> {
        if let Some(why) = &self.closed {
            return Err(denied("the plan", format!("no change can be checked: {why}")));
        }
        let decoded = read.0?;
        let fresh = self.fresh(&decoded)?;
        let claimed = self.claims(writer, &fresh)?;
        let slots = resolve(&fresh, &self.index, false).map_err(|(i, why)| unplaced(&fresh[i], why))?;
        let locals = Locals::new(&fresh);
        let deletions = self.deletions(&decoded, &locals, &slots)?;
        if fresh.is_empty() && deletions.is_empty() {
            return Ok(Admission::Nothing);
        }
        if let Some(why) = &self.read_only {
            return Err(denied("the plan", why.clone()));
        }
        let keys: BTreeSet<audit::Key> = {
            let txn = plan.transact();
            let mut judge = Judge::new(plan, &txn, writer, &self.threats);
            judge.inserts(&fresh, &slots)?;
            judge.deletions(&deletions)?;
            judge.touched()
        };
        let before = audit::read(plan, &plan.transact(), &keys);
        self.apply_indexed(plan, update, &fresh, slots)?;
        for client in &claimed {
            self.holders.own(*client, writer.user);
        }
        let after = audit::read(plan, &plan.transact(), &keys);
        Ok(Admission::Applied {
            changes: audit::changes(&keys, before, after),
            claimed,
        })
    }
}

/// Places a deletion touches, for the rules; used by [`rules`].
pub(crate) fn deleted_entities(deletions: &[(Range<u32>, Slot)]) -> HashSet<std::sync::Arc<str>> {
    deletions
        .iter()
        .filter_map(|(_, slot)| match (&slot.place, slot.kind) {
            (Place::Action(id) | Place::Custom(id), Kind::Map) => Some(id.clone()),
            _ => None,
        })
        .collect()
}

/// A place's name for refusals.
pub(crate) fn name(place: &Place) -> String {
    describe(place)
}

#[cfg(test)]
mod tests;
#[cfg(test)]
mod threat_tests;
