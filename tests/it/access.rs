//! Who may do what, enforced by the server: non-members cannot see a plan,
//! only the LRO manages members, and every websocket update is checked
//! against the sender's role before it is applied, stored or relayed.

use integration_tests::{spawn_app_with_plan, Client, Fetch, TestApp};
use plan::{NewAction, Section, P};
use serde_json::json;
use uuid::Uuid;

mod audit_trail;
mod partners;

const COUNCIL: &str = "Northshire Council";

/// A plan owned by the test app's user (LRO, police) with one police and
/// one council action; returns the plan and the two action ids.
async fn plan_with_actions(app: &TestApp) -> (Uuid, String, String) {
    let plan = app.create_plan("Operation Ash").await;
    let lro = Client::connect(&app.ws_url(plan)).await;
    let add = |agency: &str| {
        lro.edit(|p, t| {
            p.add_action(
                t,
                &NewAction {
                    owner_agency: agency.into(),
                    ..NewAction::new([P::Pursue], format!("{agency} task"))
                },
            )
            .unwrap()
        })
    };
    let (police, council) = (add(integration_tests::USER_AGENCY), add(COUNCIL));
    let watcher = Client::connect(&app.ws_url(plan)).await;
    watcher
        .wait_for_doc("both actions", |p| p.actions(&p.transact()).len() == 2)
        .await;
    (plan, police, council)
}

/// Adds a user and gives them `role` on the plan; returns their cookie.
async fn member(app: &TestApp, plan: Uuid, email: &str, agency: &str, role: &str) -> String {
    app.add_user(email, email, agency).await;
    let response = app
        .put_json(
            &format!("/api/plans/{plan}/members"),
            &json!({ "email": email, "role": role }),
        )
        .await;
    assert_eq!(response.status(), 200, "the LRO adds {email}");
    app.session_for(email).await
}

#[tokio::test]
async fn a_plan_does_not_exist_for_anyone_who_is_not_a_member() {
    let (app, plan) = spawn_app_with_plan("Operation Ash").await;
    app.add_user("nosy@example.org", "Nosy", "Elsewhere").await;
    let nosy = app.session_for("nosy@example.org").await;
    let http = app.client_as(&nosy);
    // The same answer as for a plan that does not exist; the LRO, asking
    // the same, gets the plan.
    let unknown = uuid::Uuid::new_v4();
    for path in ["/api/plans/{id}", "/plans/{id}", "/api/plans/{id}/members"] {
        let ours = path.replace("{id}", &plan.to_string());
        let lro = app.get(&ours).await;
        assert_eq!(lro.status(), 200, "the LRO: {path}");
        let theirs = http.get(app.url(&ours)).sent().await;
        let none = http
            .get(app.url(&path.replace("{id}", &unknown.to_string())))
            .sent()
            .await;
        assert_eq!(theirs.status(), 404, "{path}");
        assert_eq!(none.status(), 404, "{path} of an unknown plan");
        if path.starts_with("/api/") {
            let theirs = theirs.text().await.unwrap().replace(&plan.to_string(), "ID");
            let none = none.text().await.unwrap().replace(&unknown.to_string(), "ID");
            assert_eq!(theirs, none, "{path}: a non-member's answer tells nothing");
        }
    }
    let listed: serde_json::Value = http.get(app.url("/api/plans")).json_body().await;
    assert_eq!(listed, json!([]), "not even listed");
    match tokio_tungstenite::connect_async(app.ws_as(plan, &nosy)).await {
        Err(tokio_tungstenite::tungstenite::Error::Http(r)) => assert_eq!(r.status(), 404),
        other => panic!("expected 404 before the upgrade, got {other:?}"),
    }
    let html = http.get(app.url(&format!("/plans/{plan}"))).text_body().await;
    assert!(!html.contains("Operation Ash"));
}

