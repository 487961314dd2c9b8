//! Open-loop load on server nodes in processes of their own: sockets send
//! at a fixed rate whatever the server does, as people typing would, so a
//! server that falls behind shows it (queues, evictions), and its memory
//! is measured apart from the load generator's.

use super::socket::{LoadSocket, Tally};
use futures_util::future::join_all;
use integration_tests::db::database_url;
use integration_tests::node::NodeProcess;
use integration_tests::spawn_app;
use server::collab::stats::summarise;
use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::time::{Duration, Instant};

/// The shape of one run.
pub struct Shape {
    pub nodes: usize,
    pub plans: usize,
    pub sockets_per_plan: usize,
    /// The first this many sockets of each plan send.
    pub senders_per_plan: usize,
    /// Updates per second per sender.
    pub rate: f64,
    pub seconds: u64,
    /// Seconds connected and quiet before the load, to measure memory idle.
    pub idle_seconds: u64,
    /// Plans (the first this many) whose last socket times arrivals.
    pub observed_plans: usize,
}

pub async fn run(shape: Shape) {
    let setup = spawn_app().await;
    let url = database_url(&setup.pool);
    let bin = std::env::current_exe()
        .expect("own path")
        .with_file_name("pillars-node");
    // Each node keeps its own pool: share the server's connections out
    // (a burst of joins fills every pool, and connections past the
    // server's max_connections are refused).
    let max_connections: String = sqlx::query_scalar("SHOW max_connections")
        .fetch_one(&setup.pool)
        .await
        .expect("reading max_connections");
    let count = shape.nodes.max(1) as u32;
    let per_node = (max_connections.parse::<u32>().unwrap_or(100).saturating_sub(20) / count)
        .clamp(2, server::store::postgres::DEFAULT_CONNECTIONS);
    let mut nodes: Vec<NodeProcess> = (0..count)
        .map(|_| NodeProcess::start_with_connections(bin.to_str().expect("a UTF-8 path"), &url, Some(per_node)))
        .collect();
    let mut plans = Vec::new();
    for i in 0..shape.plans {
        plans.push(setup.create_plan(&format!("Load plan {i}")).await);
    }
    println!(
        "pillars-load: {} plan(s) x {} sockets on {} node(s) ({} sending {:.0} update/s each), {} s",
        shape.plans,
        shape.sockets_per_plan,
        nodes.len(),
        shape.senders_per_plan,
        shape.rate,
        shape.seconds
    );

    let tally = Arc::new(Tally::default());
    let connecting = Instant::now();
    let mut targets = Vec::new();
    for (p, plan) in plans.iter().enumerate() {
        for s in 0..shape.sockets_per_plan {
            let node = &nodes[(p * shape.sockets_per_plan + s) % nodes.len()];
            let observer = p < shape.observed_plans && s + 1 == shape.sockets_per_plan;
            targets.push((node.ws(*plan, &setup.cookie), s < shape.senders_per_plan, observer));
        }
    }
    let mut senders = Vec::new();
    let mut quiet = Vec::new();
    for chunk in targets.chunks(100) {
        let sockets = join_all(
            chunk
                .iter()
                .map(|(target, _, observer)| LoadSocket::connect(target, "lro_update", *observer, tally.clone())),
        )
        .await;
        for (socket, (_, sends, _)) in sockets.into_iter().zip(chunk) {
            if *sends {
                senders.push(socket)
            } else {
                quiet.push(socket)
            }
        }
    }
    println!(
        "connected {} sockets in {:.1} s",
        targets.len(),
        connecting.elapsed().as_secs_f64()
    );
    tokio::time::sleep(Duration::from_secs(shape.idle_seconds)).await;
    let idle_rss: Vec<u64> = nodes.iter().map(|n| n.rss_kib() / 1024).collect();

    let period = Duration::from_secs_f64(1.0 / shape.rate);
    let start = tokio::time::Instant::now();
    let deadline = start + Duration::from_secs(shape.seconds);
    let count = senders.len().max(1);
    let tasks: Vec<_> = senders
        .into_iter()
        .enumerate()
        .map(|(i, mut socket)| {
            // Spread evenly over one period, as people do not type in step.
            let first = start + period.mul_f64(i as f64 / count as f64);
            tokio::spawn(async move {
                let mut ticks = tokio::time::interval_at(first, period);
                ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
                loop {
                    let at = ticks.tick().await;
                    if at >= deadline || !socket.type_one().await {
                        break;
                    }
                }
                socket
            })
        })
        .collect();
    let senders: Vec<LoadSocket> = join_all(tasks).await.into_iter().flatten().collect();
    // What is in flight arrives.
    tokio::time::sleep(Duration::from_secs(2)).await;
    let loaded_rss: Vec<u64> = nodes.iter().map(|n| n.rss_kib() / 1024).collect();
    let elapsed = start.elapsed().as_secs_f64() - 2.0;

    let sent = tally.sent.load(Ordering::Relaxed);
    println!(
        "sent {sent} updates ({:.0}/s); received {} frames, {} MiB; evicted {} sockets, {} closed otherwise",
        sent as f64 / elapsed,
        tally.frames.load(Ordering::Relaxed),
        tally.bytes.load(Ordering::Relaxed) / (1024 * 1024),
        tally.evicted.load(Ordering::Relaxed),
        tally.closed.load(Ordering::Relaxed),
    );
    let mut latencies = std::mem::take(&mut *tally.latencies.lock().unwrap());
    match summarise(&mut latencies) {
        Some(s) => super::print_latency("clients: send -> observer has it", &s),
        None => println!("clients: no update was timed"),
    }
    for (i, node) in nodes.iter_mut().enumerate() {
        let relay = node.stop();
        println!(
            "node {i}: RSS {} MiB idle, {} MiB under load; {}",
            idle_rss[i],
            loaded_rss[i],
            relay
                .trim()
                .strip_prefix("relay: ")
                .map_or("no relay figures".into(), |r| format!("server arrival -> relay: {r}"))
        );
    }
    drop((senders, quiet));
}
