//! The `closed` mode: writers in a closed loop on one filled plan.
//!
//! `closed` starts the real server in this process on a fresh PostgreSQL
//! database and fills one plan the way a working plan looks (every section written, A
//! actions across the four Ps). W writers and one observer open it over
//! websockets; each writer types, one character an update, into the
//! Update/result of its own action (the field partners edit most), closed
//! loop: the next once the observer has the last. Every update goes through
//! admission (placed, checked against the writer's role, the touched field
//! read for the audit trail), the durable commit and the relay;
//! `cargo bench -p plan` prints admission's own cost by plan size. Prints
//! the server's arrival-to-relay latency, the end-to-end latency seen by
//! clients, throughput, storage and the process's memory.

use super::print_latency;
use integration_tests::{spawn_app, Client};
use plan::{ActionText, NewAction, RagStatus, Section, TextField, P};
use server::collab::stats::summarise;
use std::time::Instant;
use yrs::{GetString, Text};

/// A paragraph of plausible plan prose, `n` characters long.
fn prose(n: usize) -> String {
    "Red Kings supply crack cocaine and heroin through two county lines, using children recruited locally. "
        .chars()
        .cycle()
        .take(n)
        .collect()
}

/// Writers in a closed loop: the next update once the observer has the last.
pub(crate) async fn closed(updates: usize, writers: usize, actions: usize) {
    let writers = writers.max(1);
    let actions = actions.max(writers);
    let per_writer = updates.div_ceil(writers);

    let app = spawn_app().await;
    let plan = app.create_plan("Load test").await;
    let observer = Client::connect(&app.ws_url(plan)).await;
    let action_ids: Vec<String> = observer.edit(|doc, txn| {
        for section in Section::ALL {
            doc.set_section_text(txn, section, &prose(800));
        }
        (0..actions)
            .map(|i| {
                let action = NewAction {
                    date: Some("2026-11-20".parse().unwrap()),
                    target_date: Some("2026-12-20".parse().unwrap()),
                    owner_name: format!("Officer {i}"),
                    owner_agency: "Northshire Police".into(),
                    status: RagStatus::Amber,
                    ..NewAction::new([P::ALL[i % 4]], prose(160))
                };
                doc.add_action(txn, &action).expect("a valid action")
            })
            .collect()
    });
    let state_bytes = observer.plan.encode_state().len();
    let mut clients = Vec::new();
    for _ in 0..writers {
        let client = Client::connect(&app.ws_url(plan)).await;
        client
            .wait_for_doc("the seeded plan", |p| p.actions(&p.transact()).len() == actions)
            .await;
        clients.push(client);
    }
    let rss_before = rss_kib();
    app.state.rooms.relay_stats().reset();
    println!(
        "pillars-load: {writers} writers x {per_writer} updates on one plan ({actions} actions, {} KiB of state), one observer, PostgreSQL",
        state_bytes / 1024
    );

    let observer = std::sync::Arc::new(observer);
    let started = Instant::now();
    let mut tasks = Vec::new();
    for (i, client) in clients.into_iter().enumerate() {
        let observer = observer.clone();
        let field = TextField::Action {
            id: action_ids[i].clone(),
            part: ActionText::Update,
        };
        tasks.push(tokio::spawn(async move {
            let mut latencies = Vec::with_capacity(per_writer);
            for n in 1..=per_writer {
                let sent = Instant::now();
                client.edit(|doc, txn| {
                    let text = doc.text_ref_for_write(txn, &field).expect("the writer's action");
                    text.push(txn, "x")
                });
                observer
                    .wait_for_doc("the observer to receive the update", |p| {
                        let txn = p.transact();
                        p.text_ref(&txn, &field).is_some_and(|t| t.get_string(&txn).len() >= n)
                    })
                    .await;
                latencies.push(sent.elapsed());
            }
            latencies
        }));
    }
    let mut end_to_end = Vec::new();
    for task in tasks {
        end_to_end.extend(task.await.expect("writer finished"));
    }
    let elapsed = started.elapsed();

    let server = app.state.rooms.relay_stats().summary().expect("updates were relayed");
    let clients = summarise(&mut end_to_end).expect("updates were sent");
    let (logged, snapshots) = app.state.plans.store().log_stats(plan).await.expect("log stats");
    print_latency("server: arrival -> relay (commit included)", &server);
    print_latency("clients: send -> observer has it", &clients);
    println!(
        "throughput: {:.0} updates/s ({} updates in {:.2} s)",
        end_to_end.len() as f64 / elapsed.as_secs_f64(),
        end_to_end.len(),
        elapsed.as_secs_f64()
    );
    println!("storage: {logged} log entries and {snapshots} snapshot(s) after compaction");
    println!(
        "memory (whole process: server, {} clients, runtime): {} MiB before, {} MiB after",
        writers + 1,
        rss_before / 1024,
        rss_kib() / 1024
    );
}

/// Resident set size of this process (0 where unavailable).
fn rss_kib() -> u64 {
    integration_tests::rss_kib("/proc/self/status")
}
