//! Replicas of a plan, snapshots of the server, and local edits.

use plan::{PlanDoc, PlanExport, ReviewIntervals};
use std::collections::{BTreeMap, BTreeSet};
use std::sync::{Arc, Mutex};
use yrs::types::{RootRef, ToJson};
use yrs::updates::decoder::Decode;
use yrs::{Any, Map, MapRef, Out, ReadTxn, StateVector, TransactionMut, Update};

/// A plan's every root, as JSON, by name.
pub(crate) type Roots = BTreeMap<String, Any>;

pub(crate) struct Snapshot {
    pub(crate) sv: StateVector,
    pub(crate) state: Vec<u8>,
    pub(crate) export: PlanExport,
    pub(crate) roots: Roots,
    /// Each action's shared-type fields (`ps` a map; `text`, `owner_name`,
    /// `update` texts) that hold the type they should.
    pub(crate) structure: BTreeMap<String, BTreeSet<&'static str>>,
}

pub(crate) fn doc_as(client: u64) -> yrs::Doc {
    yrs::Doc::with_options(yrs::Options {
        client_id: yrs::ClientID::new(client),
        offset_kind: yrs::OffsetKind::Utf16,
        ..Default::default()
    })
}

/// A replica of `plan`'s state writing under `client`.
pub(crate) fn replica_as(plan: &PlanDoc, client: u64) -> PlanDoc {
    replica_of(&plan.encode_state(), client)
}

/// A replica of a plan's `state` writing under `client`.
pub(crate) fn replica_of(state: &[u8], client: u64) -> PlanDoc {
    let replica = PlanDoc::new(doc_as(client));
    let update = Update::decode_v1(state).expect("a plan's state decodes");
    replica
        .transact_mut()
        .apply_update(update)
        .expect("a plan's state applies");
    replica
}

pub(crate) fn pending<T: ReadTxn>(txn: &T) -> bool {
    txn.store().pending_update().is_some() || txn.store().pending_ds().is_some()
}

pub(crate) fn export(plan: &PlanDoc) -> PlanExport {
    plan.export(&plan.transact(), uuid::Uuid::nil(), &ReviewIntervals::default())
}

pub(crate) fn roots(plan: &PlanDoc) -> Roots {
    let txn = plan.transact();
    txn.root_refs()
        .map(|(name, out)| (name.to_string(), out.to_json(&txn)))
        .collect()
}

pub(crate) fn snapshot(plan: &PlanDoc) -> Snapshot {
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
pub(crate) fn edit(
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
