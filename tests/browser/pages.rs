//! The plans page in real headless Chromium: server-rendered, hydrated, live.

use fantoccini::Locator;
use integration_tests::browser::{spawn_site, spawn_site_with_plan, Browser};
use integration_tests::Fetch;

#[tokio::test]
async fn the_plans_page_hydrates_and_creates_plans_from_its_form() {
    let app = spawn_site().await;
    app.create_plan("Operation Larch").await;
    let browser = Browser::logged_in(&app).await;
    let page = &browser.client;
    page.goto(&app.url("/")).await.unwrap();
    browser.wait_for("body[data-hydrated]").await;
    let rows = page.find_all(Locator::Css("tr.plan-row")).await.unwrap();
    assert_eq!(rows.len(), 1);
    assert!(rows[0].text().await.unwrap().contains("Operation Larch"));

    // A refused form keeps what was typed and names the field.
    browser.fill("subject_ref", "OCG-0099").await;
    browser.click("#create-plan").await;
    let error = browser.wait_for("#new-plan-error").await.text().await.unwrap();
    assert!(error.contains("Subject name"), "{error}");
    let kept = browser.value_of("subject_ref").await;
    assert_eq!(kept.as_deref(), Some("OCG-0099"));

    browser.fill("subject_name", "Operation Hawthorn").await;
    browser.click("#tier option[value='3']").await;
    browser.fill("lro", "DI Priya Shah").await;
    browser.click("#create-plan").await;
    browser.wait_for("#new-plan-created").await;
    let row = page
        .wait()
        .at_most(integration_tests::PATIENCE)
        .for_element(Locator::XPath(
            "//tr[contains(@class,'plan-row')][contains(., 'Operation Hawthorn')]",
        ))
        .await
        .expect("the new plan is listed without a reload");
    let text = row.text().await.unwrap();
    assert!(text.contains("Tier 3") && text.contains("DI Priya Shah"), "{text}");
    assert_eq!(page.current_url().await.unwrap().path(), "/");

    let list = app.list_plans().await;
    assert_eq!(list.as_array().unwrap().len(), 2, "the plan was stored");
    browser.close().await;
}

#[tokio::test]
async fn the_plan_page_shows_its_live_connection_and_when_it_is_lost() {
    let mut app = spawn_site().await;
    let plan = app.create_plan("Operation Larch").await;
    let browser = Browser::logged_in_at(&app, &format!("/plans/{plan}")).await;
    browser.wait_for("body[data-hydrated]").await;
    let badge = browser.wait_for("#connection-state[data-state='live']").await;
    assert_eq!(badge.text().await.unwrap(), "Live");
    assert!(app.state.rooms.is_loaded(plan), "the page joined the plan's room");

    app.stop().await;
    let badge = browser.wait_for("#connection-state[data-state='offline']").await;
    assert!(badge.text().await.unwrap().starts_with("Offline"));
    browser.close().await;
}

#[tokio::test]
async fn text_typed_in_one_browser_appears_in_another_and_both_edits_survive() {
    let (app, plan) = spawn_site_with_plan("Operation Larch").await;
    let url = app.url(&format!("/plans/{plan}"));
    let (alice, bob) = Browser::pair_on(&app, &url, integration_tests::USER_EMAIL).await;
    let aim = "#text-aim";
    alice.fill("text-aim", "Dismantle the network.").await;
    let typed = std::time::Instant::now();
    bob.wait_for_value(aim, "alice's typing", |v| v == "Dismantle the network.")
        .await;
    let shown_after = typed.elapsed();
    println!("typed text shown in the other browser after {shown_after:?}");
    assert!(
        shown_after < std::time::Duration::from_secs(1),
        "text typed in one browser shows in the other within 1 s (took {shown_after:?})"
    );

    // Both type into the same field; each edit lands where its author put it.
    bob.click(aim).await;
    bob.send_keys_to("text-aim", " Protect children.").await;
    alice.caret_to_start_of_aim().await;
    alice.send_keys_to("text-aim", "Now: ").await;
    let merged = "Now: Dismantle the network. Protect children.";
    alice.wait_for_value(aim, "both edits", |v| v == merged).await;
    bob.wait_for_value(aim, "both edits", |v| v == merged).await;
    assert_eq!(app.export(plan).await["sections"]["aim"], merged, "stored");

    // After a reload: in the server-rendered page, and in the live editor.
    let html = app.http.get(&url).text_body().await;
    assert!(html.contains(merged), "the reloaded page is rendered with both edits");
    bob.client.goto(&url).await.unwrap();
    bob.wait_for("#connection-state[data-state='live']").await;
    bob.wait_for_value(aim, "the text after reload", |v| v == merged).await;
    alice.close().await;
    bob.close().await;
}

