//! Real-time co-editing over websockets, durable in a real PostgreSQL.

use base64::Engine;
use integration_tests::db::load_from_database;
use integration_tests::{spawn_app_with, spawn_app_with_plan, Client, Fetch};
use plan::{NewAction, Section, P};

mod durability;

fn an_action(text: &str, ps: &[P]) -> NewAction {
    NewAction {
        date: Some("2026-11-20".parse().unwrap()),
        target_date: Some("2026-12-20".parse().unwrap()),
        owner_name: "K. Mills".into(),
        owner_agency: "HMRC".into(),
        ..NewAction::new(ps.iter().copied(), text)
    }
}

fn aim(client: &Client) -> String {
    client.plan.section_text(&client.plan.transact(), Section::Aim)
}

#[tokio::test]
async fn two_clients_co_edit_and_converge_and_a_late_joiner_gets_everything() {
    let (app, plan) = spawn_app_with_plan("Operation Larch").await;
    let (alice, bob) = Client::pair(&app.ws_url(plan), &app.ws_url(plan)).await;
    assert_eq!(
        alice.plan.header(&alice.plan.transact()).subject_name,
        "Operation Larch",
        "the initial sync brings the plan"
    );

    alice.edit(|p, txn| p.set_section_text(txn, Section::Aim, "Dismantle the network."));
    bob.wait_for_doc("alice's aim", |_| aim(&bob) == "Dismantle the network.")
        .await;

    // Concurrent edits in the same field and elsewhere.
    alice.edit(|p, txn| p.set_section_text(txn, Section::Aim, "Dismantle the Larch network."));
    bob.edit(|p, txn| p.set_section_text(txn, Section::Aim, "Dismantle the network. Protect children."));
    let action = bob.edit(|p, txn| {
        p.add_action(txn, &an_action("Cash seizure", &[P::Pursue, P::Protect]))
            .unwrap()
    });
    alice.edit(|p, txn| p.select_objective(txn, "pursue-4", true).unwrap());

    let merged = "Dismantle the Larch network. Protect children.";
    alice
        .wait_for_doc("the merged aim and bob's action", |p| {
            aim(&alice) == merged && p.action(&p.transact(), &action).is_ok()
        })
        .await;
    bob.wait_for_doc("the merged aim and alice's tick", |p| {
        aim(&bob) == merged && p.objective_selected(&p.transact(), "pursue-4")
    })
    .await;

    let carol = Client::connect(&app.ws_url(plan)).await;
    let id = uuid::Uuid::nil();
    let intervals = plan::ReviewIntervals::default();
    let export = |c: &Client| c.plan.export(&c.plan.transact(), id, &intervals);
    assert_eq!(export(&carol), export(&alice), "a late joiner receives the full state");
    assert_eq!(export(&bob), export(&alice));
    assert_eq!(
        carol.plan.actions_for(&carol.plan.transact(), P::Protect)[0].text,
        "Cash seizure"
    );
}

#[tokio::test]
async fn an_update_another_client_has_received_is_already_in_the_log() {
    let app = spawn_app_with(|c| {
        c.compact_every_updates = 1_000_000;
        c.compact_every_secs = 3600;
    })
    .await;
    let plan = app.create_plan("Operation Ash").await;
    let (alice, bob) = Client::pair(&app.ws_url(plan), &app.ws_url(plan)).await;
    for i in 0..20 {
        let text = format!("revision {i}");
        alice.edit(|p, txn| p.set_section_text(txn, Section::Partnerships, &text));
        bob.wait_for_doc("the revision", |p| {
            p.section_text(&p.transact(), Section::Partnerships) == text
        })
        .await;
        // Bob has it: the log must already hold it.
        let (logged, _) = stored_counts(&app.pool, plan).await;
        assert!(
            logged > i,
            "update {i} was relayed before it was committed ({logged} logged)"
        );
        let from_log = load_from_database(&app.pool, plan).await;
        assert_eq!(from_log.section_text(&from_log.transact(), Section::Partnerships), text);
    }
}

