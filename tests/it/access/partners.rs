//! A partner changes only its own agency's actions: every other change it
//! sends over the websocket is refused before it is applied, stored or
//! relayed.

use super::{member, plan_with_actions, COUNCIL};
use integration_tests::{spawn_app, Client};
use plan::{ActionChange, RagStatus, Section};

#[tokio::test]
async fn a_partner_changes_only_its_own_agencys_actions() {
    let app = spawn_app().await;
    let (plan, police, council) = plan_with_actions(&app).await;
    let partner = member(&app, plan, "pat@council.gov.uk", COUNCIL, "partner").await;
    let observer = Client::connect(&app.ws_url(plan)).await;
    let before = app.export(plan).await;

    let crafted = Client::connect(&app.ws_as(plan, &partner)).await;
    crafted.edit(|p, t| {
        p.change_action(t, &police, &ActionChange::Status(RagStatus::Green))
            .unwrap()
    });
    let seen = crafted.wait_until("the refusal", |s| !s.denied.is_empty()).await;
    assert!(
        seen.denied[0].contains("Northshire Council's actions"),
        "{:?}",
        seen.denied
    );
    for (what, forbidden) in [
        (
            "the aim",
            Box::new(|p: &plan::PlanDoc, t: &mut yrs::TransactionMut| p.set_section_text(t, Section::Aim, "Ours"))
                as Box<dyn Fn(&plan::PlanDoc, &mut yrs::TransactionMut)>,
        ),
        (
            "the owner",
            Box::new(|p: &plan::PlanDoc, t: &mut yrs::TransactionMut| {
                p.change_action(t, &council, &ActionChange::OwnerAgency("Police".into()))
                    .unwrap()
            }),
        ),
    ] {
        // A fresh replica each time, as the browser makes after a refusal.
        let attempt = Client::connect(&app.ws_as(plan, &partner)).await;
        attempt.edit(|p, t| forbidden(p, t));
        attempt.wait_until(what, |s| !s.denied.is_empty()).await;
    }

    // Its own action, in the same log-in session: accepted and relayed.
    let own = Client::connect(&app.ws_as(plan, &partner)).await;
    own.edit(|p, t| {
        p.change_action(t, &council, &ActionChange::Update("Visited".into()))
            .unwrap()
    });
    observer
        .wait_for_doc("the partner's update", |p| {
            p.action(&p.transact(), &council).unwrap().update == "Visited"
        })
        .await;
    // The room handles frames in order: what was refused earlier would
    // have reached the observer before this.
    let seen_by_observer = observer.plan.action(&observer.plan.transact(), &police).unwrap();
    assert_eq!(seen_by_observer.status, Some(RagStatus::Red));
    assert_eq!(observer.plan.section_text(&observer.plan.transact(), Section::Aim), "");
    let after = app.export(plan).await;
    assert_eq!(after["sections"], before["sections"], "stored sections unchanged");
    let stored = |e: &serde_json::Value, id: &str| {
        e["actions"]
            .as_array()
            .unwrap()
            .iter()
            .find(|a| a["id"] == id)
            .cloned()
            .unwrap()
    };
    assert_eq!(stored(&after, &police), stored(&before, &police));
    assert_eq!(stored(&after, &council)["owner_agency"], COUNCIL);
    assert_eq!(stored(&after, &council)["update"], "Visited");
}
