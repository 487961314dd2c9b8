//! Updates another server node has already admitted and stored: applied
//! without judging them again, but indexed exactly as admitted ones are,
//! so that later updates are judged against them.

use super::resolve::resolve;
use super::{decode, unplaced, Gate};
use crate::doc::PlanDoc;

impl Gate {
    /// Applies `update`, which another node's gate admitted from `author`
    /// and which storage holds in order after everything this plan has
    /// seen. Client ids it is the first to write under become `author`'s,
    /// as they did there. An error means the plan in memory no longer
    /// follows storage and must be loaded afresh.
    pub fn apply_committed(&mut self, plan: &PlanDoc, author: Option<uuid::Uuid>, update: &[u8]) -> Result<(), String> {
        let decoded = decode::decode_stored(update).map_err(|e| format!("it does not decode: {e}"))?;
        let fresh = self.fresh(&decoded).map_err(|r| r.to_string())?;
        let slots = resolve(&fresh, &self.index, false).map_err(|(i, why)| unplaced(&fresh[i], why).to_string())?;
        self.apply_indexed(plan, update, &fresh, slots)
            .map_err(|r| r.to_string())?;
        if let Some(author) = author {
            for f in &fresh {
                if self.holders.owner(f.client).is_none() {
                    self.holders.own(f.client, author);
                }
            }
        }
        Ok(())
    }
}
