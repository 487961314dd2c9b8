//! Every page passes axe-core's WCAG 2.2 AA rules, as each kind of user
//! sees it, with its panels open.

use integration_tests::browser::{site_root, Browser};
use integration_tests::{spawn_app_with, Client, PAT};

#[tokio::test]
async fn every_page_passes_wcag_2_2_aa() {
    // Closed plans are due for their retention review at once, so that
    // the review list has one.
    let app = spawn_app_with(|c| {
        c.site_root = Some(site_root());
        c.retention = plan::lifecycle::Retention::parse("0").unwrap();
    })
    .await;
    let plan = app.create_plan("Operation Yew").await;
    let closed = app.create_plan("Operation Elm").await;
    let closing = serde_json::json!({ "outcome": "merged", "summary": "Merged into Operation Yew" });
    let answer = app.post_json(&format!("/api/plans/{closed}/close"), &closing).await;
    assert_eq!(answer.status(), 200);
    let lro = Client::connect(&app.ws_url(plan)).await;
    lro.edit(|p, t| {
        p.set_section_text(t, plan::Section::Aim, "Dismantle the network");
        p.add_action(t, &plan::NewAction::new([plan::P::Pursue], "Warrant"))
            .unwrap()
    });
    lro.wait_until("the edits are stored", |s| s.synced).await;
    assert_eq!(app.record_review(plan).await.status(), 201);
    app.add_to_plan(plan, &PAT, "partner").await;
    let me = app.user_id(integration_tests::USER_EMAIL).await;
    for flag in [app::admin::AccountFlag::Auditor, app::admin::AccountFlag::StrategicLead] {
        app.state.accounts.set_flag(me, flag, true).await.unwrap();
    }

    let logged_out = Browser::start().await;
    logged_out.client.goto(&app.url("/login")).await.unwrap();
    logged_out.wait_for("body[data-hydrated]").await;
    logged_out.assert_accessible("/login").await;
    logged_out.close().await;

    let browser = Browser::logged_in(&app).await;
    let pages = [
        "/".to_string(),
        format!("/plans/{plan}/versions"),
        format!("/plans/{plan}/version?at=review-1"),
        format!("/plans/{plan}/compare"),
        "/portfolio".into(),
        "/strategy".into(),
        "/my-actions".into(),
        "/disruptions".into(),
        "/notifications".into(),
        "/notifications/settings".into(),
        format!("/audit?search=1&plan={plan}"),
        format!("/plans/{closed}"),
        // Not a plan of theirs: the break-glass offer.
        format!("/plans/{}", uuid::Uuid::new_v4()),
    ];
    for page in &pages {
        browser.client.goto(&app.url(page)).await.unwrap();
        browser.wait_for("body[data-hydrated]").await;
        browser.wait_for("#main").await;
        browser.assert_accessible(page).await;
    }

    // The plan page with the LRO's panels open.
    browser.client.goto(&app.url(&format!("/plans/{plan}"))).await.unwrap();
    browser.wait_for("#connection-state[data-state='live']").await;
    browser.click("#show-history").await;
    browser.wait_for("#history").await;
    browser.click("#show-access-log").await;
    browser.wait_for("#plan-access-log").await;
    browser.assert_accessible("the plan page (LRO)").await;

    browser.client.goto(&app.url("/account")).await.unwrap();
    browser.wait_for("body[data-hydrated]").await;
    browser.click("#show-own-access").await;
    browser.wait_for("#own-access-log").await;
    browser.assert_accessible("/account").await;
    browser.close().await;

    let agency = app.agency_id(integration_tests::USER_AGENCY).await;
    app.state
        .accounts
        .create_user(server::accounts::NewUser {
            email: "ada@northshire.police.uk".into(),
            name: "Ada Admin".into(),
            agency_id: agency,
            password: integration_tests::USER_PASSWORD.into(),
            is_admin: true,
            strategic_lead: false,
            may_lead_plans: true,
            auditor: false,
        })
        .await
        .unwrap();
    let admin = Browser::start().await;
    admin.log_in_as(&app, "ada@northshire.police.uk").await;
    admin.client.goto(&app.url("/admin")).await.unwrap();
    admin.wait_for("body[data-hydrated]").await;
    admin.wait_for("#users").await;
    admin.assert_accessible("/admin").await;
    admin.close().await;
}

/// The check itself: a page given a fault (an image with no text
/// alternative, a field with no label) is reported, naming each.
#[tokio::test]
async fn the_check_finds_a_fault_put_into_a_page() {
    let app = integration_tests::browser::spawn_site().await;
    let browser = Browser::logged_in_at(&app, "/").await;
    browser.wait_for("body[data-hydrated]").await;
    browser
        .client
        .execute(
            "const main = document.getElementById('main');
             main.insertAdjacentHTML('beforeend', '<img src=\"/favicon.svg\"><input type=\"text\">');",
            vec![],
        )
        .await
        .unwrap();
    let found = browser.accessibility_violations().await;
    assert!(found.iter().any(|v| v.starts_with("image-alt")), "{found:?}");
    assert!(found.iter().any(|v| v.starts_with("label")), "{found:?}");
    browser.close().await;
}
