//! Updates the admission property and the frame fuzzer found the gate
//! mishandling, reduced to the smallest input; the gate now refuses each.
//!
//! The first two use an item whose content is "deleted" (`ContentDeleted`, kind 1),
//! written after (left origin) the item holding a map entry's value. yrs
//! integrates it as the entry's new value: the item it follows is deleted
//! (the way any overwritten map value is) and the entry reads as absent.
//! No replica produces such an item for a live entry, and the update's
//! delete set is empty, so the deletion never reaches the gate's rules for
//! deletions; and for inserts, `Judge::fits` let deleted content land in
//! any field, structural or not, and `Judge::owner_agency` looked only at
//! values.

use plan::access::Role;
use plan::admission::{Admission, Gate, Refusal, Writer};
use plan::{ActionChange, NewAction, NewPlan, PlanDoc, SubjectKind, Tier, P};
use yrs::updates::decoder::Decode;
use yrs::{Map, MapPrelim, ReadTxn, Transact};

/// The property test's hand-built updates; only its varint writer here.
#[allow(dead_code)]
#[path = "support/admission_property/lib0.rs"]
mod lib0;
use lib0::var;

fn council() -> Writer<'static> {
    Writer {
        user: uuid::Uuid::from_u128(2),
        role: Role::Partner,
        agency: "Council",
    }
}

fn lro() -> Writer<'static> {
    Writer {
        user: uuid::Uuid::from_u128(1),
        role: Role::Lro,
        agency: "Police",
    }
}

/// A plan with one Council action, its gate, and the action's id.
fn plan() -> (PlanDoc, Gate, String) {
    let new = NewPlan {
        subject_kind: SubjectKind::Ocg,
        subject_name: "Red Kings".into(),
        subject_ref: "OCG/1".into(),
        tier: Tier::new(2).unwrap(),
        lro: "DI Jones".into(),
    };
    let plan = PlanDoc::create(&new, "2026-01-01".parse().unwrap());
    let action = NewAction {
        owner_agency: "Council".into(),
        update: "Started".into(),
        ..NewAction::new([P::Pursue], "Licensing")
    };
    let id = plan.add_action(&mut plan.transact_mut(), &action).unwrap();
    let gate = Gate::load(&plan, []);
    (plan, gate, id)
}

fn replica_as(plan: &PlanDoc, client: u64) -> PlanDoc {
    let doc = yrs::Doc::with_options(yrs::Options {
        client_id: yrs::ClientID::new(client),
        offset_kind: yrs::OffsetKind::Utf16,
        ..Default::default()
    });
    let update = yrs::Update::decode_v1(&plan.encode_state()).unwrap();
    doc.transact_mut().apply_update(update).unwrap();
    PlanDoc::new(doc)
}

/// An update of one item, `client#clock`, of one deleted unit of content,
/// written right after the item `after` (its left origin).
fn deleted_content_after(client: u64, clock: u32, after: (u64, u32)) -> Vec<u8> {
    let mut out = Vec::new();
    for n in [1, 1, client, u64::from(clock)] {
        var(&mut out, n);
    }
    out.push(0b1000_0001); // has a left origin; content kind 1, deleted
    var(&mut out, after.0);
    var(&mut out, u64::from(after.1));
    var(&mut out, 1); // one deleted unit
    out.push(0); // no delete set
    out
}

/// The id of the item holding a shared type.
fn item_of(branch: &impl AsRef<yrs::branch::Branch>) -> (u64, u32) {
    match branch.as_ref().id() {
        yrs::branch::BranchID::Nested(id) => (id.client.get(), id.clock),
        yrs::branch::BranchID::Root(name) => panic!("{name} is a root"),
    }
}

/// The partner adds an action owned by its agency, and in the same update
/// writes deleted content after the action's `owner_agency` value: the
/// action is left with no owner agency.
///
/// Expected: refused ("a partner can add only actions owned by Council").
/// Before the fix: applied, and the new action's `owner_agency` read "".
#[test]
fn a_partner_cannot_add_an_action_and_erase_its_owner_in_the_same_update() {
    let (plan, mut gate, _) = plan();
    let partner = replica_as(&plan, 4242);
    let actions = partner.doc().get_or_insert_map("actions");
    let before = partner.transact().state_vector();
    {
        let mut t = partner.transact_mut();
        let entry = actions.insert(&mut t, "new-action", MapPrelim::default()); // 4242#0
        entry.insert(&mut t, "owner_agency", "Council"); // 4242#1
    }
    let add = partner.transact().encode_state_as_update_v1(&before);
    let erase = deleted_content_after(4242, 2, (4242, 1));
    let update = yrs::merge_updates_v1([add.as_slice(), erase.as_slice()]).unwrap();

    let outcome = gate.admit(&plan, &council(), &update);
    let owner = plan.action(&plan.transact(), "new-action").map(|a| a.owner_agency);
    assert!(
        outcome.is_err(),
        "admitted: {outcome:?}; the new action's owner agency is now {owner:?}"
    );
}

