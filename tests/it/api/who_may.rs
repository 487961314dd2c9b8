//! Who may use the API at all: without a session pages redirect to log in
//! and the API and websocket refuse; only accounts that may lead plans
//! create them.

use integration_tests::{spawn_app, spawn_app_with_plan, Fetch};
use serde_json::json;
use tokio_tungstenite::tungstenite;

#[tokio::test]
async fn without_a_session_pages_redirect_to_log_in_and_the_api_and_websocket_refuse() {
    let (app, plan) = spawn_app_with_plan("Operation Oak").await;
    // From the app's own pages (with its Origin), but logged out.
    let mut origin = reqwest::header::HeaderMap::new();
    origin.insert("origin", format!("http://{}", app.addr).parse().unwrap());
    let anonymous = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .default_headers(origin)
        .build()
        .unwrap();
    for page in ["/".to_string(), format!("/plans/{plan}")] {
        let response = anonymous.get(app.url(&page)).sent().await;
        assert_eq!(response.status(), 303, "{page}");
        assert_eq!(response.headers()["location"], "/login");
    }
    for api in [
        "/api/plans".to_string(),
        format!("/api/plans/{plan}"),
        "/api/plans/changes".to_string(),
        "/api/fn/list_plans".to_string(),
    ] {
        let response = anonymous.get(app.url(&api)).sent().await;
        assert_eq!(response.status(), 401, "{api}");
        let body: serde_json::Value = response.json().await.unwrap();
        assert!(body["error"].as_str().unwrap().contains("log in"), "{api}: {body}");
    }
    let created = anonymous.post(app.url("/api/plans")).json(&json!({})).sent().await;
    assert_eq!(created.status(), 401);
    let forged = app.ws_as(plan, "pillars_session=forged");
    match tokio_tungstenite::connect_async(forged).await {
        Err(tungstenite::Error::Http(response)) => assert_eq!(response.status(), 401),
        other => panic!("expected 401 before the upgrade, got {other:?}"),
    }
    // The log-in page itself is open, and so are the files it needs.
    let login = anonymous.get(app.url("/login")).sent().await;
    assert_eq!(login.status(), 200);
    assert!(login.text().await.unwrap().contains("OFFICIAL-SENSITIVE"));
}

/// Creating a plan (so leading it) needs the "may lead plans" flag, through
/// the REST API and the plans page's server function alike; the page tells
/// those without it why there is no form. An administrator's grant and
/// withdrawal hold at once.
#[tokio::test]
async fn only_accounts_that_may_lead_plans_create_plans() {
    let app = spawn_app().await;
    let pat_email = "pat@council.gov.uk";
    let pat_user = app
        .add_user_with(pat_email, "Pat Partner", "Northshire Council", false)
        .await;
    let pat = app.client_for(pat_email).await;
    let body = json!({"subject_kind": "OCG", "subject_name": "Red Kings", "tier": 2});
    let form = [
        ("subject_kind", "OCG"),
        ("subject_name", "Red Kings"),
        ("subject_ref", ""),
        ("tier", "2"),
        ("lro", ""),
    ];
    let post = |client: &reqwest::Client| client.post(app.url("/api/plans")).json(&body).send();
    let post_fn = |client: &reqwest::Client| client.post(app.url("/api/fn/create_plan")).form(&form).send();

    let refused = post(&pat).await.unwrap();
    assert_eq!(refused.status(), 403);
    let message: serde_json::Value = refused.json().await.unwrap();
    assert!(
        message["error"].as_str().unwrap().contains("may not lead plans"),
        "{message}"
    );
    let refused = post_fn(&pat).await.unwrap();
    assert!(!refused.status().is_success());
    let message = refused.text().await.unwrap();
    assert!(message.contains("may not lead plans"), "{message}");
    let plans: i64 = sqlx::query_scalar("SELECT count(*) FROM plans")
        .fetch_one(&app.pool)
        .await
        .unwrap();
    assert_eq!(plans, 0, "nothing was created");
    let page = pat.get(app.url("/")).text_body().await;
    assert!(page.contains(r#"id="may-not-lead-plans""#), "the page says why");
    assert!(!page.contains(r#"id="new-plan""#), "and offers no form");

    // The test app's own user may lead plans.
    assert_eq!(post(&app.http).await.unwrap().status(), 201);
    let created: plan::PlanSummary = integration_tests::fn_answer(post_fn(&app.http).await.unwrap()).await;
    assert_eq!(created.subject_name, "Red Kings");
    let page = app.get_text("/").await;
    assert!(page.contains(r#"id="new-plan""#) && !page.contains("may-not-lead-plans"));

    app.state
        .accounts
        .set_flag(pat_user.id, app::admin::AccountFlag::MayLeadPlans, true)
        .await
        .unwrap();
    assert_eq!(post(&pat).await.unwrap().status(), 201, "granted: at once");
    app.state
        .accounts
        .set_flag(pat_user.id, app::admin::AccountFlag::MayLeadPlans, false)
        .await
        .unwrap();
    assert_eq!(post(&pat).await.unwrap().status(), 403, "withdrawn: at once");
}
