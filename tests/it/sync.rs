//! Real-time co-editing over websockets, durable in a real PostgreSQL.

use base64::Engine;
use integration_tests::db::load_from_database;
use integration_tests::{spawn_app, spawn_app_with, Client};
use plan::{ActionChange, Disruption, HeaderText, NewAction, RagStatus, Section, SecurityMarking, Tier, P};
use std::collections::BTreeSet;

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
    let app = spawn_app().await;
    let plan = app.create_plan("Operation Larch").await;
    let alice = Client::connect(&app.ws_url(plan)).await;
    let bob = Client::connect(&app.ws_url(plan)).await;
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
    let alice = Client::connect(&app.ws_url(plan)).await;
    let bob = Client::connect(&app.ws_url(plan)).await;
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

#[tokio::test]
async fn every_field_survives_a_server_restart() {
    let app = spawn_app().await;
    let plan = app.create_plan("Operation Elm").await;
    let alice = Client::connect(&app.ws_url(plan)).await;
    let action = alice.edit(|p, txn| {
        p.set_header_text(txn, HeaderText::Sio, "DCI Hale");
        p.set_header_text(txn, HeaderText::PlanOwner, "DS Lee");
        p.set_tier(txn, Tier::new(3).unwrap());
        p.set_marking(txn, SecurityMarking::OfficialSensitiveOperational);
        p.set_last_review(txn, Some("2026-11-15".parse().unwrap()));
        for s in Section::ALL {
            p.set_section_text(txn, s, &format!("{} — agreed at the workshop", s.title()));
        }
        p.select_objective(txn, "prepare-2", true).unwrap();
        p.add_custom_objective(txn, P::Prevent, "Youth diversion with the council");
        p.tag_threat(txn, &plan::strategy::ThreatKey::parse("drug-supply").unwrap(), true);
        let id = p
            .add_action(txn, &an_action("Closure order", &[P::Prevent, P::Pursue]))
            .unwrap();
        for change in [
            ActionChange::Update("Granted at court".into()),
            ActionChange::Status(RagStatus::Green),
            ActionChange::Disruption(Some(Disruption::Major)),
            ActionChange::Submitted(true),
        ] {
            p.change_action(txn, &id, &change).unwrap();
        }
        id
    });
    // Bob seeing it means it has been committed.
    let bob = Client::connect(&app.ws_url(plan)).await;
    bob.wait_for_doc("alice's edits", |p| {
        p.action(&p.transact(), &action).is_ok_and(|a| a.submitted)
    })
    .await;
    let before = app.export(plan).await;

    let app = app.restart().await;
    let after = app.export(plan).await;
    assert_eq!(after, before);
    assert_eq!(after["header"]["sio"], "DCI Hale");
    assert_eq!(after["header"]["tier"], 3);
    assert_eq!(after["marking"], "OFFICIAL-SENSITIVE-OPERATIONAL");
    assert_eq!(after["next_review"], "2027-02-15");
    assert_eq!(after["threats"], serde_json::json!(["drug-supply"]));
    assert_eq!(after["sections"]["lro_update"], "LRO Update — agreed at the workshop");
    let a = &after["actions"][0];
    assert_eq!(a["ps"], serde_json::json!(["PURSUE", "PREVENT"]));
    assert_eq!(
        (a["status"].as_str(), a["disruption"].as_str()),
        (Some("GREEN"), Some("MAJOR"))
    );
    assert_eq!(a["update"], "Granted at court");

    let carol = Client::connect(&app.ws_url(plan)).await;
    let a = carol.plan.action(&carol.plan.transact(), &action).unwrap();
    assert_eq!(a.ps, BTreeSet::from([P::Prevent, P::Pursue]));
    assert!(carol
        .plan
        .objectives_for(&carol.plan.transact(), P::Prevent)
        .iter()
        .any(|o| o.custom && o.selected));
}

#[tokio::test]
async fn the_room_unloads_when_the_last_client_leaves_and_reloads_correctly() {
    let app = spawn_app().await;
    let plan = app.create_plan("Operation Oak").await;
    let rooms = app.state.rooms.clone();
    let alice = Client::connect(&app.ws_url(plan)).await;
    let bob = Client::connect(&app.ws_url(plan)).await;
    assert!(rooms.is_loaded(plan));
    alice.edit(|p, txn| p.set_section_text(txn, Section::Aim, "Protect the estate"));
    bob.wait_for_doc("the aim", |_| aim(&bob) == "Protect the estate").await;

    alice.close();
    bob.close();
    tokio::time::timeout(integration_tests::PATIENCE, rooms.unloaded(plan))
        .await
        .expect("the room unloads");
    assert_eq!(rooms.loaded_count(), 0);
    // Closing folded the log into a snapshot (the first one stays as history).
    let (log, snapshots) = stored_counts(&app.pool, plan).await;
    assert_eq!((log, snapshots), (0, 2));

    let carol = Client::connect(&app.ws_url(plan)).await;
    assert!(rooms.is_loaded(plan));
    assert_eq!(aim(&carol), "Protect the estate");
    carol.edit(|p, txn| p.set_section_text(txn, Section::Aim, "Protect the estate and its families"));
    let dave = Client::connect(&app.ws_url(plan)).await;
    dave.wait_for_doc("carol's edit", |_| aim(&dave) == "Protect the estate and its families")
        .await;
}