/// The partner writes deleted content after the item holding its own
/// action's `update` text: the action loses the text (the Y.Text item is
/// deleted). Deleting that item directly is refused ("a field goes only
/// with its whole action"); this way it is not. Afterwards nobody can write
/// the action's update: the model recreates the text, and the gate refuses
/// a field replaced by a new shared type, even from the LRO. The same goes
/// for `text` and `owner_name`, and (for the roles that edit everything)
/// for `ps` and a custom objective's text.
///
/// Expected: refused. Before the fix: applied; `update` read "" and the LRO's
/// next edit of it is refused.
#[test]
fn deleted_content_cannot_take_a_field_away_from_an_action() {
    let (plan, mut gate, id) = plan();
    let text = {
        let txn = plan.transact();
        match plan.action_ref(&txn, &id).unwrap().get(&txn, "update") {
            Some(yrs::Out::YText(text)) => item_of(&text),
            other => panic!("update is {other:?}"),
        }
    };
    let erase = deleted_content_after(4242, 0, text);
    let outcome = gate.admit(&plan, &council(), &erase);
    if outcome.is_ok() {
        // What it costs: the LRO can no longer write the update.
        let lro_replica = replica_as(&plan, 77);
        let before = lro_replica.transact().state_vector();
        lro_replica
            .change_action(
                &mut lro_replica.transact_mut(),
                &id,
                &ActionChange::Update("Again".into()),
            )
            .unwrap();
        let edit = lro_replica.transact().encode_state_as_update_v1(&before);
        let after = gate.admit(&plan, &lro(), &edit);
        panic!("admitted: {outcome:?}; then the LRO's edit of the update: {after:?}");
    }
    assert!(!matches!(outcome, Ok(Admission::Applied { .. })));
}

/// An update that deletes `(client, [(clock, len)])`, and holds no structs.
fn deletes(ranges: &[(u64, &[(u32, u32)])]) -> Vec<u8> {
    let mut out = vec![0];
    var(&mut out, ranges.len() as u64);
    for (client, list) in ranges {
        var(&mut out, *client);
        var(&mut out, list.len() as u64);
        for (clock, len) in *list {
            var(&mut out, u64::from(*clock));
            var(&mut out, u64::from(*len));
        }
    }
    out
}

/// Found by the frame fuzzer. A delete set may hold a range of length 0:
/// the gate's decoder skips it (`decode.rs`: `if len > 0`), but yrs keeps
/// it, and a range that starts past the client's last clock is left
/// pending when the update is applied. So an update that deletes
/// something the sender may delete plus an empty range past the end is
/// judged, applied (the deletion happens), and then reported `Broken`: the
/// room drops the connection's update, reports the room broken, and has to
/// be reloaded from storage, every member disconnected. Any partner can do
/// it with a character of its own action's text, at will.
///
/// Expected: refused (or applied whole, leaving nothing pending). Actual:
/// `Err(Broken("it left part of itself pending"))`, with the deletion
/// applied to the plan in memory and a pending delete set.
#[test]
fn an_empty_deleted_range_is_not_left_pending() {
    let (plan, mut gate, id) = plan();
    let partner = replica_as(&plan, 4242);
    let before = partner.transact().state_vector();
    partner
        .change_action(
            &mut partner.transact_mut(),
            &id,
            &ActionChange::Update("Visited".into()),
        )
        .unwrap();
    let typed = partner.transact().encode_state_as_update_v1(&before);
    assert!(matches!(
        gate.admit(&plan, &council(), &typed),
        Ok(Admission::Applied { .. })
    ));
    let next = plan.transact().state_vector().get(&yrs::ClientID::new(4242));

    // The partner deletes the 'V' it typed, and an empty range past its clock.
    let attack = deletes(&[(4242, &[(0, 1), (next + 100, 0)])]);
    let outcome = gate.admit(&plan, &council(), &attack);
    let txn = plan.transact();
    let pending = txn.store().pending_ds().is_some();
    let update = plan.action(&txn, &id).unwrap().update;
    assert!(
        !matches!(outcome, Err(Refusal::Broken(_))) && !pending,
        "{outcome:?}; the update now reads {update:?}, pending delete set: {pending}"
    );
}
