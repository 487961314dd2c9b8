//! The plan's members and history in the browser: the LRO adds a member
//! and reads who changed what; a partner sees the members but cannot
//! manage them.

use integration_tests::browser::{spawn_site, spawn_site_with_plan, Browser};
use integration_tests::{Client, Fetch};
use plan::Section;

#[tokio::test]
async fn the_lro_adds_members_and_reads_the_history_of_changes() {
    let (app, plan) = spawn_site_with_plan("Operation Yew").await;
    app.add_user("pat@council.gov.uk", "Pat", "Northshire Council").await;
    let lro = Client::connect(&app.ws_url(plan)).await;
    lro.edit(|p, t| p.set_section_text(t, Section::Aim, "Dismantle the network"));
    let browser = Browser::logged_in_at(&app, &format!("/plans/{plan}")).await;
    browser.wait_for("#connection-state[data-state='live']").await;

    browser.fill("member-email", "pat@council.gov.uk").await;
    let role = browser.wait_for("#member-role").await;
    role.select_by_value("partner").await.unwrap();
    browser.click("#add-member button[type='submit']").await;
    let row = "#members tr.member[data-email='pat@council.gov.uk']";
    browser
        .wait_for_text(row, "Pat listed", |t| t.contains("Northshire Council"))
        .await;
    let members: serde_json::Value = app.get_json(&format!("/api/plans/{plan}/members")).await;
    assert!(members
        .as_array()
        .unwrap()
        .iter()
        .any(|m| m["role"] == "partner" && m["user"]["name"] == "Pat"));

    browser.click("#show-history").await;
    browser
        .wait_for_text("#history", "the aim's change", |t| {
            t.contains("Dee Lro (Northshire Police)") && t.contains("Aim") && t.contains("Dismantle the network")
        })
        .await;

    // Pat sees who is on the plan, but no way to change it.
    let pat = Browser::start().await;
    pat.log_in_as(&app, "pat@council.gov.uk").await;
    pat.client.goto(&app.url(&format!("/plans/{plan}"))).await.unwrap();
    pat.wait_for_text("#members", "the members", |t| {
        t.contains("Dee Lro") && t.contains("Partner")
    })
    .await;
    for control in ["#add-member", "#show-history", "#members select"] {
        let found = pat.client.find_all(fantoccini::Locator::Css(control)).await.unwrap();
        assert!(found.is_empty(), "{control} is the LRO's");
    }
    browser.close().await;
    pat.close().await;
}

#[tokio::test]
async fn administrators_add_agencies_and_users_and_nobody_else_can() {
    let app = spawn_site().await;
    let browser = Browser::logged_in_at(&app, "/admin").await;
    browser
        .wait_for_text("#admin-error", "the refusal", |t| t.contains("Only administrators"))
        .await;

    app.sql("UPDATE users SET is_admin = true").await;
    browser.client.goto(&app.url("/admin")).await.unwrap();
    browser.wait_for("body[data-hydrated]").await;
    browser.fill("agency-name", "Northshire Council").await;
    browser.fill("agency-kind", "Local authority").await;
    browser.click("#add-agency button[type='submit']").await;
    browser
        .wait_for_text("#agencies", "the new agency", |t| t.contains("Northshire Council"))
        .await;
    browser.wait_for("#user-agency option:nth-child(2)").await;
    browser.fill("user-name", "Pat Partner").await;
    browser.fill("user-email", "pat@council.gov.uk").await;
    let agency = browser.wait_for("#user-agency").await;
    agency.select_by_label("Northshire Council").await.unwrap();
    browser.fill("user-password", "short").await;
    browser.click("#add-user button[type='submit']").await;
    browser
        .wait_for_text("#add-user-error", "the password refusal", |t| t.contains("at least 12"))
        .await;
    let password = browser.wait_for("#user-password").await;
    password.clear().await.unwrap();
    browser.fill("user-password", "a long enough secret").await;
    browser.click("#add-user button[type='submit']").await;
    browser
        .wait_for_text("#users", "the new user", |t| t.contains("pat@council.gov.uk"))
        .await;
    let (user, token) = app
        .state
        .accounts
        .log_in("pat@council.gov.uk", "a long enough secret")
        .await
        .unwrap();
    assert_eq!(user.agency, "Northshire Council");
    assert!(!user.is_admin);

    // Pat leaves: the administrator disables the account. Pat's session
    // and open connection end at once, and Pat cannot log in again.
    let pat_cookie = format!("pillars_session={}", token.0);
    let plan = app.create_plan("Operation Elder").await;
    let members = app.url(&format!("/api/plans/{plan}/members"));
    let body = serde_json::json!({"email": "pat@council.gov.uk", "role": "partner"});
    assert_eq!(app.http.put(&members).json(&body).send().await.unwrap().status(), 200);
    let pat = Client::connect(&app.ws_as(plan, &pat_cookie)).await;
    browser
        .click("#users tr.user[data-email='pat@council.gov.uk'] .disable-user")
        .await;
    browser
        .wait_for_text("#users tr.user[data-email='pat@council.gov.uk']", "Pat disabled", |t| {
            t.contains("Disabled")
        })
        .await;
    let (code, _) = pat.closed().await;
    assert_eq!(code, 4403);
    let session = app.client_as(&pat_cookie).get(app.url("/api/session")).sent().await;
    assert_eq!(session.status(), 401);
    let again = app
        .state
        .accounts
        .log_in("pat@council.gov.uk", "a long enough secret")
        .await;
    assert!(again.is_err(), "a disabled account cannot log in");
    browser.close().await;
}
