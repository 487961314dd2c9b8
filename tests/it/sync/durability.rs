//! What is stored stays: every field across a restart, a room unloaded
//! and reloaded, compaction while edits stream in, and a server stopping
//! with plans open.

use super::{aim, an_action, stored_counts};
use integration_tests::db::load_from_database;
use integration_tests::{spawn_app, spawn_app_with, spawn_app_with_plan, Client};
use plan::{ActionChange, Disruption, HeaderText, RagStatus, Section, SecurityMarking, Tier, P};
use std::collections::BTreeSet;

#[tokio::test]
async fn every_field_survives_a_server_restart() {
    let (app, plan) = spawn_app_with_plan("Operation Elm").await;
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
    let (app, plan) = spawn_app_with_plan("Operation Oak").await;
    let rooms = app.state.rooms.clone();
    let (alice, bob) = Client::pair(&app.ws_url(plan), &app.ws_url(plan)).await;
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
async fn compaction_while_edits_stream_in_loses_nothing() {
    let app = spawn_app_with(|c| (c.compact_every_updates, c.compact_min_millis) = (7, 0)).await;
    let plan = app.create_plan("Operation Hazel").await;
    let (alice, bob) = Client::pair(&app.ws_url(plan), &app.ws_url(plan)).await;
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
async fn stopping_the_server_tells_clients_and_compacts_open_plans() {
    let mut app = spawn_app().await;
    let plan = app.create_plan("Operation Willow").await;
    let (alice, bob) = Client::pair(&app.ws_url(plan), &app.ws_url(plan)).await;
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
