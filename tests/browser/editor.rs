//! The plan editor in real headless Chromium: the action log co-edited by
//! two browsers, presence, editing through a lost connection, and the plan
//! read with JavaScript switched off.

use fantoccini::Locator;
use integration_tests::browser::{site_root, Browser};
use integration_tests::proxy::Proxy;
use integration_tests::{spawn_app_with, Client, TestApp};
use plan::{HeaderText, NewAction, RagStatus, Section, P};
use std::time::Duration;
use uuid::Uuid;

async fn app_with_site() -> TestApp {
    spawn_app_with(|c| c.site_root = Some(site_root())).await
}

/// Opens the plan and waits until the page is live.
async fn open(browser: &Browser, url: &str) {
    browser.client.goto(url).await.unwrap();
    browser.wait_for("#connection-state[data-state='live']").await;
}

/// Alice, through a relay the test can cut or stall, and Bob, direct, on a
/// new plan's page; Alice has typed `first` into the aim, and Bob has it.
async fn alice_behind_a_relay(title: &str, first: &str) -> (TestApp, Uuid, Proxy, Browser, Browser) {
    // Alice's pages come through the relay: its origin is one of the app's.
    let listener = Proxy::bind().await;
    let origin = format!("http://{}", listener.local_addr().unwrap());
    let app = spawn_app_with(|c| {
        c.site_root = Some(site_root());
        c.public_origins = vec![origin.parse().unwrap()];
    })
    .await;
    let plan = app.create_plan(title).await;
    let relay = Proxy::start_on(listener, app.addr);
    let path = format!("/plans/{plan}");
    let (alice, bob) = (Browser::start().await, Browser::start().await);
    alice.log_in(&app).await;
    bob.log_in(&app).await;
    open(&alice, &relay.url(&path)).await;
    open(&bob, &app.url(&path)).await;
    type_into(&alice, "#text-aim", first).await;
    bob.wait_for_value("#text-aim", "Alice's first words", |v| v == first)
        .await;
    (app, plan, relay, alice, bob)
}

async fn type_into(browser: &Browser, css: &str, text: &str) {
    let field = browser.wait_for(css).await;
    field
        .send_keys(text)
        .await
        .unwrap_or_else(|e| panic!("typing into {css}: {e}"));
}

#[tokio::test]
async fn an_action_added_in_one_browser_shows_under_both_its_ps_in_the_other_with_its_status_colour() {
    let app = app_with_site().await;
    let plan = app.create_plan("Operation Birch").await;
    let url = app.url(&format!("/plans/{plan}"));
    let (alice, bob) = (Browser::start().await, Browser::start().await);
    alice.log_in(&app).await;
    bob.log_in(&app).await;
    open(&alice, &url).await;
    open(&bob, &url).await;

    alice.click("#add-action-pursue summary").await;
    type_into(
        &alice,
        "#new-action-pursue-text",
        "Execute warrant at the Elm Street address",
    )
    .await;
    type_into(&alice, "#new-action-pursue-owner", "DS Patel").await;
    type_into(&alice, "#new-action-pursue-agency", "Police").await;
    alice.click("#add-action-pursue input[data-new-align='PROTECT']").await;
    alice.click("#new-action-pursue-submit").await;

    for p in ["pursue", "protect"] {
        let row = format!("#action-log-{p} tr.action-row");
        bob.wait_for_text(&row, "the new action", |t| {
            t.contains("Execute warrant at the Elm Street address")
        })
        .await;
        let text = bob.wait_for(&row).await.text().await.unwrap();
        assert!(text.contains("DS Patel / Police"), "{p}: {text}");
        assert!(text.contains("RED"), "a new action starts RED: {text}");
    }
    for p in ["prevent", "prepare"] {
        let rows = bob
            .client
            .find_all(Locator::Css(&format!("#action-log-{p} tr.action-row")))
            .await
            .unwrap();
        assert!(rows.is_empty(), "the action is not under {p}");
    }

    // Bob marks it complete; both browsers show GREEN, in green, under both Ps.
    bob.click("#action-log-protect tr.action-row .edit-action").await;
    let status = bob
        .wait_for("#action-log-protect .action-editor select[data-status-select]")
        .await;
    status.select_by_value("GREEN").await.unwrap();
    for browser in [&alice, &bob] {
        for p in ["pursue", "protect"] {
            let cell = format!("#action-log-{p} tr.action-row[data-status='GREEN'] .status .rag-green");
            let badge = browser.wait_for(&cell).await;
            assert_eq!(badge.text().await.unwrap(), "GREEN");
            assert_eq!(browser.style(&cell, "background-color").await, "rgb(30, 123, 52)");
        }
    }
    let export = app.export(plan).await;
    let action = &export["actions"][0];
    assert_eq!(action["status"], "GREEN");
    assert_eq!(action["ps"], serde_json::json!(["PURSUE", "PROTECT"]));
    alice.close().await;
    bob.close().await;
}

