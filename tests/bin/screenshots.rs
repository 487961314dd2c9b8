//! Takes the README's screenshots of the real UI: a filled-in plan with two
//! people on it, at projector width (1280px) and phone width (390px).
//!
//! `cargo leptos build && cargo run -p integration-tests --bin pillars-screenshots -- docs`
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
        p.tag_threat(txn, "county-lines", true).unwrap();
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
        for (ps, text, owner, agency, status) in [
            (
                vec![P::Pursue, P::Protect],
                "Warrant at the cuckooed flat, Elm Street",
                "DS Lee",
                "Northshire Police",
                RagStatus::Green,
            ),
            (
                vec![P::Prevent],
                "Exploitation input at the pupil referral unit",
                "J. Reid",
                "Northshire Council",
                RagStatus::Amber,
            ),
            (
                vec![P::Pursue],
                "Financial investigation into the line holders",
                "K. Obi",
                "HMRC",
                RagStatus::Red,
            ),
        ] {
            p.add_action(
                txn,
                &NewAction {
                    ps: ps.into_iter().collect(),
                    date: Some("2026-11-02".parse().unwrap()),
                    target_date: Some("2026-12-15".parse().unwrap()),
                    text: text.into(),
                    owner_name: owner.into(),
                    owner_agency: agency.into(),
                    update: String::new(),
                    status,
                    disruption: None,
                    submitted: false,
                },
            )
            .unwrap();
        }
    });
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
    println!("wrote {}", out.display());
    alice.close().await;
    bob.close().await;
}
