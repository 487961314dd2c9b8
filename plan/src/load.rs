//! A plan's document rebuilt from what storage keeps.

use crate::doc::{new_doc, PlanDoc};
use yrs::updates::decoder::Decode;
use yrs::{Transact, Update};

/// Rebuilds a plan's document from a snapshot and the updates after it.
/// An update that no longer applies is skipped and reported, so one bad
/// entry cannot make a whole plan unreadable.
pub fn load_plan<'a>(
    snapshot: Option<&'a [u8]>,
    updates: impl IntoIterator<Item = &'a [u8]>,
) -> (PlanDoc, Vec<String>) {
    let doc = new_doc();
    let mut problems = Vec::new();
    {
        let mut txn = doc.transact_mut();
        for bytes in snapshot.into_iter().chain(updates) {
            let applied = Update::decode_v1(bytes)
                .map_err(|e| e.to_string())
                .and_then(|u| txn.apply_update(u).map_err(|e| e.to_string()));
            if let Err(e) = applied {
                problems.push(e);
            }
        }
    }
    (PlanDoc::new(doc), problems)
}
