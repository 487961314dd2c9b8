//! `pillars-load`: measures real-time sync under load and prints figures.
//!
//! Modes (`pillars-load --help`):
//! - `closed`: writers in a closed loop on one filled plan (below).
//! - `room`: one room of many sockets, each typing at a steady rate
//!   (1,000 sockets at 1 update/s by default): evictions and latency.
//! - `writers`: a few fast writers (50 at 100 updates/s) in one room.
//! - `plans`: many plans open at once (1,000 x 5 sockets): memory idle and
//!   with one update per second per plan.
//! - `kills`: the fault test's node-killed-mid-burst trial, many times.
//!
//! `room`, `writers` and `plans` run the server as separate `pillars-node`
//! processes (`--nodes N` behind round robin), so their memory is theirs.
//! Build both binaries first: `cargo build --release -p integration-tests --bins`.
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
//!
//! Needs PostgreSQL as for the tests (`TEST_DATABASE_URL`, default
//! postgres://postgres@127.0.0.1:5432/postgres).

mod open_loop;
mod socket;

use clap::{Parser, Subcommand};
use integration_tests::{spawn_app, Client};
use plan::{ActionText, NewAction, RagStatus, Section, TextField, P};
use server::collab::stats::{summarise, LatencySummary};
use std::time::{Duration, Instant};
use yrs::{GetString, Text};

/// A paragraph of plausible plan prose, `n` characters long.
fn prose(n: usize) -> String {
    "Red Kings supply crack cocaine and heroin through two county lines, using children recruited locally. "
        .chars()
        .cycle()
        .take(n)
        .collect()
}

#[derive(Parser)]
#[command(name = "pillars-load", about = "Measures Pillars' real-time sync under load")]
struct Args {
    #[command(subcommand)]
    mode: Mode,
}

#[derive(Subcommand)]
enum Mode {
    /// Writers in a closed loop on one filled plan, server in this process.
    Closed {
        #[arg(default_value_t = 10_000)]
        updates: usize,
        #[arg(default_value_t = 10)]
        writers: usize,
        #[arg(default_value_t = 40)]
        actions: usize,
    },
    /// One room: SOCKETS sockets, each typing RATE updates/s.
    Room {
        #[arg(long, default_value_t = 1000)]
        sockets: usize,
        #[arg(long, default_value_t = 1.0)]
        rate: f64,
        #[arg(long, default_value_t = 30)]
        seconds: u64,
        #[arg(long, default_value_t = 1)]
        nodes: usize,
    },
    /// A few fast writers in one room, one quiet observer.
    Writers {
        #[arg(long, default_value_t = 50)]
        writers: usize,
        #[arg(long, default_value_t = 100.0)]
        rate: f64,
        #[arg(long, default_value_t = 20)]
        seconds: u64,
        #[arg(long, default_value_t = 1)]
        nodes: usize,
    },
    /// PLANS plans open at once, SOCKETS each; one socket per plan types RATE updates/s.
    Plans {
        #[arg(long, default_value_t = 1000)]
        plans: usize,
        #[arg(long, default_value_t = 5)]
        sockets: usize,
        #[arg(long, default_value_t = 1.0)]
        rate: f64,
        #[arg(long, default_value_t = 30)]
        seconds: u64,
        #[arg(long, default_value_t = 1)]
        nodes: usize,
    },
    /// A node killed mid-burst, TRIALS times (see tests/cluster/faults.rs).
    Kills {
        #[arg(default_value_t = 100)]
        trials: usize,
    },
}

#[tokio::main]
async fn main() {
    use open_loop::Shape;
    match Args::parse().mode {
        Mode::Closed {
            updates,
            writers,
            actions,
        } => closed(updates, writers, actions).await,
        Mode::Room {
            sockets,
            rate,
            seconds,
            nodes,
        } => {
            open_loop::run(Shape {
                nodes,
                plans: 1,
                sockets_per_plan: sockets,
                senders_per_plan: sockets,
                rate,
                seconds,
                idle_seconds: 2,
                observed_plans: 1,
            })
            .await
        }
        Mode::Writers {
            writers,
            rate,
            seconds,
            nodes,
        } => {
            open_loop::run(Shape {
                nodes,
                plans: 1,
                sockets_per_plan: writers + 1,
                senders_per_plan: writers,
                rate,
                seconds,
                idle_seconds: 1,
                observed_plans: 1,
            })
            .await
        }
        Mode::Plans {
            plans,
            sockets,
            rate,
            seconds,
            nodes,
        } => {
            open_loop::run(Shape {
                nodes,
                plans,
                sockets_per_plan: sockets.max(2),
                senders_per_plan: 1,
                rate,
                seconds,
                idle_seconds: 10,
                observed_plans: plans.min(50),
            })
            .await
        }
        Mode::Kills { trials } => kills(trials).await,
    }
}

/// The fault test's kill trial, `trials` times; prints how long each took.
async fn kills(trials: usize) {
    let setup = spawn_app().await;
    let url = integration_tests::db::database_url(&setup.pool);
    let bin = std::env::current_exe()
        .expect("own path")
        .with_file_name("pillars-node");
    let bin = bin.to_str().expect("a UTF-8 path");
    let survivor = integration_tests::node::NodeProcess::start(bin, &url);
    let started = Instant::now();
    let mut took = Vec::new();
    for trial in 0..trials {
        let at = Instant::now();
        integration_tests::kill::kill_trial(&setup, bin, &url, &survivor, trial).await;
        took.push(at.elapsed());
    }
    let summary = summarise(&mut took).expect("trials ran");
    println!(
        "kills: {trials} of {trials} trials lost nothing relayed and merged every offline edit ({:.1} s in all)",
        started.elapsed().as_secs_f64()
    );
    print_latency("one trial (start a node, burst, kill, reconnect, converge)", &summary);
}

/// Writers in a closed loop: the next update once the observer has the last.
async fn closed(updates: usize, writers: usize, actions: usize) {
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

pub(crate) fn print_latency(label: &str, s: &LatencySummary) {
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    println!(
        "{label}: n={} p50={:.2} ms p90={:.2} ms p99={:.2} ms max={:.2} ms",
        s.count,
        ms(s.p50),
        ms(s.p90),
        ms(s.p99),
        ms(s.max)
    );
}

/// Resident set size of this process (0 where unavailable).
fn rss_kib() -> u64 {
    integration_tests::rss_kib("/proc/self/status")
}
