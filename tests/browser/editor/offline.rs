//! Editing through a lost connection: a silent socket is given up and the
//! page reconnects; edits made offline reach everyone on reconnecting.

use super::type_into;
use integration_tests::browser::{site_root, Browser};
use integration_tests::proxy::Proxy;
use integration_tests::{spawn_app_with, Client, TestApp};
use plan::Section;
use std::time::Duration;
use uuid::Uuid;

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
    alice.open_live(&relay.url(&path)).await;
    bob.open_live(&app.url(&path)).await;
    type_into(&alice, "#text-aim", first).await;
    bob.wait_for_value("#text-aim", "Alice's first words", |v| v == first)
        .await;
    (app, plan, relay, alice, bob)
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
    alice.caret_to_start_of_aim().await;
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