#[tokio::test]
async fn presence_is_relayed_and_removed_when_a_client_leaves() {
    let app = spawn_app().await;
    let plan = app.create_plan("Operation Yew").await;
    let alice = Client::connect(&app.ws_url(plan)).await;
    let bob = Client::connect(&app.ws_url(plan)).await;
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
async fn compaction_while_edits_stream_in_loses_nothing() {
    let app = spawn_app_with(|c| (c.compact_every_updates, c.compact_min_millis) = (7, 0)).await;
    let plan = app.create_plan("Operation Hazel").await;
    let alice = Client::connect(&app.ws_url(plan)).await;
    let bob = Client::connect(&app.ws_url(plan)).await;
    let both = integration_tests::client::type_in_waves(&alice, &bob, 60, 6).await;
    alice.wait_for_doc("every edit", &both).await;
    bob.wait_for_doc("every edit", &both).await;
    let (_, snapshots) = stored_counts(&app.pool, plan).await;
    assert!(
        snapshots > 2,
        "the log was folded into snapshots as it grew ({snapshots} kept)"
    );
    // The last compaction's write may still be in flight.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    loop {
        let (logged, _) = stored_counts(&app.pool, plan).await;
        if logged < 7 {
            break;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "the log was folded as it grew ({logged} entries left)"
        );
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    let loaded = load_from_database(&app.pool, plan).await;
    assert!(both(&loaded), "snapshot + log hold every edit");
}

#[tokio::test]
async fn edits_made_offline_merge_when_the_connection_returns() {
    let app = spawn_app().await;
    let plan = app.create_plan("Operation Cedar").await;
    let alice = Client::connect(&app.ws_url(plan)).await;
    let bob = Client::connect(&app.ws_url(plan)).await;
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
async fn stopping_the_server_tells_clients_and_compacts_open_plans() {
    let mut app = spawn_app().await;
    let plan = app.create_plan("Operation Willow").await;
    let alice = Client::connect(&app.ws_url(plan)).await;
    let bob = Client::connect(&app.ws_url(plan)).await;
    alice.edit(|p, txn| p.set_section_text(txn, Section::Partnerships, "Housing, HMRC"));
    bob.wait_for_doc("the edit", |p| {
        p.section_text(&p.transact(), Section::Partnerships) == "Housing, HMRC"
    })
    .await;

    tokio::time::timeout(integration_tests::PATIENCE, app.stop())
        .await
        .expect("the server stops promptly");
    let (code, reason) = alice.closed().await;
    assert_eq!(code, 1001, "{reason}");
    assert!(reason.contains("restarting"), "{reason}");
    let (log, snapshots) = stored_counts(&app.pool, plan).await;
    assert_eq!((log, snapshots), (0, 2), "the open plan was compacted on the way down");
    let stored = load_from_database(&app.pool, plan).await;
    assert_eq!(
        stored.section_text(&stored.transact(), Section::Partnerships),
        "Housing, HMRC"
    );
}

#[tokio::test]
async fn a_page_starts_from_the_state_it_was_rendered_with_so_its_first_sync_fetches_nothing_again() {
    let app = spawn_app().await;
    let plan = app.create_plan("Operation Fir").await;
    let writer = Client::connect(&app.ws_url(plan)).await;
    writer.edit(|p, txn| p.set_section_text(txn, Section::Aim, "Dismantle"));
    let watcher = Client::connect(&app.ws_url(plan)).await;
    watcher
        .wait_for_doc("the aim", |p| {
            p.section_text(&p.transact(), Section::Aim) == "Dismantle"
        })
        .await;

    // What the plan page is rendered from, and hydrates with.
    let answer = app
        .http
        .post(app.url("/api/fn/get_plan"))
        .form(&[("id", plan.to_string())])
        .send()
        .await
        .unwrap();
    let data = integration_tests::fn_answer::<Option<app::api::PlanPageData>>(answer)
        .await
        .expect("the plan exists");
    let html = app.http.get(app.url(&format!("/plans/{plan}"))).send().await.unwrap();
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
    page.wait_for_doc("the next edit", |p| {
        p.section_text(&p.transact(), Section::Aim) == "Dismantle now"
    })
    .await;
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
