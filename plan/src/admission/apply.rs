//! Applying an update the gate has placed, and indexing what it wrote and
//! deleted: the same for updates it admits and for updates another server
//! node admitted (`committed`).

use super::place::{Kind, Slot};
use super::resolve::Fresh;
use super::{Gate, Refusal};
use crate::doc::PlanDoc;
use yrs::updates::decoder::Decode;
use yrs::ReadTxn;

impl Gate {
    /// Applies `update` (whose new structs are `fresh`, placed at `slots`)
    /// to `plan`, then indexes its structs and deletions for the updates
    /// that follow.
    pub(super) fn apply_indexed(
        &mut self,
        plan: &PlanDoc,
        update: &[u8],
        fresh: &[Fresh],
        slots: Vec<Slot>,
    ) -> Result<(), Refusal> {
        let update = yrs::Update::decode_v1(update).map_err(|e| Refusal::Malformed(e.to_string()))?;
        let mut txn = plan.transact_mut();
        txn.apply_update(update).map_err(|e| Refusal::Broken(e.to_string()))?;
        if txn.store().pending_update().is_some() || txn.store().pending_ds().is_some() {
            return Err(Refusal::Broken("it left part of itself pending".into()));
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
        Ok(())
    }
}
