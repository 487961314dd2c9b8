//! The access log in the browser: the LRO sees who has looked, a refused
//! probe marked; printing the plan is recorded; an auditor searches.

use integration_tests::browser::{spawn_site_with_plan, Browser};
use integration_tests::{Fetch, SAM};

#[tokio::test]
async fn the_lro_sees_who_has_looked_and_a_print_is_recorded() {
    let (app, plan) = spawn_site_with_plan("Operation Yew").await;
    app.add_person(&SAM).await;
    let sam = app.client_for(SAM.email).await;
    assert_eq!(
        sam.get(app.url(&format!("/api/plans/{plan}"))).sent().await.status(),
        404
    );

    let browser = Browser::logged_in_at(&app, &format!("/plans/{plan}")).await;
    browser.wait_for("#connection-state[data-state='live']").await;
    // What the browser does as its print dialog opens.
    browser.wait_for("body[data-hydrated]").await;
    browser
        .client
        .execute("window.dispatchEvent(new Event('beforeprint'));", vec![])
        .await
        .unwrap();
    browser.click("#show-access-log").await;
    let refused = browser.wait_for("#plan-access-log tr.refused").await;
    let text = refused.text().await.unwrap();
    assert!(text.contains("Sam") && text.contains("refused: not a member"), "{text}");
    assert!(browser
        .style("#plan-access-log tr.refused td", "color")
        .await
        .contains("139, 0, 0"));

    // The page counts the prints the server has recorded.
    browser.wait_for("body[data-prints-recorded='1']").await;
    app.state.access_log.flush().await;
    let printed: i64 = sqlx::query_scalar("SELECT count(*) FROM access_log WHERE plan_id = $1 AND kind = 'printed'")
        .bind(plan)
        .fetch_one(&app.pool)
        .await
        .unwrap();
    assert_eq!(printed, 1);
    browser.close().await;
}

#[tokio::test]
async fn an_auditor_searches_the_log_and_exports_it_from_the_page() {
    let (app, plan) = spawn_site_with_plan("Operation Yew").await;
    assert_eq!(app.get(&format!("/api/plans/{plan}")).await.status(), 200);
    let me = app.user_id(integration_tests::USER_EMAIL).await;
    app.state
        .accounts
        .set_flag(me, app::admin::AccountFlag::Auditor, true)
        .await
        .unwrap();
    let browser = Browser::logged_in_at(&app, "/").await;
    browser.click("#audit-link").await;
    browser.wait_for("#audit-search").await;
    browser.fill("audit-plan", &plan.to_string()).await;
    browser.click("#audit-search-button").await;
    let results = browser
        .wait_for_text("#audit-results", "the API read", |t| {
            t.contains("Read it through the API")
        })
        .await;
    assert!(results.contains("Dee Lro"), "{results}");
    let export = browser.wait_for("#audit-csv").await;
    assert_eq!(export.attr("action").await.unwrap().as_deref(), Some("/api/access-log"));
    browser.close().await;
}
