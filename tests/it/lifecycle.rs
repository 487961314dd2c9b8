//! A plan's life: its LRO closes it (with an outcome, a summary and the
//! disruptions achieved) and reopens it; a closed plan refuses every edit
//! from every role, hand-built ones included; its open pages reload; it
//! leaves the live portfolio.

mod disposal;
mod handover;

use integration_tests::raw::{edit, refused, replica_as};
use integration_tests::{spawn_app_with_pat_as, spawn_app_with_plan, Client, Fetch, TestApp, PAT, SAM};
use plan::Section;
use serde_json::{json, Value};
use uuid::Uuid;

async fn close(app: &TestApp, client: &reqwest::Client, plan: Uuid) -> reqwest::Response {
    let body = json!({
        "outcome": "dismantled",
        "summary": "Principal charged; the network's lines closed",
        "disruptions": "3 major, 5 moderate"
    });
    client
        .post(app.url(&format!("/api/plans/{plan}/close")))
        .json(&body)
        .sent()
        .await
}

#[tokio::test]
async fn only_the_lro_closes_a_plan_and_the_closing_is_recorded() {
    let (app, plan) = spawn_app_with_pat_as("Operation Elder", "plan_owner").await;
    let owner = app.client_for(PAT.email).await;
    let stranger = app.client_for(SAM.email).await;
    assert_eq!(close(&app, &owner, plan).await.status(), 403, "a plan owner");
    assert_eq!(close(&app, &stranger, plan).await.status(), 404, "a non-member");
    let bad = app
        .post_json(
            &format!("/api/plans/{plan}/close"),
            &json!({ "outcome": "won", "summary": "x" }),
        )
        .await;
    assert_eq!(bad.status(), 422);
    assert!(bad.text().await.unwrap().contains("outcome: choose one of dismantled"));

    let closed = close(&app, &app.http, plan).await;
    assert_eq!(closed.status(), 200);
    let life: Value = closed.json().await.unwrap();
    assert_eq!(life["closed"], true);
    let event = &life["events"][0];
    assert_eq!(
        (event["event"].as_str(), event["outcome"].as_str(), event["by"].as_str()),
        (Some("closed"), Some("dismantled"), Some(integration_tests::USER_NAME))
    );
    assert_eq!(event["disruptions"], "3 major, 5 moderate");
    let review: chrono::NaiveDate = serde_json::from_value(life["review_on"].clone()).unwrap();
    let today = chrono::Utc::now().date_naive();
    assert_eq!(
        review,
        today.checked_add_months(chrono::Months::new(72)).unwrap(),
        "six years"
    );
    assert_eq!(close(&app, &app.http, plan).await.status(), 422, "closed already");
}

#[tokio::test]
async fn a_closed_plan_refuses_every_edit_from_every_role_including_hand_built_ones() {
    let (app, plan) = spawn_app_with_plan("Operation Elder").await;
    app.add_to_plan(plan, &PAT, "partner").await;
    let lro = Client::connect(&app.ws_url(plan)).await;
    let action = lro.edit(|p, t| {
        p.set_section_text(t, Section::Aim, "Dismantle");
        p.add_action(
            t,
            &plan::NewAction {
                owner_agency: PAT.agency.into(),
                ..plan::NewAction::new([plan::P::Prevent], "Youth work")
            },
        )
        .unwrap()
    });
    Client::connect(&app.ws_url(plan))
        .await
        .wait_for_aim("the edits on the server", "Dismantle")
        .await;
    // Its open page is told to reload into the closed plan.
    assert_eq!(close(&app, &app.http, plan).await.status(), 200);
    let (code, reason) = lro.closed().await;
    assert_eq!(code, 4409, "{reason}");
    assert!(reason.contains("closed"), "{reason}");

    let pat_cookie = app.session_for(PAT.email).await;
    for target in [app.ws_url(plan), app.ws_as(plan, &pat_cookie)] {
        let client = Client::connect(&target).await;
        client.edit(|p, t| {
            p.change_action(t, &action, &plan::ActionChange::Update("After closing".into()))
                .unwrap()
        });
        let seen = client.wait_until("the refusal", |s| !s.denied.is_empty()).await;
        assert!(seen.denied[0].contains("the plan is closed"), "{:?}", seen.denied);
    }
    // A hand-built update under someone else's client id, as an attacker's own client sends.
    let state = app.state.plans.load(plan).await.unwrap().unwrap().encode_state();
    let update = edit(&replica_as(&state, 4242), |p, t| {
        p.set_section_text(t, Section::Aim, "Hijacked")
    });
    let refusal = refused(&app.ws_url(plan), replica_as(&state, 4242), update).await;
    assert!(refusal.contains("the plan is closed"), "{refusal}");
    // Edits through the REST API go through the same gate.
    let my_edit = json!({ "plan": plan, "action": action, "update": "From my desk" });
    let pat = app.client_as(&pat_cookie);
    let answer = pat.post(app.url("/api/my-actions")).json(&my_edit).sent().await;
    assert_eq!(answer.status(), 403);
    assert!(answer.text().await.unwrap().contains("the plan is closed"));

    let export = app.export(plan).await;
    assert_eq!(export["sections"]["aim"], "Dismantle");
    assert_eq!(app.exported_action(plan, &action).await["update"], "");
}

