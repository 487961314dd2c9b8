//! Updates another server node has already admitted and stored: applied
//! without judging them again, but indexed exactly as admitted ones are,
//! so that later updates are judged against them.

use super::place::Kind;
use super::resolve::resolve;
use super::{decode, unplaced, Gate};
use crate::doc::PlanDoc;
use yrs::updates::decoder::Decode;
use yrs::ReadTxn;

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
        let parsed = yrs::Update::decode_v1(update).map_err(|e| e.to_string())?;
        let mut txn = plan.transact_mut();
        txn.apply_update(parsed).map_err(|e| e.to_string())?;
        if txn.store().pending_update().is_some() || txn.store().pending_ds().is_some() {
            return Err("it left part of itself pending".into());
        }
        for (f, slot) in fresh.iter().zip(slots) {
            if slot.kind == Kind::Deleted {
                self.deleted.insert(f.client, f.range.clone());
            }
            self.index.insert(f.client, f.range.clone(), slot);
        }
        for (client, ranges) in txn.delete_set().iter() {
            for range in ranges.iter() {
                self.deleted.insert(client.get(), range.clone());
            }
        }
        drop(txn);
        if let Some(author) = author {
            for f in &fresh {
                self.owners.entry(f.client).or_insert(author);
            }
        }
        Ok(())
    }
}
