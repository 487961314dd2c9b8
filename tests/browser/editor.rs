//! The plan editor in real headless Chromium: the action log co-edited by
//! two browsers, presence, editing through a lost connection, and the plan
//! read with JavaScript switched off.

use fantoccini::Locator;
use integration_tests::browser::{spawn_site_with_plan, Browser};
use integration_tests::Client;
use plan::{NewAction, P};

mod offline;
mod reading;

async fn type_into(browser: &Browser, css: &str, text: &str) {
    let field = browser.wait_for(css).await;
    field
        .send_keys(text)
        .await
        .unwrap_or_else(|e| panic!("typing into {css}: {e}"));
}

#[tokio::test]
async fn an_action_added_in_one_browser_shows_under_both_its_ps_in_the_other_with_its_status_colour() {
    let (app, plan) = spawn_site_with_plan("Operation Birch").await;
    let url = app.url(&format!("/plans/{plan}"));
    let (alice, bob) = Browser::pair_on(&app, &url, integration_tests::USER_EMAIL).await;

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
    let (app, plan) = spawn_site_with_plan("Operation Cedar").await;
    app.add_member(plan, "alice@council.gov.uk", "Alice", "Council", "plan_owner")
        .await;
    let url = app.url(&format!("/plans/{plan}"));
    let (alice, bob) = Browser::pair_on(&app, &url, "alice@council.gov.uk").await;

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

#[tokio::test]
async fn a_partner_edits_its_own_actions_live_and_sees_the_rest_read_only() {
    let (app, plan) = spawn_site_with_plan("Operation Hawthorn").await;
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
    let (pat, lro) = Browser::pair_on(&app, &url, "pat@council.gov.uk").await;

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
    let stored = app.exported_action(plan, &council).await;
    assert_eq!(stored["update"], "Visited two schools");
    pat.close().await;
    lro.close().await;
}
