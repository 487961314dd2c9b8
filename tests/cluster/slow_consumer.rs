//! One client stops reading in a busy room: the other clients' latency
//! does not move by more than 20 %.
//!
//! It measures latency, so it holds the machine alone
//! ([`integration_tests::machine::alone`]): no other test of this binary
//! runs while it measures, and cargo runs test binaries one after another.

use integration_tests::client::aim;
use integration_tests::{spawn_app_with_plan, Client};
use plan::Section;
use std::time::{Duration, Instant};

/// Phases with (true) and without (false) a stalled client, alternating
/// ABBA so that both kinds see the same machine over the run.
const PHASES: [bool; 8] = [false, true, true, false, false, true, true, false];

/// Timed edits per phase: 1,000 of each kind in all, so that a p99 is the
/// tenth-slowest, not one unlucky pause.
const PHASE_EDITS: usize = 250;

/// Untimed 400 kB edits that open each phase: 5 MB, enough to fill a
/// stalled client's socket buffers, so that from then on what the room
/// sends it waits in its mailbox.
const FILL_EDITS: usize = 12;

/// Latency is an edit's send until every other reader has it. After each
/// stalled phase the stalled client reads again and must get the phase's
/// last edit: it stayed in the room throughout (never evicted), so the
/// room really was sending to a client that did not read.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_slow_consumer_does_not_slow_the_others() {
    let _machine = integration_tests::machine::alone().await;
    let (app, plan) = spawn_app_with_plan("Operation Treacle").await;
    let writer = Client::connect(&app.ws_url(plan)).await;
    let mut readers = Vec::new();
    for _ in 0..5 {
        readers.push(Client::connect(&app.ws_url(plan)).await);
    }
    let (mut calm, mut with_stalled) = (Vec::new(), Vec::new());
    for (round, stalled_phase) in PHASES.into_iter().enumerate() {
        let stalled = match stalled_phase {
            true => Some(integration_tests::raw::stalled_reader(app.addr, &app.ws_url(plan)).await),
            false => None,
        };
        let first = round * (PHASE_EDITS + FILL_EDITS);
        for i in first..first + FILL_EDITS {
            rewrite_aim(&writer, &readers, i, 400_000).await;
        }
        let timed = timed_edits(&writer, &readers, first + FILL_EDITS).await;
        match stalled {
            Some(stalled) => {
                let last = marker(first + FILL_EDITS + PHASE_EDITS - 1);
                integration_tests::raw::resume_reading(stalled, "the phase's last edit", |p| aim(p).starts_with(&last))
                    .await;
                with_stalled.extend(timed);
            }
            None => calm.extend(timed),
        }
    }
    eprintln!(
        "to every other client, p50: {:?} without a stalled client, {:?} with one",
        percentile(&mut calm, 50),
        percentile(&mut with_stalled, 50)
    );
    let (calm, stalled) = (percentile(&mut calm, 99), percentile(&mut with_stalled, 99));
    eprintln!("to every other client, p99: {calm:?} without a stalled client, {stalled:?} with one");
    // 20 %, over a floor of 2 ms for this machine's timer and scheduler.
    assert!(
        stalled <= calm.mul_f64(1.2) + Duration::from_millis(2),
        "a stalled client slowed the others: p99 {calm:?} → {stalled:?}"
    );
}

fn percentile(latencies: &mut [Duration], p: usize) -> Duration {
    latencies.sort_unstable();
    latencies[latencies.len() * p / 100]
}

fn marker(i: usize) -> String {
    format!("{i:06}")
}

/// The aim rewritten whole (every character differs from the last
/// edit's, so `bytes` go on the wire); returns when every reader has it.
async fn rewrite_aim(writer: &Client, readers: &[Client], i: usize, bytes: usize) {
    let line = format!(
        "{}{}",
        marker(i),
        char::from(b'a' + (i % 26) as u8).to_string().repeat(bytes)
    );
    writer.edit(|p, txn| p.set_section_text(txn, Section::Aim, &line));
    for reader in readers {
        reader
            .wait_for_doc("the edit", |p| aim(p).starts_with(&line[..6]))
            .await;
    }
}

/// [`PHASE_EDITS`] 1 kB edits one at a time; for each, how long until
/// every reader had it.
async fn timed_edits(writer: &Client, readers: &[Client], first: usize) -> Vec<Duration> {
    let mut latencies = Vec::new();
    for i in first..first + PHASE_EDITS {
        let sent = Instant::now();
        rewrite_aim(writer, readers, i, 1_000).await;
        latencies.push(sent.elapsed());
    }
    latencies
}
