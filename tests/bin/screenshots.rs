//! Takes the README's screenshots of the real UI: the plans list (one review
//! overdue), a filled-in plan with two people on it at projector width
//! (1280px) and phone width (390px), the plan's members and history, the
//! regional portfolio and the Control Strategy.
//!
//! `cargo leptos build --split && cargo run -p integration-tests --bin pillars-screenshots -- docs`
//! (needs PostgreSQL, like the tests).

use integration_tests::browser::{site_root, Browser};
use integration_tests::{spawn_app_with, Client};
use plan::{HeaderText, NewAction, RagStatus, Section, P};
use std::path::PathBuf;

#[tokio::main]
async fn main() {
    let out = PathBuf::from(std::env::args().nth(1).unwrap_or_else(|| "docs".into()));
    let app = spawn_app_with(|c| c.site_root = Some(site_root())).await;
    let plan = app.create_plan("Red Kings").await;
    let writer = Client::connect(&app.ws_url(plan)).await;
    writer.edit(|p, txn| {
        p.set_header_text(txn, HeaderText::Sio, "DCI R. Okafor");
        p.set_header_text(txn, HeaderText::PlanOwner, "DI S. Patel");
        p.tag_threat(txn, &plan::strategy::ThreatKey::parse("county-lines").unwrap(), true);
        p.set_section_text(
            txn,
            Section::SummaryOfThreats,
            "Red Kings supply crack cocaine and heroin into the town centre through two county lines, \
             using children recruited at the pupil referral unit to run drugs and hold cash.",
        );
        p.set_section_text(
            txn,
            Section::Aim,
            "Dismantle the Red Kings' county lines and safeguard the children they exploit.",
        );
        p.select_objective(txn, "pursue-1", true).unwrap();
        p.select_objective(txn, "prevent-2", true).unwrap();
        for (ps, text, owner, agency, status, disruption, date) in [
            (
                vec![P::Pursue, P::Protect],
                "Warrant at the cuckooed flat, Elm Street",
                "DS Lee",
                "Northshire Police",
                RagStatus::Green,
                Some(plan::Disruption::Major),
                "2026-11-02",
            ),
            (
                vec![P::Prevent],
                "Exploitation input at the pupil referral unit",
                "J. Reid",
                "Northshire Council",
                RagStatus::Amber,
                Some(plan::Disruption::Minor),
                "2026-09-14",
            ),
            (
                vec![P::Pursue],
                "Financial investigation into the line holders",
                "K. Obi",
                "HMRC",
                RagStatus::Red,
                None,
                "2026-11-20",
            ),
        ] {
            p.add_action(
                txn,
                &NewAction {
                    date: Some(date.parse().unwrap()),
                    disruption,
                    target_date: Some("2026-12-15".parse().unwrap()),
                    owner_name: owner.into(),
                    owner_agency: agency.into(),
                    status,
                    ..NewAction::new(ps, text)
                },
            )
            .unwrap();
        }
    });
    other_plans(&app).await;
    let url = app.url(&format!("/plans/{plan}"));
    app.add_member(
        plan,
        "alice.shaw@northshire.gov.uk",
        "Alice Shaw",
        "Northshire Council",
        "partner",
    )
    .await;
    let (alice, bob) = (Browser::start().await, Browser::start().await);
    alice.log_in_as(&app, "alice.shaw@northshire.gov.uk").await;
    bob.log_in(&app).await;
    for browser in [&alice, &bob] {
        browser.client.goto(&url).await.unwrap();
        browser.wait_for("#connection-state[data-state='live']").await;
    }
    // Alice (a partner) opens her council's action; the LRO sees where she is.
    alice.click("#action-log-prevent tr.action-row .edit-action").await;
    alice.click("#action-log-prevent .action-editor textarea").await;
    bob.wait_for("#action-log-prevent .row-peers .field-peer").await;
    let shoot = |name: &'static str, width: u32, height: u32, scroll_to: &'static str| {
        let (bob, out) = (&bob, &out);
        async move {
            bob.client.set_window_size(width, height).await.unwrap();
            let script = "document.activeElement.blur(); \
                          const t = document.querySelector(arguments[0]); \
                          window.scrollTo(0, t ? t.getBoundingClientRect().top + window.scrollY : 0);";
            bob.client.execute(script, vec![scroll_to.into()]).await.unwrap();
            std::fs::write(out.join(name), bob.client.screenshot().await.unwrap()).unwrap();
        }
    };
    bob.click("#action-log-pursue tr.action-row .edit-action").await;
    shoot("plan-page.png", 1280, 1500, "body").await;
    shoot("plan-actions.png", 1280, 1500, "#actions-protect").await;
    shoot("plan-page-phone.png", 390, 1400, "body").await;
    bob.click("#show-history").await;
    bob.wait_for("#history tbody tr").await;
    shoot("plan-team.png", 1280, 1100, "#team").await;
    bob.client.goto(&app.url("/")).await.unwrap();
    bob.wait_for("body[data-hydrated]").await;
    shoot("plans-list.png", 1280, 640, "body").await;
    bob.client.goto(&app.url("/portfolio")).await.unwrap();
    bob.wait_for("body[data-hydrated]").await;
    shoot("portfolio.png", 1280, 1400, "body").await;
    bob.client.goto(&app.url("/strategy")).await.unwrap();
    bob.wait_for("body[data-hydrated]").await;
    shoot("strategy.png", 1280, 1100, "body").await;
    println!("wrote {}", out.display());
    alice.close().await;
    bob.close().await;
}

/// Two more plans for the list: a Priority Individual, and a tier 1 OCG
/// whose monthly review is overdue.
async fn other_plans(app: &integration_tests::TestApp) {
    for (kind, name, reference, tier, lro, last_review) in [
        ("PI", "Marcus Reed", "PI-0417", 3, "DI Priya Shah", None),
        (
            "OCG",
            "Operation Ashgrove",
            "OCG-1180",
            1,
            "DCI Tom Hart",
            Some("2026-09-14"),
        ),
    ] {
        let id = app
            .create_plan_from(serde_json::json!({
                "subject_kind": kind, "subject_name": name, "subject_ref": reference, "tier": tier, "lro": lro
            }))
            .await;
        if let Some(date) = last_review {
            let writer = Client::connect(&app.ws_url(id)).await;
            writer.edit(|p, txn| p.set_last_review(txn, Some(date.parse().unwrap())));
            // The list's summary is refreshed just after the edit is stored.
            let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
            while !app
                .list_plans()
                .await
                .as_array()
                .unwrap()
                .iter()
                .any(|p| p["id"] == id.to_string() && p["next_review"] == "2026-10-14")
            {
                assert!(
                    std::time::Instant::now() < deadline,
                    "the overdue review reached the list"
                );
                tokio::time::sleep(std::time::Duration::from_millis(50)).await;
            }
        }
    }
}
