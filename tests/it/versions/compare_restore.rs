//! Comparing the plan since its last review names who changed what; a
//! restore from a review is a new edit, live and audited, for the LRO only.

use super::{dee, get, set_aim};
use integration_tests::{spawn_app_with, Client, Fetch, PAT};
use plan::access::Role;
use plan::{ActionChange, NewAction, RagStatus, Section, P};
use serde_json::{json, Value};
use server::collab::room::Access;
use server::collab::server_edit::edit_as;

#[tokio::test]
async fn changes_since_the_last_review_name_who_made_them_and_a_restore_is_audited_and_relayed() {
    let app = spawn_app_with(|_| {}).await;
    let plan = app.create_plan("Operation Larch").await;
    let pat = app.add_to_plan(plan, &PAT, "partner").await;
    let rooms = &app.state.rooms;
    let (ours, gone) = edit_as(rooms, plan, dee(&app).await, |p, t| {
        p.set_section_text(t, Section::Aim, "Disrupt the Red Kings supply");
        let ours = NewAction {
            owner_agency: "Northshire Council".into(),
            ..NewAction::new([P::Prevent], "Mentoring")
        };
        Ok((
            p.add_action(t, &ours)?,
            p.add_action(t, &NewAction::new([P::Pursue], "Leaflet drop"))?,
        ))
    })
    .await
    .unwrap();
    app.record_review(plan).await;
    set_aim(&app, plan, "Dismantle the Red Kings county lines").await;
    let id = ours.clone();
    let as_pat = Access {
        user: pat,
        role: Role::Partner,
        agency: "Northshire Council".into(),
        shown_as: String::new(),
    };
    edit_as(rooms, plan, as_pat, move |p, t| {
        p.change_action(t, &id, &ActionChange::Status(RagStatus::Green))
    })
    .await
    .unwrap();
    let id = gone.clone();
    edit_as(rooms, plan, dee(&app).await, move |p, t| p.delete_action(t, &id))
        .await
        .unwrap();

    let c = get(&app, &format!("/api/plans/{plan}/compare")).await;
    assert_eq!(
        (c["from"].clone(), c["to"].clone()),
        (json!({ "Review": 1 }), json!("Now"))
    );
    let aim = &c["comparison"]["sections"][0];
    assert_eq!(
        (aim["field"].as_str(), aim["by"].clone()),
        (Some("aim"), json!(["Dee Lro"]))
    );
    let pieces = aim["pieces"].as_array().unwrap();
    assert!(pieces.contains(&json!({ "Deleted": "Disrupt" })), "{aim}");
    assert!(pieces.contains(&json!({ "Inserted": "Dismantle" })), "{aim}");
    let actions = c["comparison"]["actions"].as_array().unwrap();
    let changed = actions.iter().find(|a| a["id"] == ours.as_str()).unwrap();
    assert_eq!(changed["fields"][0]["field"], format!("action:{ours}:status"));
    assert_eq!(
        (
            changed["fields"][0]["old"].as_str(),
            changed["fields"][0]["new"].as_str(),
            changed["fields"][0]["by"].clone()
        ),
        (Some("RED"), Some("GREEN"), json!(["Pat Partner"]))
    );
    let removed = actions.iter().find(|a| a["id"] == gone.as_str()).unwrap();
    assert_eq!(
        (removed["kind"].as_str(), removed["by"].clone()),
        (Some("Removed"), json!(["Dee Lro"]))
    );

    // Restoring the deleted action and the old aim: new edits, live and audited.
    let watcher = Client::connect(&app.ws_url(plan)).await;
    for body in [
        json!({ "from": "review-1", "kind": "action", "id": gone }),
        json!({ "from": "review-1", "kind": "section", "key": "aim" }),
    ] {
        let response = app.post_json(&format!("/api/plans/{plan}/restore"), &body).await;
        assert_eq!(response.status(), 204, "{body}");
    }
    watcher
        .wait_for_doc("the restored action and aim", |p| {
            let t = p.transact();
            p.actions(&t).iter().any(|a| a.text == "Leaflet drop")
                && p.section_text(&t, Section::Aim) == "Disrupt the Red Kings supply"
        })
        .await;
    let history: Value = get(&app, &format!("/api/plans/{plan}/history")).await;
    let last_two: Vec<String> = history["entries"]
        .as_array()
        .unwrap()
        .iter()
        .rev()
        .take(2)
        .flat_map(|e| {
            e["changes"]
                .as_array()
                .unwrap()
                .iter()
                .map(|c| c["field"].as_str().unwrap().to_string())
        })
        .collect();
    assert!(
        last_two.contains(&"aim".to_string())
            && last_two.iter().any(|f| f.starts_with("action:") && !f.contains(&gone)),
        "{last_two:?}"
    );
    // Pat cannot restore.
    let pat_client = app.client_for("pat@council.gov.uk").await;
    let refused = pat_client
        .post(app.url(&format!("/api/plans/{plan}/restore")))
        .json(&json!({ "from": "review-1", "kind": "section", "key": "aim" }))
        .sent()
        .await;
    assert_eq!(refused.status(), 403);
}
