//! A plan's life in the browser: the LRO closes it from its page (every
//! open page reloads into the read-only plan, with its banner); an auditor
//! breaks the glass from the "Plan not found" page, and the LRO is told.

use integration_tests::browser::{spawn_site_with_plan, Browser};
use integration_tests::{Client, SAM};
use plan::Section;

#[tokio::test]
async fn the_lro_closes_the_plan_from_its_page_and_every_page_turns_read_only() {
    let (app, plan) = spawn_site_with_plan("Operation Alder").await;
    let lro = Client::connect(&app.ws_url(plan)).await;
    lro.edit(|p, t| p.set_section_text(t, Section::Aim, "Dismantle"));
    let url = app.url(&format!("/plans/{plan}"));
    let (closer, watcher) = Browser::pair_on(&app, &url, integration_tests::USER_EMAIL).await;
    watcher
        .wait_for_value("#text-aim", "the aim", |v| v == "Dismantle")
        .await;

    closer.fill("close-summary", "Principal charged; lines closed").await;
    closer.fill("close-disruptions", "2 major").await;
    closer.click("#close-plan-button").await;
    for page in [&closer, &watcher] {
        let banner = page
            .wait_for_text("#closed-banner", "the closed banner", |t| t.contains("Dismantled"))
            .await;
        assert!(banner.contains("Principal charged"), "{banner}");
        page.wait_for("#connection-state[data-state='live']").await;
        let aim = page.wait_for("#text-aim").await;
        let editable = aim.prop("readOnly").await.unwrap().as_deref() == Some("false")
            && aim.prop("disabled").await.unwrap().as_deref() != Some("true");
        assert!(!editable, "the aim is read-only once the plan is closed");
    }
    assert!(
        closer.client.find(fantoccini::Locator::Id("reopen-plan")).await.is_ok(),
        "the LRO may reopen it"
    );
    closer.close().await;
    watcher.close().await;
}

#[tokio::test]
async fn an_auditor_breaks_the_glass_from_the_not_found_page_and_the_lro_is_told() {
    let (app, plan) = spawn_site_with_plan("Operation Alder").await;
    let sam = app.add_person(&SAM).await;
    let flag = app::admin::AccountFlag::Auditor;
    app.state.accounts.set_flag(sam.id, flag, true).await.unwrap();
    let auditor = Browser::start().await;
    auditor.log_in_as(&app, SAM.email).await;
    auditor.client.goto(&app.url(&format!("/plans/{plan}"))).await.unwrap();
    auditor.wait_for("#break-glass-form").await;
    auditor
        .fill("break-glass-reason", "Threat to life; the LRO cannot be reached")
        .await;
    auditor.click("#break-glass-button").await;
    auditor
        .wait_for_text("h1", "the plan itself", |t| t.contains("Operation Alder"))
        .await;
    auditor.close().await;

    let lro = Browser::logged_in_at(&app, &format!("/plans/{plan}")).await;
    let notice = lro
        .wait_for_text("#break-glass-notice", "the LRO is told", |t| {
            t.contains("cannot be reached")
        })
        .await;
    assert!(notice.contains(SAM.name), "{notice}");
    lro.close().await;
}
