//! Several server nodes on one PostgreSQL: clients of one plan connected
//! to different nodes see each other's edits and presence, storage never
//! sees a seq twice, and what one node is told (membership, log-outs, a
//! new Control Strategy) holds on every node.

use integration_tests::client::aim;
use integration_tests::db::load_from_database;
use integration_tests::{spawn_app, spawn_app_with, spawn_two_nodes_with_plan, Client, Fetch, PAT, PATIENCE};
use plan::{PlanDoc, Section};
use yrs::{GetString, ReadTxn, Text, Transact};

#[tokio::test]
async fn clients_on_two_nodes_co_edit_one_plan_and_converge_in_storage() {
    let _machine = integration_tests::machine::share().await;
    let a = spawn_app_with(|c| (c.compact_every_updates, c.compact_min_millis) = (25, 0)).await;
    let b = a.another_node().await;
    let plan = a.create_plan("Operation Juniper").await;
    let (alice, bob) = Client::pair(&a.ws_url(plan), &b.ws_url(plan)).await;
    // Both nodes append to the same plan at once, and both compact it.
    let both = integration_tests::client::type_in_waves(&alice, &bob, 80, 20).await;
    alice.wait_for_doc("bob's edits, through the other node", &both).await;
    bob.wait_for_doc("alice's edits, through the other node", &both).await;

    let seqs: Vec<i64> = sqlx::query_scalar("SELECT seq FROM plan_updates WHERE plan_id = $1 ORDER BY seq")
        .bind(plan)
        .fetch_all(&a.pool)
        .await
        .unwrap();
    assert_eq!(
        seqs,
        (1..=seqs.len() as i64).collect::<Vec<_>>(),
        "one seq per update, no gaps"
    );
    assert!(seqs.len() >= 2, "both nodes appended");
    let stored = load_from_database(&a.pool, plan).await;
    assert!(both(&stored), "storage holds every edit");
    // Each node's snapshot is the state as of its seq: loading from the
    // latest one, or from any version, gives the same document.
    let snapshots = a
        .count_for("SELECT count(*) FROM plan_snapshots WHERE plan_id = $1", plan)
        .await;
    assert!(
        snapshots > 2,
        "compaction ran while both nodes wrote ({snapshots} snapshots)"
    );
}