#[tokio::test]
async fn presence_is_relayed_and_removed_when_a_client_leaves() {
    let (app, plan) = spawn_app_with_plan("Operation Yew").await;
    let (alice, bob) = Client::pair(&app.ws_url(plan), &app.ws_url(plan)).await;
    alice.announce(r##"{"user":{"name":"Alice","color":"#1f77b4"},"field":"aim"}"##);
    bob.wait_until("alice's presence", |s| s.present(integration_tests::USER_SHOWN_AS))
        .await;
    let carol = Client::connect(&app.ws_url(plan)).await;
    carol
        .wait_until("presence of those already here", |s| {
            s.present(integration_tests::USER_SHOWN_AS)
        })
        .await;
    alice.close();
    bob.wait_until("alice's departure", |s| !s.present(integration_tests::USER_SHOWN_AS))
        .await;
    carol
        .wait_until("alice's departure", |s| !s.present(integration_tests::USER_SHOWN_AS))
        .await;
}

#[tokio::test]
async fn edits_made_offline_merge_when_the_connection_returns() {
    let (app, plan) = spawn_app_with_plan("Operation Cedar").await;
    let (alice, bob) = Client::pair(&app.ws_url(plan), &app.ws_url(plan)).await;
    alice.edit(|p, txn| p.set_section_text(txn, Section::Aim, "Disrupt supply."));
    bob.wait_for_doc("the aim", |_| aim(&bob) == "Disrupt supply.").await;

    // Bob loses his connection and keeps editing his replica.
    bob.close();
    bob.closed().await;
    let offline = bob.plan.clone();
    offline.set_section_text(
        &mut offline.transact_mut(),
        Section::Aim,
        "Disrupt supply. Safeguard tenants.",
    );
    alice.edit(|p, txn| p.set_section_text(txn, Section::Aim, "Now: disrupt supply."));

    let bob = Client::connect_with(&app.ws_url(plan), offline).await;
    let merged = "Now: disrupt supply. Safeguard tenants.";
    bob.wait_for_doc("alice's edit", |_| aim(&bob) == merged).await;
    alice
        .wait_for_doc("bob's offline edit", |_| aim(&alice) == merged)
        .await;
    assert_eq!(app.export(plan).await["sections"]["aim"], merged);
}

#[tokio::test]
async fn a_page_starts_from_the_state_it_was_rendered_with_so_its_first_sync_fetches_nothing_again() {
    let (app, plan) = spawn_app_with_plan("Operation Fir").await;
    let writer = Client::connect(&app.ws_url(plan)).await;
    writer.edit(|p, txn| p.set_section_text(txn, Section::Aim, "Dismantle"));
    let watcher = Client::connect(&app.ws_url(plan)).await;
    watcher.wait_for_aim("the aim", "Dismantle").await;

    // What the plan page is rendered from, and hydrates with.
    let answer = app
        .http
        .post(app.url("/api/fn/get_plan"))
        .form(&[("id", plan.to_string())])
        .sent()
        .await;
    let data = integration_tests::fn_answer::<Option<app::api::PlanPageData>>(answer)
        .await
        .expect("the plan exists");
    let html = app.get(&format!("/plans/{plan}")).await;
    let html = html.text().await.unwrap();
    // As leptos carries a resource into the page: its codec's bytes, base64.
    let carried = postcard::to_allocvec(&Ok::<_, leptos::prelude::ServerFnError>(Some(data.clone()))).unwrap();
    let carried = base64::engine::general_purpose::STANDARD_NO_PAD.encode(carried);
    assert!(
        html.contains(&carried),
        "the page carries the plan's state for hydration"
    );

    let replica = data.plan().unwrap();
    assert_eq!(replica.section_text(&replica.transact(), Section::Aim), "Dismantle");
    let page = Client::connect_with(&app.ws_url(plan), replica).await;
    assert_eq!(
        page.seen().updates,
        0,
        "the first sync brought nothing the page did not have"
    );

    // And it is live from there.
    writer.edit(|p, txn| p.set_section_text(txn, Section::Aim, "Dismantle now"));
    page.wait_for_aim("the next edit", "Dismantle now").await;
}

/// A client of a quiet room is still sent something (an empty presence
/// update) after `PILLARS_KEEPALIVE_SECS` with nothing else, so that it can
/// tell a quiet room from a server that is gone.
#[tokio::test]
async fn a_quiet_room_keeps_its_clients_alive() {
    let app = spawn_app_with(|c| c.keepalive_secs = 1).await;
    let plan = app.create_plan("Operation Yew").await;
    let client = Client::connect(&app.ws_url(plan)).await;
    let synced = client.wait_until("the first sync", |s| s.synced).await;
    let kept = client
        .wait_until("a keepalive", |s| s.awareness > synced.awareness)
        .await;
    assert_eq!(kept.updates, synced.updates, "it changes nothing");
    assert!(kept.presence.is_empty(), "and shows nobody");
}

/// (log entries, snapshots) stored for a plan, straight from the tables.
/// (log entries not yet folded into the latest snapshot, snapshots kept).
/// Folded entries and older snapshots stay, as the plan's history.
async fn stored_counts(pool: &sqlx::PgPool, plan: uuid::Uuid) -> (i64, i64) {
    sqlx::query_as(
        "SELECT (SELECT count(*) FROM plan_updates WHERE plan_id = $1 AND seq > \
                   COALESCE((SELECT max(upto_seq) FROM plan_snapshots WHERE plan_id = $1), 0)), \
                (SELECT count(*) FROM plan_snapshots WHERE plan_id = $1)",
    )
    .bind(plan)
    .fetch_one(pool)
    .await
    .expect("counting stored rows")
}