#[tokio::test]
async fn people_on_a_plan_see_each_other_and_the_field_each_is_in() {
    let app = app_with_site().await;
    let plan = app.create_plan("Operation Cedar").await;
    app.add_member(plan, "alice@council.gov.uk", "Alice", "Council", "plan_owner")
        .await;
    let url = app.url(&format!("/plans/{plan}"));
    let (alice, bob) = (Browser::start().await, Browser::start().await);
    alice.log_in_as(&app, "alice@council.gov.uk").await;
    bob.log_in(&app).await;
    open(&alice, &url).await;
    open(&bob, &url).await;

    // People show under their account's name and agency.
    let me = alice.wait_for("#my-name").await;
    assert_eq!(me.text().await.unwrap(), "Alice (Council)");
    let chip = "#presence li.person[data-peer='Alice (Council)']";
    bob.wait_for_text(chip, "Alice on the plan", |t| t.contains("viewing"))
        .await;

    alice.click("#text-aim").await;
    bob.wait_for("#presence li.person[data-peer='Alice (Council)'][data-field='aim']")
        .await;
    let marker = bob.wait_for("#section-aim .field-peers .field-peer").await;
    assert_eq!(marker.text().await.unwrap(), "Alice (Council)");
    assert!(!bob.style(chip, "border-top-color").await.is_empty());

    // Leaving the field, then the plan.
    alice.click("#text-partnerships").await;
    bob.wait_for("#presence li.person[data-peer='Alice (Council)'][data-field='partnerships']")
        .await;
    alice.close().await;
    bob.wait_for_text("#presence", "Alice to leave", |t| !t.contains("Alice"))
        .await;
    bob.close().await;
}

/// A network that drops without a word (or a hung server) leaves a socket
/// open that carries nothing, and nothing tells the page. It hears nothing
/// for 35 s (the server sends a keepalive at least every 15 s), takes the
/// server for gone, says it is offline, and reconnects once it can; what
/// was typed meanwhile reaches everyone.
#[tokio::test]
async fn a_connection_gone_silent_is_given_up_and_the_page_reconnects() {
    let (_app, _plan, relay, alice, bob) = alice_behind_a_relay("Operation Sorrel", "Before.").await;

    relay.stall();
    let stalled = std::time::Instant::now();
    alice
        .wait_for_within(Duration::from_secs(60), "#connection-state[data-state='offline']")
        .await;
    let noticed = stalled.elapsed();
    assert!(
        noticed >= Duration::from_secs(30),
        "given up after {noticed:?}: too soon"
    );
    type_into(&alice, "#text-aim", " During.").await;
    relay.restore();
    alice
        .wait_for_within(Duration::from_secs(30), "#connection-state[data-state='live']")
        .await;
    bob.wait_for_value("#text-aim", "what Alice typed while cut off", |v| {
        v == "Before. During."
    })
    .await;
    bob.wait_for("#connection-state[data-state='live']").await;
    println!("a silent connection was given up after {noticed:?}");
    alice.close().await;
    bob.close().await;
}