#[tokio::test]
async fn presence_crosses_nodes_and_leaves_with_its_client() {
    let _machine = integration_tests::machine::share().await;
    let (a, b, plan) = spawn_two_nodes_with_plan("Operation Rowan").await;
    let (alice, bob) = Client::pair(&a.ws_url(plan), &b.ws_url(plan)).await;
    alice.announce(r##"{"user":{"name":"Alice","color":"#1f77b4"},"field":"aim"}"##);
    bob.wait_until("alice's presence from the other node", |s| {
        s.present(integration_tests::USER_SHOWN_AS)
    })
    .await;
    alice.close();
    bob.wait_until("alice's departure from the other node", |s| {
        !s.present(integration_tests::USER_SHOWN_AS)
    })
    .await;
}

#[tokio::test]
async fn a_member_removed_on_one_node_is_disconnected_on_the_other() {
    let _machine = integration_tests::machine::share().await;
    let (a, b, plan) = spawn_two_nodes_with_plan("Operation Ash").await;
    a.add_to_plan(plan, &PAT, "partner").await;
    let pat_cookie = b.session_for("pat@council.gov.uk").await;
    let pat = Client::connect(&b.ws_as(plan, &pat_cookie)).await;
    pat.wait_until("synced", |s| s.synced).await;
    let user: uuid::Uuid = sqlx::query_scalar("SELECT id FROM users WHERE email = $1")
        .bind("pat@council.gov.uk")
        .fetch_one(&a.pool)
        .await
        .unwrap();
    let removed = a
        .http
        .delete(a.url(&format!("/api/plans/{plan}/members/{user}")))
        .sent()
        .await;
    assert!(removed.status().is_success(), "{}", removed.status());
    let (code, reason) = pat.closed().await;
    assert_eq!(code, 4403, "{reason}");
}

#[tokio::test]
async fn logging_out_on_one_node_closes_the_sessions_sockets_on_the_other() {
    let _machine = integration_tests::machine::share().await;
    let (a, b, plan) = spawn_two_nodes_with_plan("Operation Birch").await;
    let on_b = Client::connect(&b.ws_url(plan)).await;
    on_b.wait_until("synced", |s| s.synced).await;
    let out = a.http.delete(a.url("/api/session")).sent().await;
    assert!(out.status().is_success());
    let (code, _) = on_b.closed().await;
    assert_eq!(code, 4401, "the session's socket on the other node ends with it");
}

#[tokio::test]
async fn a_control_strategy_published_on_one_node_is_current_on_the_other() {
    let _machine = integration_tests::machine::share().await;
    let a = spawn_app().await;
    let b = a.another_node().await;
    let mut seen_by_b = b.state.strategies.subscribe();
    let current = a.state.strategies.current();
    sqlx::query("UPDATE users SET strategic_lead = true WHERE email = $1")
        .bind(integration_tests::USER_EMAIL)
        .execute(&a.pool)
        .await
        .unwrap();
    let mut draft = plan::strategy::StrategyDraft::from_current(current.version, &current.strategy);
    draft.title = "Northshire Control Strategy 2027".into();
    let published = a.post_json("/api/strategy", &draft).await;
    assert!(published.status().is_success(), "{}", published.text().await.unwrap());
    tokio::time::timeout(PATIENCE, seen_by_b.wait_for(|s| s.version == current.version + 1))
        .await
        .expect("the other node hears of the new version")
        .unwrap();
    assert_eq!(
        b.state.strategies.current().strategy.title,
        "Northshire Control Strategy 2027"
    );
}

#[tokio::test]
async fn an_edit_relayed_from_another_node_is_judged_with_its_author_known() {
    let _machine = integration_tests::machine::share().await;
    // Bob's client id, first used through node B, stays Bob's on node A:
    // nobody on A may write under it.
    let (a, b, plan) = spawn_two_nodes_with_plan("Operation Hazel").await;
    a.add_to_plan(plan, &PAT, "lro").await;
    let bob = Client::connect(&b.ws_url(plan)).await;
    bob.edit(|p, txn| p.set_section_text(txn, Section::Aim, "Disrupt"));
    let pat_cookie = a.session_for("pat@council.gov.uk").await;
    let on_a = Client::connect(&a.ws_as(plan, &pat_cookie)).await;
    on_a.wait_for_doc("bob's edit", |p| aim(p) == "Disrupt").await;
    // Pat's connection to A now writes under Bob's client id.
    let impostor = yrs::Doc::with_client_id(bob.plan.doc().client_id().get());
    let forged = {
        use yrs::updates::decoder::Decode;
        let state = on_a.plan.transact().encode_state_as_update_v1(&Default::default());
        impostor
            .transact_mut()
            .apply_update(yrs::Update::decode_v1(&state).unwrap())
            .unwrap();
        let text = impostor.get_or_insert_text("aim");
        let before = impostor.transact().state_vector();
        let len = text.get_string(&impostor.transact()).len() as u32;
        text.insert(&mut impostor.transact_mut(), len, " (forged)");
        impostor.transact().encode_state_as_update_v1(&before)
    };
    use yrs::updates::encoder::Encode;
    on_a.send_raw(yrs::sync::Message::Sync(yrs::sync::SyncMessage::Update(forged)).encode_v1());
    let seen = on_a.wait_until("refusal", |s| !s.denied.is_empty()).await;
    assert!(seen.denied[0].contains("belongs to another user"), "{:?}", seen.denied);
}

/// A workshop's worth of writers on one plan, half on each node, all typing
/// at once: the nodes race for the plan's seqs the whole time. Every
/// writer stays connected, and every client and storage end up holding
/// every word.
#[tokio::test]
async fn a_hot_plan_on_two_nodes_keeps_every_writer_connected() {
    let _machine = integration_tests::machine::share().await;
    const WRITERS: usize = 8;
    const WORDS: usize = 120;
    let (a, b, plan) = spawn_two_nodes_with_plan("Operation Blackthorn").await;
    let mut writers = Vec::new();
    for w in 0..WRITERS {
        let node = if w % 2 == 0 { &a } else { &b };
        writers.push(Client::connect(&node.ws_url(plan)).await);
    }
    let words: Vec<String> = (0..WRITERS)
        .flat_map(|w| (0..WORDS).map(move |i| format!("w{w}x{i}.")))
        .collect();
    // Word i of every writer, then word i + 1: each node's room gets a
    // steady stream of small batches to append.
    for i in 0..WORDS {
        for (w, writer) in writers.iter().enumerate() {
            let text = writer.plan.doc().get_or_insert_text("aim");
            writer.edit(|_, txn| text.push(txn, &format!("w{w}x{i}.")));
        }
        tokio::task::yield_now().await;
    }
    let holds_every_word = |p: &PlanDoc| {
        let aim = aim(p);
        words.iter().all(|w| aim.contains(w.as_str()))
    };
    for (w, writer) in writers.iter().enumerate() {
        writer
            .wait_for_doc(&format!("writer {w} to hold every word"), holds_every_word)
            .await;
    }
    for (w, writer) in writers.iter().enumerate() {
        assert_eq!(writer.seen().closed, None, "writer {w} was disconnected");
    }
    let stored = load_from_database(&a.pool, plan).await;
    assert!(holds_every_word(&stored), "storage holds every word");
}

/// A client id announced on one node is held for its user on the other
/// node too: a partner there who copies it from presence and writes under
/// it first is refused, and its user's typing goes in.
#[tokio::test]
async fn a_client_id_announced_on_one_node_cannot_be_taken_on_the_other() {
    let _machine = integration_tests::machine::share().await;
    let (a, b, plan) = spawn_two_nodes_with_plan("Operation Alder").await;
    a.add_member(plan, "pat@council.gov.uk", "Pat", "Northshire Council", "plan_owner")
        .await;
    let alice = Client::connect(&a.ws_url(plan)).await;
    let pat = Client::connect(&b.ws_as(plan, &a.session_for("pat@council.gov.uk").await)).await;
    alice.announce(r#"{"user":{"name":"Alice"}}"#);
    let id = alice.plan.doc().client_id().get();
    pat.wait_until("alice's presence, through the other node", |seen| {
        seen.presence.contains_key(&id)
    })
    .await;

    let forged = integration_tests::raw::replica_as(&pat.plan.encode_state(), id);
    let update = integration_tests::raw::edit(&forged, |p, t| {
        p.section_ref(Section::Aim).insert(t, 0, "Pat as Alice ")
    });
    let denial = integration_tests::raw::refused(
        &b.ws_as(plan, &a.session_for("pat@council.gov.uk").await),
        forged,
        update,
    )
    .await;
    assert!(denial.contains("belongs to another user"), "{denial}");

    alice.edit(|p, t| p.section_ref(Section::Aim).insert(t, 0, "Alice's words "));
    pat.wait_for_doc("alice's words", |p| aim(p).contains("Alice's words"))
        .await;
    assert!(alice.seen().denied.is_empty(), "{:?}", alice.seen().denied);
    assert!(!aim(&pat.plan).contains("Pat as Alice"));
}
