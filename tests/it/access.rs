//! Who may do what, enforced by the server: non-members cannot see a plan,
//! only the LRO manages members, and every websocket update is checked
//! against the sender's role before it is applied, stored or relayed.

use integration_tests::{spawn_app, Client, TestApp};
use plan::{ActionChange, NewAction, RagStatus, Section, P};
use serde_json::json;
use uuid::Uuid;

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
        .http
        .put(app.url(&format!("/api/plans/{plan}/members")))
        .json(&json!({ "email": email, "role": role }))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200, "the LRO adds {email}");
    app.session_for(email).await
}

#[tokio::test]
async fn a_plan_does_not_exist_for_anyone_who_is_not_a_member() {
    let app = spawn_app().await;
    let plan = app.create_plan("Operation Ash").await;
    app.add_user("nosy@example.org", "Nosy", "Elsewhere").await;
    let nosy = app.session_for("nosy@example.org").await;
    let http = app.client_as(&nosy);
    // The same answer as for a plan that does not exist; the LRO, asking
    // the same, gets the plan.
    let unknown = uuid::Uuid::new_v4();
    for path in ["/api/plans/{id}", "/plans/{id}", "/api/plans/{id}/members"] {
        let ours = path.replace("{id}", &plan.to_string());
        let lro = app.http.get(app.url(&ours)).send().await.unwrap();
        assert_eq!(lro.status(), 200, "the LRO: {path}");
        let theirs = http.get(app.url(&ours)).send().await.unwrap();
        let none = http
            .get(app.url(&path.replace("{id}", &unknown.to_string())))
            .send()
            .await
            .unwrap();
        assert_eq!(theirs.status(), 404, "{path}");
        assert_eq!(none.status(), 404, "{path} of an unknown plan");
        if path.starts_with("/api/") {
            let theirs = theirs.text().await.unwrap().replace(&plan.to_string(), "ID");
            let none = none.text().await.unwrap().replace(&unknown.to_string(), "ID");
            assert_eq!(theirs, none, "{path}: a non-member's answer tells nothing");
        }
    }
    let listed: serde_json::Value = http
        .get(app.url("/api/plans"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(listed, json!([]), "not even listed");
    match tokio_tungstenite::connect_async(app.ws_as(plan, &nosy)).await {
        Err(tokio_tungstenite::tungstenite::Error::Http(r)) => assert_eq!(r.status(), 404),
        other => panic!("expected 404 before the upgrade, got {other:?}"),
    }
    let html = http
        .get(app.url(&format!("/plans/{plan}")))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(!html.contains("Operation Ash"));
}

#[tokio::test]
async fn only_the_lro_manages_members() {
    let app = spawn_app().await;
    let plan = app.create_plan("Operation Ash").await;
    let owner = member(&app, plan, "owner@example.org", "Northshire Police", "plan_owner").await;
    app.add_user("new@example.org", "New", COUNCIL).await;
    let members = format!("/api/plans/{plan}/members");
    let as_owner = app.client_as(&owner);
    let refused = as_owner
        .put(app.url(&members))
        .json(&json!({ "email": "new@example.org", "role": "partner" }))
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status(), 403);
    let listed: serde_json::Value = as_owner
        .get(app.url(&members))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(listed.as_array().unwrap().len(), 2, "members see the members");
    assert_eq!(listed[0]["role"], "lro");

    let put = |body: serde_json::Value| app.http.put(app.url(&members)).json(&body).send();
    assert_eq!(
        put(json!({ "email": "new@example.org", "role": "boss" }))
            .await
            .unwrap()
            .status(),
        422
    );
    assert_eq!(
        put(json!({ "email": "ghost@example.org", "role": "viewer" }))
            .await
            .unwrap()
            .status(),
        422
    );
    let me = integration_tests::USER_EMAIL;
    let last_lro = put(json!({ "email": me, "role": "viewer" })).await.unwrap();
    assert_eq!(last_lro.status(), 422, "a plan keeps an LRO");
    assert_eq!(
        put(json!({ "email": "new@example.org", "role": "partner" }))
            .await
            .unwrap()
            .status(),
        200
    );
}

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

#[tokio::test]
async fn a_viewer_cannot_edit_but_is_seen_on_the_plan() {
    let app = spawn_app().await;
    let plan = app.create_plan("Operation Ash").await;
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
    let app = spawn_app().await;
    let plan = app.create_plan("Operation Ash").await;
    let cookie = member(&app, plan, "sam@example.org", "Northshire Police", "sio").await;
    let sio = Client::connect(&app.ws_as(plan, &cookie)).await;
    sio.edit(|p, t| p.set_section_text(t, Section::Aim, "Dismantle"));
    let watcher = Client::connect(&app.ws_url(plan)).await;
    watcher
        .wait_for_doc("the SIO's edit", |p| {
            p.section_text(&p.transact(), Section::Aim) == "Dismantle"
        })
        .await;

    let members = app.url(&format!("/api/plans/{plan}/members"));
    let demote = app
        .http
        .put(&members)
        .json(&json!({ "email": "sam@example.org", "role": "viewer" }));
    assert_eq!(demote.send().await.unwrap().status(), 200);
    sio.edit(|p, t| p.set_section_text(t, Section::Aim, "Dismantle now"));
    sio.wait_until("the refusal", |s| !s.denied.is_empty()).await;

    let user: serde_json::Value = app
        .client_as(&cookie)
        .get(app.url("/api/session"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let id = user["id"].as_str().unwrap();
    let removed = app.http.delete(format!("{members}/{id}")).send().await.unwrap();
    assert_eq!(removed.status(), 204);
    let (code, reason) = sio.closed().await;
    assert_eq!(code, 4403, "{reason}");
    assert_eq!(app.export(plan).await["sections"]["aim"], "Dismantle");
}

#[tokio::test]
async fn the_audit_trail_names_who_changed_what_and_cannot_be_rewritten() {
    let app = spawn_app().await;
    let (plan, _, council) = plan_with_actions(&app).await;
    let partner = member(&app, plan, "pat@council.gov.uk", COUNCIL, "partner").await;
    let pat = Client::connect(&app.ws_as(plan, &partner)).await;
    pat.edit(|p, t| {
        p.change_action(t, &council, &ActionChange::Status(RagStatus::Amber))
            .unwrap()
    });
    let lro = Client::connect(&app.ws_url(plan)).await;
    lro.wait_for_doc("Pat's status", |p| {
        p.action(&p.transact(), &council).unwrap().status == Some(RagStatus::Amber)
    })
    .await;
    lro.edit(|p, t| p.set_section_text(t, Section::Aim, "Dismantle"));
    pat.wait_for_doc("the aim", |p| {
        p.section_text(&p.transact(), Section::Aim) == "Dismantle"
    })
    .await;

    let history = app.url(&format!("/api/plans/{plan}/history"));
    let trail: serde_json::Value = app.http.get(&history).send().await.unwrap().json().await.unwrap();
    assert_eq!(trail["marking"], "OFFICIAL-SENSITIVE");
    let entries = trail["entries"].as_array().unwrap();
    let by = |field: &str| {
        entries
            .iter()
            .find(|e| e["changes"].as_array().unwrap().iter().any(|c| c["field"] == field))
            .unwrap_or_else(|| panic!("no entry for {field}: {entries:?}"))
    };
    let status = by(&format!("action:{council}:status"));
    assert_eq!(status["user"], "pat@council.gov.uk");
    assert_eq!(status["agency"], COUNCIL);
    assert_eq!(status["changes"][0]["old"], "RED");
    assert_eq!(status["changes"][0]["new"], "AMBER");
    assert_eq!(
        status["changes"][0]["what"],
        format!("Action “{COUNCIL} task”: Status"),
        "the change is named as the page names it"
    );
    let aim = by("aim");
    assert_eq!(aim["user"], "Dee Lro");
    assert_eq!(aim["changes"][0]["new"], "Dismantle");
    assert!(
        by(&format!("action:{council}"))["user"] == "Dee Lro",
        "the LRO added the action"
    );

    let csv = app.http.get(format!("{history}?format=csv")).send().await.unwrap();
    assert!(csv.headers()["content-disposition"]
        .to_str()
        .unwrap()
        .contains("attachment"));
    let csv = csv.text().await.unwrap();
    assert!(csv.starts_with("OFFICIAL-SENSITIVE\n") && csv.trim_end().ends_with("OFFICIAL-SENSITIVE"));
    assert!(csv.contains(&format!(
        r#""pat@council.gov.uk","Northshire Council","Action “{COUNCIL} task”: Status","action:{council}:status","RED","AMBER""#
    )));

    let as_partner = app.client_as(&partner).get(&history).send().await.unwrap();
    assert_eq!(as_partner.status(), 403, "only the LRO reads the trail");
    let rewrite = sqlx::query("UPDATE plan_changes SET changes = '[]'")
        .execute(&app.pool)
        .await;
    assert!(rewrite.is_err(), "the database refuses to rewrite the trail");
    let erase = sqlx::query("DELETE FROM plan_changes").execute(&app.pool).await;
    assert!(erase.is_err(), "or to erase it");
}

#[tokio::test]
async fn markup_shows_as_text_and_sql_is_stored_literally() {
    let app = spawn_app().await;
    let plan = app.create_plan("Operation Ash").await;
    let hostile = r#"<script>alert("x")</script> '; DROP TABLE plans; --"#;
    let lro = Client::connect(&app.ws_url(plan)).await;
    lro.edit(|p, t| p.set_section_text(t, Section::Aim, hostile));
    let watcher = Client::connect(&app.ws_url(plan)).await;
    watcher
        .wait_for_doc("the aim", |p| p.section_text(&p.transact(), Section::Aim) == hostile)
        .await;
    assert_eq!(app.export(plan).await["sections"]["aim"], hostile, "stored literally");
    let html = app
        .http
        .get(app.url(&format!("/plans/{plan}")))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
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
