//! Break-glass: with a reason, an auditor, strategic lead or administrator
//! who is not a member reads the plan, read-only, for the configured time
//! (an hour by default), and its LRO is told; anyone else, or no reason, or
//! after the time: the same 404 as for no plan.

use super::entries;
use integration_tests::{spawn_app_with, spawn_app_with_plan, Client, Fetch, TestApp, PAT, SAM};
use plan::Section;
use serde_json::json;
use uuid::Uuid;

async fn auditor(app: &TestApp) -> reqwest::Client {
    let sam = app.add_person(&SAM).await;
    let flag = app::admin::AccountFlag::Auditor;
    app.state.accounts.set_flag(sam.id, flag, true).await.unwrap();
    app.client_for(SAM.email).await
}

async fn break_glass(app: &TestApp, client: &reqwest::Client, plan: Uuid, reason: &str) -> reqwest::Response {
    let path = app.url(&format!("/api/plans/{plan}/break-glass"));
    client.post(path).json(&json!({ "reason": reason })).sent().await
}

#[tokio::test]
async fn with_a_reason_it_opens_read_only_for_an_hour_and_the_lro_is_told() {
    let (app, plan) = spawn_app_with_plan("Operation Hazel").await;
    let sam = auditor(&app).await;
    let read = |client: &reqwest::Client| client.get(app.url(&format!("/api/plans/{plan}"))).sent();
    assert_eq!(read(&sam).await.status(), 404);
    assert_eq!(
        break_glass(&app, &sam, plan, "   ").await.status(),
        404,
        "no reason, no access"
    );
    assert_eq!(read(&sam).await.status(), 404);

    let reason = "Threat to life: the LRO is on leave and a decision is needed tonight";
    let granted = break_glass(&app, &sam, plan, reason).await;
    assert_eq!(granted.status(), 200);
    let until: chrono::DateTime<chrono::Utc> =
        serde_json::from_value(granted.json::<serde_json::Value>().await.unwrap()["until"].clone()).unwrap();
    let hour = until - chrono::Utc::now();
    assert!(
        hour > chrono::Duration::minutes(59) && hour <= chrono::Duration::hours(1),
        "{hour}"
    );
    assert_eq!(read(&sam).await.status(), 200, "read while it lasts");

    // Read-only: a live edit is refused.
    let cookie = app.session_for(SAM.email).await;
    let live = Client::connect(&app.ws_as(plan, &cookie)).await;
    live.edit(|p, t| p.set_section_text(t, Section::Aim, "By break-glass"));
    let seen = live.wait_until("the refusal", |s| !s.denied.is_empty()).await;
    assert!(seen.denied[0].contains("viewers cannot change"), "{:?}", seen.denied);

    // The LRO is told on the plan's page, and the log marks it.
    let page = app.http.get(app.url(&format!("/plans/{plan}"))).text_body().await;
    assert!(page.contains("Emergency access to this plan") && page.contains("the LRO is on leave"));
    let logged = entries(&app, plan).await;
    let grant = logged
        .iter()
        .find(|e| e.kind == "broke_glass")
        .expect("the grant is logged");
    assert_eq!((grant.user_name.as_str(), grant.detail.as_str()), (SAM.name, reason));
    let under_it = logged.iter().filter(|e| e.basis.starts_with("break-glass")).count();
    assert!(under_it >= 3, "the grant, the read and the join: {logged:?}");
}

#[tokio::test]
async fn anyone_else_gets_the_same_404_as_for_no_plan() {
    let (app, plan) = spawn_app_with_plan("Operation Hazel").await;
    app.add_person(&PAT).await;
    let pat = app.client_for(PAT.email).await;
    let reason = "I would like to see it";
    assert_eq!(break_glass(&app, &pat, plan, reason).await.status(), 404, "no flag");
    let sam = auditor(&app).await;
    assert_eq!(
        break_glass(&app, &sam, Uuid::new_v4(), reason).await.status(),
        404,
        "no plan"
    );
    assert_eq!(
        pat.get(app.url(&format!("/api/plans/{plan}"))).sent().await.status(),
        404
    );
}

#[tokio::test]
async fn once_the_time_is_up_it_gives_404_again() {
    // Access that lasts no time at all: up as soon as it is granted.
    let app = spawn_app_with(|c| c.break_glass = std::time::Duration::ZERO).await;
    let plan = app.create_plan("Operation Hazel").await;
    let sam = auditor(&app).await;
    assert_eq!(break_glass(&app, &sam, plan, "Urgent").await.status(), 200);
    assert_eq!(
        sam.get(app.url(&format!("/api/plans/{plan}"))).sent().await.status(),
        404
    );
}