#[tokio::test]
async fn reopening_makes_the_plan_editable_again_and_closed_plans_leave_the_live_portfolio() {
    let (app, plan) = spawn_app_with_plan("Operation Elder").await;
    let counted = |app: &TestApp| {
        let request = app.http.get(app.url("/api/portfolio"));
        async move { request.json_body::<Value>().await["portfolio"]["total"]["plans"].clone() }
    };
    assert_eq!(counted(&app).await, 1);
    assert_eq!(close(&app, &app.http, plan).await.status(), 200);
    assert_eq!(counted(&app).await, 0, "a closed plan leaves the live figures");
    let view: Value = app.get_json("/api/portfolio").await;
    assert_eq!(
        view["closed"],
        json!([["dismantled", 1]]),
        "and counts as closed in the period"
    );

    let reopen = |reason: &str| {
        let request = app
            .http
            .post(app.url(&format!("/api/plans/{plan}/reopen")))
            .json(&json!({ "reason": reason }));
        async move { request.sent().await }
    };
    assert_eq!(reopen("  ").await.status(), 422, "a reason is required");
    let reopened = reopen("New intelligence: the group has re-formed").await;
    assert_eq!(reopened.status(), 200);
    let life: Value = reopened.json().await.unwrap();
    assert_eq!(life["closed"], false);
    assert_eq!(life["events"][1]["event"], "reopened");
    assert_eq!(counted(&app).await, 1);

    let lro = Client::connect(&app.ws_url(plan)).await;
    lro.edit(|p, t| p.set_section_text(t, Section::Aim, "Dismantle again"));
    let watcher = Client::connect(&app.ws_url(plan)).await;
    watcher
        .wait_for_aim("the edit after reopening", "Dismantle again")
        .await;
}

#[tokio::test]
async fn a_closed_plans_actions_leave_my_actions() {
    let (app, plan) = spawn_app_with_plan("Operation Elder").await;
    let me = app.user_id(integration_tests::USER_EMAIL).await;
    let mine = plan::NewAction {
        owner_agency: integration_tests::USER_AGENCY.into(),
        ..plan::NewAction::new([plan::P::Pursue], "Warrant")
    };
    // The plans list hears of the plan once its facts are written.
    let mut changes = integration_tests::events::PlanChanges::open(&app.http, &app.url("/api/plans/changes")).await;
    let access = server::collab::room::Access::full(me);
    server::collab::server_edit::edit_as(&app.state.rooms, plan, access, move |p, t| p.add_action(t, &mine))
        .await
        .unwrap();
    assert_eq!(changes.next().await, plan.to_string());
    let listed = |app: &TestApp| {
        let request = app.http.get(app.url("/api/my-actions"));
        async move { request.json_body::<Value>().await["by_agency"].to_string() }
    };
    assert!(listed(&app).await.contains("Warrant"));
    assert_eq!(close(&app, &app.http, plan).await.status(), 200);
    assert!(
        !listed(&app).await.contains("Warrant"),
        "a closed plan's actions are done with"
    );
}
