//! The plans page in real headless Chromium: server-rendered, hydrated, live.

use fantoccini::Locator;
use integration_tests::browser::{site_root, Browser};
use integration_tests::spawn_app_with;

#[tokio::test]
async fn the_plans_page_hydrates_and_creates_plans_from_its_form() {
    let app = spawn_app_with(|c| c.site_root = Some(site_root())).await;
    app.create_plan("Operation Larch").await;
    let browser = Browser::start().await;
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
    let kept = page
        .find(Locator::Id("subject_ref"))
        .await
        .unwrap()
        .prop("value")
        .await
        .unwrap();
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
    let mut app = spawn_app_with(|c| c.site_root = Some(site_root())).await;
    let plan = app.create_plan("Operation Larch").await;
    let browser = Browser::start().await;
    browser.client.goto(&app.url(&format!("/plans/{plan}"))).await.unwrap();
    browser.wait_for("body[data-hydrated]").await;
    let badge = browser.wait_for("#connection-state[data-state='live']").await;
    assert_eq!(badge.text().await.unwrap(), "Live");
    assert!(app.state.rooms.is_loaded(plan), "the page joined the plan's room");

    app.stop().await;
    let badge = browser.wait_for("#connection-state[data-state='offline']").await;
    assert!(badge.text().await.unwrap().starts_with("Offline"));
    browser.close().await;
}
