//! Edits the server makes on a member's behalf go the way a browser's do:
//! admitted by the room as that member, stored with the member named in the
//! history, relayed live, and refused with the gate's reason.

use integration_tests::{spawn_app_with_plan, Client, PAT};
use plan::access::Role;
use plan::{ActionChange, NewAction, RagStatus, P};
use server::collab::room::Access;
use server::collab::server_edit::{edit_as, EditError};
use uuid::Uuid;

fn access(user: Uuid, role: Role, agency: &str) -> Access {
    Access {
        user,
        role,
        agency: agency.into(),
        shown_as: String::new(),
    }
}

#[tokio::test]
async fn an_edit_made_for_a_member_is_admitted_stored_audited_and_relayed() {
    let (app, plan) = spawn_app_with_plan("Operation Larch").await;
    let pat = app.add_to_plan(plan, &PAT, "partner").await;
    let dee: Uuid = sqlx::query_scalar("SELECT id FROM users WHERE email = $1")
        .bind(integration_tests::USER_EMAIL)
        .fetch_one(&app.pool)
        .await
        .unwrap();
    let rooms = &app.state.rooms;
    // The LRO's actions, added through the same path; it returns once they are durable.
    let (ours, theirs) = edit_as(rooms, plan, access(dee, Role::Lro, "Northshire Police"), |p, t| {
        let ours = NewAction {
            owner_agency: "Northshire Council".into(),
            ..NewAction::new([P::Prevent], "Mentoring")
        };
        let theirs = NewAction {
            owner_agency: "Northshire Police".into(),
            ..NewAction::new([P::Pursue], "Warrant")
        };
        Ok((p.add_action(t, &ours)?, p.add_action(t, &theirs)?))
    })
    .await
    .unwrap();
    let watcher = Client::connect(&app.ws_url(plan)).await;
    let as_pat = || access(pat, Role::Partner, "Northshire Council");

    // Pat's own agency's action: admitted, relayed to the open client, stored, audited as Pat.
    let id = ours.clone();
    edit_as(rooms, plan, as_pat(), move |p, t| {
        p.change_action(t, &id, &ActionChange::Status(RagStatus::Green))
    })
    .await
    .unwrap();
    watcher
        .wait_for_doc("Pat's status change", |p| {
            p.action(&p.transact(), &ours).unwrap().status == Some(RagStatus::Green)
        })
        .await;
    let export = app.export(plan).await;
    let stored = export["actions"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["id"] == ours.as_str())
        .unwrap()
        .clone();
    assert_eq!(stored["status"], "GREEN");
    let history: serde_json::Value = app.get_json(&format!("/api/plans/{plan}/history")).await;
    let last = history["entries"].as_array().unwrap().last().unwrap().clone();
    assert_eq!(
        (last["user"].as_str(), last["changes"][0]["field"].as_str()),
        (Some("Pat Partner"), Some(format!("action:{ours}:status").as_str())),
        "{last}"
    );

    // Another agency's action: refused by the gate, with its reason; nothing changes.
    let id = theirs.clone();
    let refused = edit_as(rooms, plan, as_pat(), move |p, t| {
        p.change_action(t, &id, &ActionChange::Status(RagStatus::Green))
    })
    .await;
    match refused {
        Err(EditError::Denied(reason)) => assert!(reason.contains("partner"), "{reason}"),
        other => panic!("expected a refusal, got {other:?}"),
    }
    assert_eq!(
        app.export(plan).await["actions"]
            .as_array()
            .unwrap()
            .iter()
            .find(|a| a["id"] == theirs.as_str())
            .unwrap()["status"],
        "RED"
    );

    // An edit the model refuses, and an unknown plan.
    let model = edit_as(rooms, plan, as_pat(), |p, t| {
        p.change_action(t, "no-such-action", &ActionChange::Status(RagStatus::Red))
    })
    .await;
    assert!(matches!(model, Err(EditError::Model(_))), "{model:?}");
    let unknown = edit_as(rooms, Uuid::new_v4(), as_pat(), |_, _| Ok(())).await;
    assert!(matches!(unknown, Err(EditError::NotFound)), "{unknown:?}");
}