#[tokio::test]
async fn only_the_lro_manages_members() {
    let (app, plan) = spawn_app_with_plan("Operation Ash").await;
    let owner = member(&app, plan, "owner@example.org", "Northshire Police", "plan_owner").await;
    app.add_user("new@example.org", "New", COUNCIL).await;
    let members = format!("/api/plans/{plan}/members");
    let as_owner = app.client_as(&owner);
    let refused = as_owner
        .put(app.url(&members))
        .json(&json!({ "email": "new@example.org", "role": "partner" }))
        .sent()
        .await;
    assert_eq!(refused.status(), 403);
    let listed: serde_json::Value = as_owner.get(app.url(&members)).json_body().await;
    assert_eq!(listed.as_array().unwrap().len(), 2, "members see the members");
    assert_eq!(listed[0]["role"], "lro");

    let put = |body: serde_json::Value| app.http.put(app.url(&members)).json(&body).sent();
    let boss = put(json!({ "email": "new@example.org", "role": "boss" })).await;
    assert_eq!(boss.status(), 422);
    let ghost = put(json!({ "email": "ghost@example.org", "role": "viewer" })).await;
    assert_eq!(ghost.status(), 422);
    let me = integration_tests::USER_EMAIL;
    let last_lro = put(json!({ "email": me, "role": "viewer" })).await;
    assert_eq!(last_lro.status(), 422, "a plan keeps an LRO");
    let partner = put(json!({ "email": "new@example.org", "role": "partner" })).await;
    assert_eq!(partner.status(), 200);
}

#[tokio::test]
async fn a_viewer_cannot_edit_but_is_seen_on_the_plan() {
    let (app, plan) = spawn_app_with_plan("Operation Ash").await;
    let viewer = member(&app, plan, "vic@example.org", "Northshire Police", "viewer").await;
    let lro = Client::connect(&app.ws_url(plan)).await;
    let watching = Client::connect(&app.ws_as(plan, &viewer)).await;
    watching.edit(|p, t| p.set_section_text(t, Section::Aim, "Viewer was here"));
    let seen = watching.wait_until("the refusal", |s| !s.denied.is_empty()).await;
    assert!(seen.denied[0].contains("viewers cannot change"));
    watching.announce(r##"{"user":{"name":"Vic","color":"#1f5fbf"}}"##);
    lro.wait_until("the viewer's presence", |s| {
        s.present("vic@example.org (Northshire Police)")
    })
    .await;
    assert_eq!(app.export(plan).await["sections"]["aim"], "");
}

#[tokio::test]
async fn a_demoted_members_next_edit_is_refused_and_a_removed_one_is_disconnected() {
    let (app, plan) = spawn_app_with_plan("Operation Ash").await;
    let cookie = member(&app, plan, "sam@example.org", "Northshire Police", "sio").await;
    let sio = Client::connect(&app.ws_as(plan, &cookie)).await;
    sio.edit(|p, t| p.set_section_text(t, Section::Aim, "Dismantle"));
    let watcher = Client::connect(&app.ws_url(plan)).await;
    watcher.wait_for_aim("the SIO's edit", "Dismantle").await;

    let members = app.url(&format!("/api/plans/{plan}/members"));
    let demote = app
        .http
        .put(&members)
        .json(&json!({ "email": "sam@example.org", "role": "viewer" }));
    assert_eq!(demote.sent().await.status(), 200);
    sio.edit(|p, t| p.set_section_text(t, Section::Aim, "Dismantle now"));
    sio.wait_until("the refusal", |s| !s.denied.is_empty()).await;

    let user: serde_json::Value = app.client_as(&cookie).get(app.url("/api/session")).json_body().await;
    let id = user["id"].as_str().unwrap();
    let removed = app.http.delete(format!("{members}/{id}")).sent().await;
    assert_eq!(removed.status(), 204);
    let (code, reason) = sio.closed().await;
    assert_eq!(code, 4403, "{reason}");
    assert_eq!(app.export(plan).await["sections"]["aim"], "Dismantle");
}

#[tokio::test]
async fn markup_shows_as_text_and_sql_is_stored_literally() {
    let (app, plan) = spawn_app_with_plan("Operation Ash").await;
    let hostile = r#"<script>alert("x")</script> '; DROP TABLE plans; --"#;
    let lro = Client::connect(&app.ws_url(plan)).await;
    lro.edit(|p, t| p.set_section_text(t, Section::Aim, hostile));
    let watcher = Client::connect(&app.ws_url(plan)).await;
    watcher.wait_for_aim("the aim", hostile).await;
    assert_eq!(app.export(plan).await["sections"]["aim"], hostile, "stored literally");
    let html = app.get_text(&format!("/plans/{plan}")).await;
    if let Some(i) = html.find("<script>alert") {
        panic!(
            "never markup: {}",
            &html[i.saturating_sub(300)..(i + 100).min(html.len())]
        );
    }
    assert!(html.contains("&lt;script&gt;alert"), "shown as text");
    assert_eq!(
        app.list_plans().await.as_array().unwrap().len(),
        1,
        "the plans table is still there"
    );
}
