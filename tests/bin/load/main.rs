//! `pillars-load`: measures real-time sync under load and prints figures.
//!
//! Modes (`pillars-load --help`):
//! - `closed`: writers in a closed loop on one filled plan ([`closed_loop`]).
//! - `room`: one room of many sockets, each typing at a steady rate
//!   (1,000 sockets at 1 update/s by default): evictions and latency.
//! - `writers`: a few fast writers (50 at 100 updates/s) in one room.
//! - `plans`: many plans open at once (1,000 x 5 sockets): memory idle and
//!   with one update per second per plan.
//! - `kills`: the fault test's node-killed-mid-burst trial, many times.
//! - `notify`: the notifications' outbox throughput to a real SMTP server
//!   and the daily sweep's time ([`notify`]).
//!
//! `room`, `writers` and `plans` run the server as separate `pillars-node`
//! processes (`--nodes N` behind round robin), so their memory is theirs.
//! Build both binaries first: `cargo build --release -p integration-tests --bins`.
//!
//! Needs PostgreSQL as for the tests (`TEST_DATABASE_URL`, default
//! postgres://postgres@127.0.0.1:5432/postgres).

mod closed_loop;
mod notify;
mod open_loop;
mod socket;

use clap::{Parser, Subcommand};
use integration_tests::spawn_app;
use server::collab::stats::{summarise, LatencySummary};
use std::time::{Duration, Instant};

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
    /// A burst of EMAILS notifications to the real SMTP server, and the
    /// daily sweep over PLANS plans of ACTIONS actions.
    Notify {
        #[arg(long, default_value_t = 10_000)]
        emails: usize,
        #[arg(long, default_value_t = 1)]
        senders: usize,
        #[arg(long, default_value_t = 1000)]
        plans: usize,
        #[arg(long, default_value_t = 40)]
        actions: usize,
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
        } => closed_loop::closed(updates, writers, actions).await,
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
        Mode::Notify {
            emails,
            senders,
            plans,
            actions,
        } => notify::notify(emails, senders, plans, actions).await,
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
