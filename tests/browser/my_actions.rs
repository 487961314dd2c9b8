//! `/my-actions` in real headless Chromium: an edit made there reaches the
//! plan page open in another browser live, and the top bar's overdue count
//! follows it. (Needs `cargo leptos build --split` first, like every browser test.)

use chrono::{Duration, Utc};
use integration_tests::browser::{spawn_site_with_plan, Browser};
use integration_tests::PAT;
use plan::{NewAction, RagStatus, P};
use server::collab::room::Access;
use server::collab::server_edit::edit_as;

#[tokio::test]
async fn an_edit_on_my_actions_appears_live_on_the_plan_page_in_another_browser() {
    let (app, plan) = spawn_site_with_plan("Operation Larch").await;
    app.add_to_plan(plan, &PAT, "partner").await;
    let lro: uuid::Uuid = sqlx::query_scalar("SELECT id FROM users WHERE email = $1")
        .bind(integration_tests::USER_EMAIL)
        .fetch_one(&app.pool)
        .await
        .unwrap();
    let overdue = NewAction {
        owner_agency: "Northshire Council".into(),
        target_date: Some(Utc::now().date_naive() - Duration::days(3)),
        status: RagStatus::Red,
        ..NewAction::new([P::Prevent], "Mentoring sessions")
    };
    let id = edit_as(&app.state.rooms, plan, Access::full(lro), move |p, t| {
        p.add_action(t, &overdue)
    })
    .await
    .unwrap();

    let (pat, dee) = (Browser::start().await, Browser::start().await);
    pat.log_in_as(&app, "pat@council.gov.uk").await;
    dee.log_in(&app).await;
    dee.client.goto(&app.url(&format!("/plans/{plan}"))).await.unwrap();
    dee.wait_for("#connection-state[data-state='live']").await;
    let row = format!("tr.action-row[data-action-id='{id}']");
    dee.wait_for(&format!("{row}[data-status='RED']")).await;

    pat.client.goto(&app.url("/my-actions")).await.unwrap();
    pat.wait_for("body[data-hydrated]").await;
    pat.wait_for("#my-overdue-count[data-count='1']").await;
    let item = format!("li.my-action[data-action='{id}']");
    pat.click(&format!("{item} select[name='edit[status]'] option[value='GREEN']"))
        .await;
    pat.click(&format!("{item} button[type='submit']")).await;

    // Live on the plan page in the other browser, without a reload.
    dee.wait_for(&format!("{row}[data-status='GREEN']")).await;
    // And on Pat's page: no longer overdue, the count down to 0.
    pat.wait_for(&format!("{item}[data-status='GREEN']")).await;
    pat.wait_for("#my-overdue-count[data-count='0']").await;
    assert_eq!(pat.client.current_url().await.unwrap().path(), "/my-actions");
    let export = app.export(plan).await;
    assert_eq!(export["actions"][0]["status"], "GREEN");
    pat.close().await;
    dee.close().await;
}
