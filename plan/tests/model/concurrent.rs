//! Concurrent edits on two replicas of a plan converge: text merges
//! character by character, checklist and action edits both survive, and a
//! delete wins over a concurrent edit.

use super::{action, d, new_plan};
use plan::*;
use std::collections::BTreeSet;
use yrs::updates::decoder::Decode;
use yrs::{ReadTxn, StateVector, Update};

/// A second replica holding the same state as `a`.
fn replica(a: &PlanDoc) -> PlanDoc {
    let b = PlanDoc::new(new_doc());
    sync(a, &b);
    b
}

/// Exchanges the differences both ways, as sync step 1/2 would.
fn sync(a: &PlanDoc, b: &PlanDoc) {
    for (from, to) in [(a, b), (b, a)] {
        let sv: StateVector = to.transact().state_vector();
        let update = from.transact().encode_state_as_update_v1(&sv);
        to.transact_mut()
            .apply_update(Update::decode_v1(&update).unwrap())
            .unwrap();
    }
}

#[test]
fn concurrent_text_edits_merge_character_by_character() {
    let a = PlanDoc::create(&new_plan(), d("2026-11-01"));
    a.set_section_text(&mut a.transact_mut(), Section::Aim, "Dismantle the network.");
    let b = replica(&a);
    a.set_section_text(&mut a.transact_mut(), Section::Aim, "Dismantle the Larch network.");
    b.set_section_text(
        &mut b.transact_mut(),
        Section::Aim,
        "Dismantle the network. Protect children.",
    );
    sync(&a, &b);
    let expected = "Dismantle the Larch network. Protect children.";
    assert_eq!(a.section_text(&a.transact(), Section::Aim), expected);
    assert_eq!(b.section_text(&b.transact(), Section::Aim), expected);
}

#[test]
fn concurrent_checklist_and_action_edits_converge() {
    let a = PlanDoc::create(&new_plan(), d("2026-11-01"));
    let (kept, deleted) = {
        let mut txn = a.transact_mut();
        (
            a.add_action(&mut txn, &action(&[P::Pursue], "ANPR sweep")).unwrap(),
            a.add_action(&mut txn, &action(&[P::Prevent], "School talks")).unwrap(),
        )
    };
    let b = replica(&a);
    let (added_a, added_b);
    {
        let mut txn = a.transact_mut();
        a.select_objective(&mut txn, "pursue-1", true).unwrap();
        a.change_action(&mut txn, &kept, &ActionChange::Align(P::Protect, true))
            .unwrap();
        a.change_action(&mut txn, &kept, &ActionChange::Status(RagStatus::Amber))
            .unwrap();
        a.delete_action(&mut txn, &deleted).unwrap();
        added_a = a.add_action(&mut txn, &action(&[P::Prepare], "Brief staff")).unwrap();
    }
    {
        let mut txn = b.transact_mut();
        b.select_objective(&mut txn, "protect-2", true).unwrap();
        b.change_action(&mut txn, &kept, &ActionChange::Align(P::Prevent, true))
            .unwrap();
        b.change_action(&mut txn, &kept, &ActionChange::Update("Two vehicles stopped".into()))
            .unwrap();
        b.change_action(&mut txn, &deleted, &ActionChange::Text("School talks x3".into()))
            .unwrap();
        added_b = b
            .add_action(&mut txn, &action(&[P::Pursue, P::Protect], "Cash seizure"))
            .unwrap();
    }
    sync(&a, &b);
    let id = uuid::Uuid::nil();
    let ea = a.export(&a.transact(), id, &ReviewIntervals::default());
    let eb = b.export(&b.transact(), id, &ReviewIntervals::default());
    assert_eq!(ea, eb);
    let ids: BTreeSet<_> = ea.actions.iter().map(|x| x.id.clone()).collect();
    assert_eq!(
        ids,
        BTreeSet::from([kept.clone(), added_a, added_b]),
        "delete wins over a concurrent edit"
    );
    let k = ea.actions.iter().find(|x| x.id == kept).unwrap();
    assert_eq!(
        k.ps,
        BTreeSet::from([P::Pursue, P::Prevent, P::Protect]),
        "both alignments survive"
    );
    assert_eq!(
        (k.status, k.update.as_str()),
        (Some(RagStatus::Amber), "Two vehicles stopped")
    );
    let selected: Vec<_> = ea
        .objectives
        .values()
        .flatten()
        .filter(|o| o.selected)
        .map(|o| o.id.as_str())
        .collect();
    assert_eq!(selected.len(), 2);
    assert!(selected.contains(&"pursue-1") && selected.contains(&"protect-2"));
}
