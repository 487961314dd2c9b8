//! Attacks on the shape of the plan: gaps and unknown origins (refused
//! even from the LRO), keys outside the plan model (for every role), and
//! a partner deleting or taking over another agency's action.

use super::{scene, var};
use integration_tests::raw::{edit, refused};
use plan::{ActionChange, PlanDoc, Section};
use yrs::{Map, ReadTxn, Text, TextPrelim};

#[tokio::test]
async fn gaps_and_unknown_origins_are_refused_even_from_the_lro_and_the_room_stays_whole() {
    let s = scene().await;
    let replica = PlanDoc::from_state(&s.observer.plan.encode_state()).unwrap();
    let _first = edit(&replica, |p, t| p.set_section_text(t, Section::Aim, "Dismantle"));
    let second = edit(&replica, |p, t| p.set_section_text(t, Section::Aim, "Dismantle it"));
    let lro = s.app.ws_url(s.plan);
    let fresh = || PlanDoc::from_state(&s.observer.plan.encode_state()).unwrap();
    let denial = refused(&lro, fresh(), second).await;
    assert!(denial.contains("skips from"), "{denial}");
    // Characters parented on a character (yrs would fail half-way).
    let aim_char = {
        s.flush("A").await;
        let client = s.lro.plan.doc().client_id();
        let clock = s.lro.plan.transact().state_vector().get(&client) - 1;
        (client.get(), clock)
    };
    let mut bytes = vec![1, 1];
    var(&mut bytes, 777_777);
    bytes.extend([0, 4, 0]);
    var(&mut bytes, aim_char.0);
    var(&mut bytes, u64::from(aim_char.1));
    bytes.extend([1, b'x', 0]);
    let denial = refused(&lro, fresh(), bytes).await;
    assert!(denial.contains("not a shared type"), "{denial}");
    s.flush("B").await;
    assert_eq!(
        s.observer.plan.section_text(&s.observer.plan.transact(), Section::Aim),
        "AB"
    );
    let stored = s.app.export(s.plan).await;
    assert_eq!(
        stored["sections"]["aim"], "AB",
        "storage holds exactly what was relayed"
    );
}

#[tokio::test]
async fn keys_outside_the_plan_model_are_refused_for_every_role() {
    let s = scene().await;
    let lro = s.app.ws_url(s.plan);
    let fresh = || PlanDoc::from_state(&s.observer.plan.encode_state()).unwrap();
    let other = fresh();
    let evil = other.doc().get_or_insert_text("notes");
    let update = edit(&other, |_, t| evil.push(t, "hidden"));
    assert!(refused(&lro, fresh(), update).await.contains("not part of a plan"));
    let police = s.police.clone();
    let update = edit(&fresh(), |p, t| {
        p.action_ref(t, &police).unwrap().insert(t, "colour", "red");
    });
    assert!(refused(&lro, fresh(), update).await.contains("no field \"colour\""));
    let update = edit(&fresh(), |p, t| {
        p.action_ref(t, &police)
            .unwrap()
            .insert(t, "text", TextPrelim::new("Taken over"));
    });
    assert!(refused(&lro, fresh(), update).await.contains("never replaced"));
    // The partner re-inserting the police action's text, word for word.
    let text = s
        .observer
        .plan
        .action(&s.observer.plan.transact(), &police)
        .unwrap()
        .text;
    let update = edit(&fresh(), |p, t| {
        p.action_ref(t, &police)
            .unwrap()
            .insert(t, "text", TextPrelim::new(text.as_str()));
    });
    let denial = refused(&s.partner, fresh(), update).await;
    assert!(denial.contains("never replaced"), "{denial}");
    s.flush("Dismantle").await;
    let txn = s.observer.plan.transact();
    assert_eq!(s.observer.plan.action(&txn, &s.police).unwrap().text, text);
    assert!(txn.get_text("notes").is_none(), "no unknown root reached the observer");
}

#[tokio::test]
async fn a_partner_cannot_delete_or_take_over_another_agencys_action() {
    let s = scene().await;
    let fresh = || PlanDoc::from_state(&s.observer.plan.encode_state()).unwrap();
    let police = s.police.clone();
    let council = s.council.clone();
    let attempts = [
        edit(&fresh(), |p, t| p.delete_action(t, &police).unwrap()),
        edit(&fresh(), |p, t| p.delete_action(t, &council).unwrap()),
        edit(&fresh(), |p, t| {
            p.change_action(t, &council, &ActionChange::OwnerAgency("Police".into()))
                .unwrap()
        }),
        edit(&fresh(), |p, t| {
            p.change_action(t, &police, &ActionChange::Update("Done".into()))
                .unwrap()
        }),
    ];
    let before = s.stored().await;
    for update in attempts {
        refused(&s.partner, fresh(), update).await;
    }
    s.flush("Dismantle").await;
    assert_eq!(s.stored().await, (before.0 + 1, before.1 + 1));
    assert_eq!(s.observer.plan.actions(&s.observer.plan.transact()).len(), 2);
}
