//! Handing a plan over: the new LRO holds every LRO power at once (their
//! open connection included), the old one becomes plan owner or leaves,
//! and the history records both changes.

use integration_tests::{spawn_app_with_pat_as, spawn_app_with_plan, Client, Fetch, PAT, SAM};
use plan::Section;
use serde_json::{json, Value};

#[tokio::test]
async fn the_new_lro_holds_every_lro_power_at_once_and_the_handover_is_recorded() {
    let (app, plan) = spawn_app_with_pat_as("Operation Rowan", "viewer").await;
    let pat_cookie = app.session_for(PAT.email).await;
    let pat = app.client_as(&pat_cookie);
    let pat_live = Client::connect(&app.ws_as(plan, &pat_cookie)).await;
    pat_live.edit(|p, t| p.set_section_text(t, Section::Aim, "As a viewer"));
    pat_live
        .wait_until("the viewer's refusal", |s| !s.denied.is_empty())
        .await;
    let pat_open = Client::connect(&app.ws_as(plan, &pat_cookie)).await;

    let handover = |client: &reqwest::Client, body: Value| {
        let request = client.post(app.url(&format!("/api/plans/{plan}/handover"))).json(&body);
        async move { request.sent().await }
    };
    let to_pat = json!({ "email": PAT.email, "then": "plan_owner" });
    assert_eq!(handover(&pat, to_pat.clone()).await.status(), 403, "only the LRO");
    let me = json!({ "email": integration_tests::USER_EMAIL, "then": "leave" });
    assert_eq!(handover(&app.http, me).await.status(), 422, "not to oneself");
    let nobody = json!({ "email": "nobody@example.org", "then": "leave" });
    assert_eq!(handover(&app.http, nobody).await.status(), 422);
    let odd = json!({ "email": PAT.email, "then": "stay" });
    assert_eq!(handover(&app.http, odd).await.status(), 422);
    assert_eq!(handover(&app.http, to_pat).await.status(), 204);

    // Pat's connection, open since before, writes as LRO at once.
    pat_open.edit(|p, t| p.set_section_text(t, Section::Aim, "Pat leads now"));
    let watcher = Client::connect(&app.ws_url(plan)).await;
    watcher.wait_for_aim("Pat's edit as LRO", "Pat leads now").await;
    // Pat is told, on the plan's page.
    let page = pat.get(app.url(&format!("/plans/{plan}"))).text_body().await;
    assert!(page.contains("handed this plan to you"), "the new LRO is told");
    assert!(page.contains(integration_tests::USER_NAME));
    // Pat manages members and reads the history.
    let add = json!({ "email": SAM.email, "role": "viewer" });
    let added = pat
        .put(app.url(&format!("/api/plans/{plan}/members")))
        .json(&add)
        .sent()
        .await;
    assert_eq!(added.status(), 200);
    let history: Value = pat
        .get(app.url(&format!("/api/plans/{plan}/history")))
        .json_body()
        .await;
    let text = history.to_string();
    assert!(
        text.contains("\"new\":\"lro\"") && text.contains("\"new\":\"plan_owner\""),
        "{text}"
    );
    // The old LRO is a plan owner: no longer manages members.
    let refused = app
        .http
        .put(app.url(&format!("/api/plans/{plan}/members")))
        .json(&json!({ "email": SAM.email, "role": "partner" }))
        .sent()
        .await;
    assert_eq!(refused.status(), 403);
    let members: Value = app.get_json(&format!("/api/plans/{plan}/members")).await;
    let role_of = |email: &str| {
        members
            .as_array()
            .unwrap()
            .iter()
            .find(|m| m["user"]["email"] == email)
            .map(|m| m["role"].clone())
    };
    assert_eq!(role_of(PAT.email), Some(json!("lro")));
    assert_eq!(role_of(integration_tests::USER_EMAIL), Some(json!("plan_owner")));
}

#[tokio::test]
async fn an_lro_who_leaves_on_handover_is_no_longer_a_member() {
    let (app, plan) = spawn_app_with_plan("Operation Rowan").await;
    app.add_person(&PAT).await;
    let body = json!({ "email": PAT.email, "then": "leave" });
    let answer = app.post_json(&format!("/api/plans/{plan}/handover"), &body).await;
    assert_eq!(answer.status(), 204);
    assert_eq!(
        app.get(&format!("/api/plans/{plan}")).await.status(),
        404,
        "gone from the plan"
    );
}
