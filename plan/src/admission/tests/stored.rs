//! Admission over a plan's life: the trail of a deleted action, an update
//! sent twice, a gate loaded from a stored plan, garbage, which changes
//! call for a new summary, and stored content outside the model.

use super::*;

#[test]
fn the_lro_deletes_an_action_and_the_trail_keeps_its_text() {
    let (plan, mut gate, police, _) = plan();
    let update = edit(&replica(&plan), |p, t| p.delete_action(t, &police).unwrap());
    let Admission::Applied { changes, .. } = gate.admit(&plan, &lro(), &update).unwrap() else {
        panic!("applied")
    };
    assert_eq!(changes.len(), 1);
    assert_eq!(changes[0].field, format!("action:{police}"));
    assert_eq!(changes[0].old.as_deref(), Some("Police work"));
    assert!(plan.action(&plan.transact(), &police).is_err());
}

#[test]
fn an_update_sent_twice_is_an_edit_once() {
    let (plan, mut gate, _, _) = plan();
    let update = edit(&replica(&plan), |p, t| p.set_section_text(t, Section::Aim, "Dismantle"));
    assert_eq!(fields(&gate.admit(&plan, &lro(), &update).unwrap()), ["aim"]);
    assert_eq!(gate.admit(&plan, &lro(), &update), Ok(Admission::Nothing));
    assert_eq!(gate.admit(&plan, &council(), &update), Ok(Admission::Nothing));
}

#[test]
fn a_gate_loaded_from_a_stored_plan_judges_as_one_that_saw_every_update() {
    let (plan, mut gate, _, council_action) = plan();
    let partner = replica(&plan);
    let typed = edit(&partner, |p, t| {
        p.change_action(t, &council_action, &ActionChange::Update("One".into()))
            .unwrap();
    });
    gate.admit(&plan, &council(), &typed).unwrap();
    let reloaded = PlanDoc::from_state(&plan.encode_state()).unwrap();
    let mut fresh_gate = Gate::load(&reloaded, [(partner.doc().client_id().get(), COUNCIL)]);
    let more = edit(&partner, |p, t| {
        p.change_action(t, &council_action, &ActionChange::Update("One two".into()))
            .unwrap();
    });
    assert_eq!(
        fields(&fresh_gate.admit(&reloaded, &council(), &more).unwrap()),
        [format!("action:{council_action}:update")]
    );
    assert!(fresh_gate.indexed_runs() > 0);
}

#[test]
fn garbage_never_panics() {
    let (plan, mut gate, _, _) = plan();
    let mut seed = 0x2545_f491_4f6c_dd1du64;
    for len in 0..400 {
        let bytes: Vec<u8> = (0..len % 64)
            .map(|_| {
                seed ^= seed << 13;
                seed ^= seed >> 7;
                seed ^= seed << 17;
                seed as u8
            })
            .collect();
        let before = plan.transact().state_vector();
        match gate.admit(&plan, &lro(), &bytes) {
            Err(_) | Ok(Admission::Nothing) => {}
            Ok(_) => panic!("garbage was admitted: {bytes:?}"),
        }
        assert_eq!(
            plan.transact().state_vector(),
            before,
            "garbage changed the plan: {bytes:?}"
        );
    }
}

#[test]
fn only_changes_the_plans_list_shows_call_for_a_new_summary() {
    let (plan, mut gate, police, council_action) = plan();
    let intervals = crate::ReviewIntervals::default();
    let edits: Vec<(Box<dyn Fn(&PlanDoc, &mut yrs::TransactionMut)>, bool)> = vec![
        (
            Box::new(|p, t| {
                p.change_action(t, &police, &ActionChange::Status(RagStatus::Green))
                    .unwrap()
            }),
            true,
        ),
        (
            Box::new(|p, t| {
                p.change_action(t, &council_action, &ActionChange::Update("Visited".into()))
                    .unwrap()
            }),
            false,
        ),
        (Box::new(|p, t| p.set_section_text(t, Section::Aim, "Dismantle")), false),
        (Box::new(|p, t| p.set_tier(t, Tier::new(1).unwrap())), true),
        (Box::new(|p, t| p.delete_action(t, &council_action).unwrap()), true),
    ];
    for (change, shows) in edits {
        let before = plan.summary(&plan.transact(), uuid::Uuid::nil(), &intervals);
        let update = edit(&replica(&plan), |p, t| change(p, t));
        let Admission::Applied { changes, .. } = gate.admit(&plan, &lro(), &update).unwrap() else {
            panic!("applied")
        };
        let after = plan.summary(&plan.transact(), uuid::Uuid::nil(), &intervals);
        let flagged = changes.iter().any(|c| PlanDoc::changes_summary(&c.field));
        assert_eq!(flagged, shows, "{changes:?}");
        assert_eq!(before != after, shows, "{changes:?}");
    }
}

#[test]
fn a_stored_plan_holding_content_outside_the_model_still_opens_and_the_rest_is_editable() {
    let (plan, _, _, council_action) = plan();
    // Written by an old or foreign client, before admission enforced the model.
    let notes = plan.doc().get_or_insert_text("notes");
    {
        let mut txn = plan.transact_mut();
        notes.insert(&mut txn, 0, "hidden");
        let bold = yrs::types::Attrs::from([("bold".into(), yrs::Any::Bool(true))]);
        notes.format(&mut txn, 0, 3, bold);
    }
    let mut gate = Gate::load(&plan, []);
    let update = edit(&replica(&plan), |p, t| {
        p.change_action(t, &council_action, &ActionChange::Update("Visited".into()))
            .unwrap();
    });
    assert_eq!(
        fields(&gate.admit(&plan, &council(), &update).unwrap()),
        [format!("action:{council_action}:update")]
    );
    let other = replica(&plan);
    let notes = other.doc().get_or_insert_text("notes");
    let update = edit(&other, |_, t| notes.push(t, "!"));
    assert!(rule(gate.admit(&plan, &lro(), &update).unwrap_err()).contains("outside the plan model"));
}
