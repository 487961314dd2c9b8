//! The plan read without the live editor: with JavaScript switched off,
//! and printed on A4 with the marking on every page.

use integration_tests::browser::{spawn_site_with_plan, Browser};
use integration_tests::{Client, TestApp};
use plan::{HeaderText, NewAction, RagStatus, Section, P};
use uuid::Uuid;

/// Fills a plan through the sync protocol, as another editor would.
async fn write_plan(app: &TestApp, plan: Uuid) {
    let client = Client::connect(&app.ws_url(plan)).await;
    client.edit(|p, txn| {
        p.set_section_text(txn, Section::Aim, "Dismantle the <Birch> network");
        p.set_header_text(txn, HeaderText::Sio, "DCI Okafor");
        p.select_objective(txn, "pursue-1", true).unwrap();
        p.add_action(
            txn,
            &NewAction {
                date: Some("2026-03-01".parse().unwrap()),
                owner_name: "J. Reid".into(),
                owner_agency: "Council".into(),
                update: "Delivered to two schools".into(),
                status: RagStatus::Amber,
                submitted: true,
                ..NewAction::new([P::Prevent], "Schools input on exploitation")
            },
        )
        .unwrap();
    });
    let watcher = Client::connect(&app.ws_url(plan)).await;
    watcher
        .wait_for_doc("the written plan", |p| !p.actions(&p.transact()).is_empty())
        .await;
}

#[tokio::test]
async fn with_javascript_off_the_plan_is_readable() {
    let (app, plan) = spawn_site_with_plan("Operation Elm").await;
    write_plan(&app, plan).await;
    let browser = Browser::start_without_javascript().await;
    browser.log_in(&app).await;
    browser.client.goto(&app.url(&format!("/plans/{plan}"))).await.unwrap();
    let visible = |css: &'static str| {
        let browser = &browser;
        async move { browser.wait_for(css).await.text().await.unwrap() }
    };
    assert_eq!(visible(".marking-top").await, "OFFICIAL-SENSITIVE");
    assert_eq!(visible("#plan-title").await, "OCG Operation Elm");
    assert_eq!(visible("dd[data-field='sio']").await, "DCI Okafor");
    assert_eq!(
        visible("#section-aim .section-text").await,
        "Dismantle the <Birch> network"
    );
    let row = visible("#action-log-prevent tr.action-row").await;
    for part in [
        "Schools input on exploitation",
        "J. Reid / Council",
        "Delivered to two schools",
        "AMBER",
        "Y",
    ] {
        assert!(row.contains(part), "{part} in {row}");
    }
    let pursue = visible("#objectives-pursue li[data-selected='true']").await;
    assert!(pursue.starts_with("✓ Y"), "{pursue}");
    // No dead controls: the editors need JavaScript, so they are not shown.
    for css in ["#text-aim", "#add-action-pursue", "#presence", "#edit-tier"] {
        let shown = browser.wait_for(css).await.is_displayed().await.unwrap();
        assert!(!shown, "{css} is hidden without JavaScript");
    }
    assert_eq!(visible(".marking-bottom").await, "OFFICIAL-SENSITIVE");
    browser.close().await;
}

#[tokio::test]
async fn the_printed_plan_is_a4_with_the_marking_on_every_page_and_no_controls() {
    let (app, plan) = spawn_site_with_plan("Operation Fig").await;
    write_plan(&app, plan).await;
    let browser = Browser::logged_in(&app).await;
    browser.open_live(&app.url(&format!("/plans/{plan}"))).await;
    let a4 = fantoccini::wd::PrintConfiguration::builder()
        .size(fantoccini::wd::PrintSize::A4)
        .build()
        .unwrap();
    let pdf = browser.client.print(a4).await.expect("the page prints");
    browser.close().await;

    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("plan.pdf");
    std::fs::write(&file, pdf).unwrap();
    let text = std::process::Command::new("pdftotext")
        .args(["-layout", file.to_str().unwrap(), "-"])
        .output()
        .expect("pdftotext runs (scripts/dev test installs poppler-utils)");
    let text = String::from_utf8_lossy(&text.stdout);
    let pages: Vec<&str> = text.split('\u{c}').filter(|p| !p.trim().is_empty()).collect();
    assert!(pages.len() >= 2, "a whole plan spans pages: {}", pages.len());
    for (n, page) in pages.iter().enumerate() {
        assert!(
            page.contains("OFFICIAL-SENSITIVE"),
            "page {} carries the marking:\n{page}",
            n + 1
        );
    }
    for content in [
        "Dismantle the <Birch> network",
        "DCI Okafor",
        "Schools input",
        "J. Reid",
        "AMBER",
    ] {
        assert!(text.contains(content), "{content} is printed");
    }
    for control in ["You appear as", "Add an action", "Add objective", "Live", "Guidance"] {
        assert!(!text.contains(control), "{control:?} is a control, not printed");
    }
}
