//! Hand-built updates refused from every role, even the LRO: deletes of
//! what the plan does not have yet, structs after a gap or on unknown
//! origins, writing under another user's client id, keys outside the model.

use super::*;

#[test]
fn deleting_what_the_plan_does_not_have_yet_is_refused_from_every_role() {
    let (plan, mut gate, _, council_action) = plan();
    // The Council partner types: its client id and next clock are public.
    let partner = replica(&plan);
    let typed = edit(&partner, |p, t| {
        p.change_action(t, &council_action, &ActionChange::Update("Visited".into()))
            .unwrap();
    });
    gate.admit(&plan, &council(), &typed).unwrap();
    let victim = partner.doc().client_id().get();
    let next = partner.doc().transact().state_vector().get(&partner.doc().client_id());
    for writer in [lro(), council(), viewer()] {
        let attack = delete_only(victim, next, 50);
        let refusal = rule(gate.admit(&plan, &writer, &attack).unwrap_err());
        assert!(refusal.contains("which the plan does not have"), "{refusal}");
    }
    // The victim's next words arrive whole.
    let more = edit(&partner, |p, t| {
        p.change_action(t, &council_action, &ActionChange::Update("Visited twice".into()))
            .unwrap();
    });
    gate.admit(&plan, &council(), &more).unwrap();
    let txn = plan.transact();
    assert_eq!(plan.action(&txn, &council_action).unwrap().update, "Visited twice");
}

#[test]
fn structs_after_a_gap_or_on_unknown_origins_are_refused() {
    let (plan, mut gate, _, _) = plan();
    let lro_replica = replica(&plan);
    let first = edit(&lro_replica, |p, t| p.set_section_text(t, Section::Aim, "Dismantle"));
    let second = edit(&lro_replica, |p, t| {
        p.set_section_text(t, Section::Aim, "Dismantle now")
    });
    let refusal = rule(gate.admit(&plan, &lro(), &second).unwrap_err());
    assert!(refusal.contains("skips from"), "{refusal}");
    // Another client building on the unsent first edit depends on it.
    let other = replica(&plan);
    other
        .doc()
        .transact_mut()
        .apply_update(yrs::Update::decode_v1(&first).unwrap())
        .unwrap();
    let builds_on = edit(&other, |p, t| p.section_ref(Section::Aim).push(t, "!"));
    let refusal = rule(gate.admit(&plan, &lro(), &builds_on).unwrap_err());
    assert!(refusal.contains("which the plan does not have"), "{refusal}");
    gate.admit(&plan, &lro(), &first).unwrap();
    gate.admit(&plan, &lro(), &second).unwrap();
    assert_eq!(plan.section_text(&plan.transact(), Section::Aim), "Dismantle now");
}

#[test]
fn a_client_id_belongs_to_the_first_user_who_writes_under_it() {
    let (plan, mut gate, _, council_action) = plan();
    let partner = replica_as(&plan, 4242);
    let typed = edit(&partner, |p, t| {
        p.change_action(t, &council_action, &ActionChange::Update("Mine".into()))
            .unwrap();
    });
    let Admission::Applied { claimed, .. } = gate.admit(&plan, &council(), &typed).unwrap() else {
        panic!("applied")
    };
    assert_eq!(claimed, [4242]);
    assert_eq!(gate.owner(4242), Some(COUNCIL));
    // The LRO's tool writing under the partner's client id is refused,
    // even for an edit the LRO may make.
    let impostor = replica_as(&plan, 4242);
    let forged = edit(&impostor, |p, t| p.set_section_text(t, Section::Aim, "x"));
    let refusal = rule(gate.admit(&plan, &lro(), &forged).unwrap_err());
    assert!(refusal.contains("belongs to another user"), "{refusal}");
    // Client ids in the plan before anyone claimed them are nobody's.
    let creator = plan.doc().client_id().get();
    let old = replica_as(&plan, creator);
    let forged = edit(&old, |p, t| p.set_section_text(t, Section::Aim, "x"));
    assert!(rule(gate.admit(&plan, &lro(), &forged).unwrap_err()).contains("used by someone else"));
}

#[test]
fn keys_outside_the_plan_model_are_refused_even_for_the_lro() {
    let (plan, mut gate, police, council_action) = plan();
    let other = replica(&plan);
    // Asking the doc for a root type opens a transaction: do it first.
    let evil = other.doc().get_or_insert_text("evil");
    let unknown_root = edit(&other, |_, t| evil.push(t, "x"));
    let refusal = rule(gate.admit(&plan, &lro(), &unknown_root).unwrap_err());
    assert!(refusal.contains("not part of a plan"), "{refusal}");
    let unknown_key = edit(&replica(&plan), |p, t| {
        p.action_ref(t, &police).unwrap().insert(t, "colour", "red");
    });
    assert!(rule(gate.admit(&plan, &lro(), &unknown_key).unwrap_err()).contains("no field \"colour\""));
    let replaced = edit(&replica(&plan), |p, t| {
        p.action_ref(t, &police)
            .unwrap()
            .insert(t, "text", TextPrelim::new("Police work"));
    });
    assert!(rule(gate.admit(&plan, &lro(), &replaced).unwrap_err()).contains("never replaced by a new shared type"));
    let reinserted = edit(&replica(&plan), |p, t| {
        p.action_ref(t, &council_action)
            .unwrap()
            .insert(t, "text", TextPrelim::new("Council work"));
    });
    assert!(rule(gate.admit(&plan, &council(), &reinserted).unwrap_err()).contains("never replaced"));
}