#[tokio::test]
async fn the_plans_list_follows_plans_created_and_changed_by_others() {
    let app = spawn_site().await;
    let browser = Browser::logged_in_at(&app, "/").await;
    browser.wait_for("body[data-hydrated]").await;

    // Someone else starts a plan: it appears without a reload.
    let plan = app.create_plan("Operation Juniper").await;
    let row = format!("tr.plan-row[data-plan-id='{plan}']");
    browser
        .wait_for_text(&row, "the new plan", |t| t.contains("Operation Juniper"))
        .await;

    // Someone else adds a RED action in the plan: the counts follow.
    let editor = integration_tests::Client::connect(&app.ws_url(plan)).await;
    editor.edit(|p, txn| {
        p.add_action(txn, &plan::NewAction::new([plan::P::Prevent], "Home visit"))
            .unwrap()
    });
    let red = format!("{row} .rag-counts li.rag-red .rag-count");
    browser.wait_for_text(&red, "one RED action", |t| t == "1").await;
    browser.close().await;
}

#[tokio::test]
async fn people_log_in_and_out_in_the_browser() {
    let (app, plan) = spawn_site_with_plan("Operation Rowan").await;
    let browser = Browser::start().await;
    browser.client.goto(&app.url(&format!("/plans/{plan}"))).await.unwrap();
    browser.wait_for("#login").await;
    assert!(
        browser.client.current_url().await.unwrap().path() == "/login",
        "sent to log in"
    );

    browser.wait_for("body[data-hydrated]").await;
    browser.fill("email", integration_tests::USER_EMAIL).await;
    browser.fill("password", "not my password").await;
    browser.click("#log-in").await;
    browser
        .wait_for_text("#login-error", "the refusal", |t| {
            t.contains("email or password is not right")
        })
        .await;

    let password = browser.client.find(Locator::Id("password")).await.unwrap();
    password.clear().await.unwrap();
    browser.fill("password", integration_tests::USER_PASSWORD).await;
    browser.click("#log-in").await;
    let name = browser.wait_for("#viewer-name").await;
    assert_eq!(name.text().await.unwrap(), "Dee Lro");
    browser.wait_for(&format!("tr.plan-row[data-plan-id='{plan}']")).await;

    browser.click("#log-out").await;
    browser.wait_for("#login").await;
    browser.client.goto(&app.url("/")).await.unwrap();
    browser.wait_for("#login").await;
    browser.close().await;
}

#[tokio::test]
async fn an_open_plan_page_goes_to_log_in_when_its_session_ends() {
    let (app, plan) = spawn_site_with_plan("Operation Hazel").await;
    let browser = Browser::logged_in_at(&app, &format!("/plans/{plan}")).await;
    browser.wait_for("#connection-state[data-state='live']").await;
    // The session ends elsewhere (log-out from another tab): the server
    // closes this page's socket (4401), and the page asks for a log-in
    // rather than reconnecting to be refused.
    let session = browser.client.get_named_cookie("pillars_session").await.unwrap();
    let cookie = format!("pillars_session={}", session.value());
    let response = app.client_as(&cookie).delete(app.url("/api/session")).sent().await;
    assert_eq!(response.status(), 204);
    browser.wait_for("#login").await;
    assert_eq!(browser.client.current_url().await.unwrap().path(), "/login");
    browser.close().await;
}

#[tokio::test]
async fn an_open_portfolio_follows_a_change_to_an_action_status_without_a_reload() {
    let (app, plan) = spawn_site_with_plan("Operation Larch").await;
    let editor = integration_tests::Client::connect(&app.ws_url(plan)).await;
    let action = editor.edit(|p, t| {
        p.tag_threat(t, &plan::strategy::ThreatKey::parse("county-lines").unwrap(), true);
        p.add_action(t, &plan::NewAction::new([plan::P::Pursue], "Warrant"))
            .unwrap()
    });
    let browser = Browser::logged_in_at(&app, "/portfolio").await;
    browser.wait_for("body[data-hydrated]").await;
    let row = "tr[data-threat='county-lines'] td[data-figure='rag']";
    browser.wait_for(&format!("{row}[data-red='1'][data-green='0']")).await;

    editor.edit(|p, t| {
        p.change_action(t, &action, &plan::ActionChange::Status(plan::RagStatus::Green))
            .unwrap()
    });
    browser.wait_for(&format!("{row}[data-red='0'][data-green='1']")).await;
    let bar = browser.wait_for(&format!("{row} svg rect[data-status='GREEN']")).await;
    assert_eq!(bar.attr("data-count").await.unwrap().as_deref(), Some("1"));
    browser.close().await;
}