#[tokio::test]
async fn edits_made_while_one_browser_is_offline_reach_everyone_when_it_reconnects() {
    let (app, plan, relay, alice, bob) = alice_behind_a_relay("Operation Damson", "Disrupt supply.").await;

    relay.cut();
    alice.wait_for("#connection-state[data-state='offline']").await;
    alice
        .client
        .execute(
            "const t = document.getElementById('text-aim'); t.focus(); t.setSelectionRange(0, 0);",
            vec![],
        )
        .await
        .unwrap();
    type_into(&alice, "#text-aim", "Offline: ").await;
    type_into(&alice, "#text-lro", " (acting)").await;
    type_into(&bob, "#text-aim", " Safeguard victims.").await;
    // Bob's edit reaches the server while Alice is cut off.
    let watcher = Client::connect(&app.ws_url(plan)).await;
    watcher
        .wait_for_doc("Bob's edit", |p| {
            p.section_text(&p.transact(), Section::Aim).ends_with("victims.")
        })
        .await;
    assert_eq!(
        alice
            .wait_for("#text-aim")
            .await
            .prop("value")
            .await
            .unwrap()
            .as_deref(),
        Some("Offline: Disrupt supply."),
        "Alice cannot see Bob's edit while offline"
    );

    relay.restore();
    alice.wait_for("#connection-state[data-state='live']").await;
    let merged = "Offline: Disrupt supply. Safeguard victims.";
    alice.wait_for_value("#text-aim", "both edits", |v| v == merged).await;
    bob.wait_for_value("#text-aim", "both edits", |v| v == merged).await;
    bob.wait_for_value("#text-lro", "Alice's offline LRO edit", |v| v.ends_with("(acting)"))
        .await;
    let export = app.export(plan).await;
    assert_eq!(export["sections"]["aim"], merged);
    assert!(export["header"]["lro"].as_str().unwrap().ends_with("(acting)"));
    alice.close().await;
    bob.close().await;
}

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
    let app = app_with_site().await;
    let plan = app.create_plan("Operation Elm").await;
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
    let app = app_with_site().await;
    let plan = app.create_plan("Operation Fig").await;
    write_plan(&app, plan).await;
    let browser = Browser::start().await;
    browser.log_in(&app).await;
    open(&browser, &app.url(&format!("/plans/{plan}"))).await;
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

#[tokio::test]
async fn a_partner_edits_its_own_actions_live_and_sees_the_rest_read_only() {
    let app = app_with_site().await;
    let plan = app.create_plan("Operation Hawthorn").await;
    let writer = Client::connect(&app.ws_url(plan)).await;
    let add = |agency: &str, text: &str| {
        writer.edit(|p, t| {
            p.add_action(
                t,
                &NewAction {
                    date: Some("2026-11-01".parse().unwrap()),
                    owner_agency: agency.into(),
                    ..NewAction::new([P::Pursue], text)
                },
            )
            .unwrap()
        })
    };
    let police = add(integration_tests::USER_AGENCY, "Warrant");
    let council = add("Northshire Council", "School visits");
    app.add_member(plan, "pat@council.gov.uk", "Pat", "Northshire Council", "partner")
        .await;
    let url = app.url(&format!("/plans/{plan}"));
    let (pat, lro) = (Browser::start().await, Browser::start().await);
    pat.log_in_as(&app, "pat@council.gov.uk").await;
    lro.log_in(&app).await;
    open(&pat, &url).await;
    open(&lro, &url).await;

    // Read-only for Pat: the plan's own parts and the police action.
    let row = |id: &str| format!("#action-log-pursue tr.action-row[data-action-id='{id}']");
    pat.wait_for(&format!("{} .edit-action", row(&council))).await;
    let police_edit = pat
        .client
        .find_all(Locator::Css(&format!("{} .edit-action", row(&police))))
        .await
        .unwrap();
    assert!(police_edit.is_empty(), "no editing another agency's action");
    for control in ["#text-aim", "#edit-tier", "#text-lro"] {
        let disabled = pat.wait_for(control).await.prop("disabled").await.unwrap();
        assert_eq!(disabled.as_deref(), Some("true"), "{control} is not Pat's to change");
    }

    // Pat updates the council action; the LRO watches it change.
    pat.click(&format!("{} .edit-action", row(&council))).await;
    let agency = pat.wait_for(&format!("#agency-{council}")).await;
    assert!(
        agency.attr("readonly").await.unwrap().is_some(),
        "the owner stays the council"
    );
    type_into(&pat, &format!("#text-action-{council}-update"), "Visited two schools").await;
    lro.wait_for_text(&format!("{} .update", row(&council)), "Pat's update", |t| {
        t == "Visited two schools"
    })
    .await;
    let status = pat.wait_for(&format!("#status-{council}")).await;
    status.select_by_value("AMBER").await.unwrap();
    lro.wait_for(&format!("{}[data-status='AMBER']", row(&council))).await;
    let export = app.export(plan).await;
    let stored = export["actions"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["id"] == council.as_str())
        .cloned()
        .unwrap();
    assert_eq!(stored["update"], "Visited two schools");
    pat.close().await;
    lro.close().await;
}
