//! Faults a multi-node deployment must survive, each bounded in time:
//! a node killed with SIGKILL in the middle of a burst of edits, and
//! PostgreSQL crashing and coming back during a session.

use integration_tests::db::{database_url, load_from_database};
use integration_tests::node::NodeProcess;
use integration_tests::private_pg::PrivatePostgres;
use integration_tests::{spawn_app, Client};
use plan::{PlanDoc, Section};
use yrs::Text;

const NODE: &str = env!("CARGO_BIN_EXE_pillars-node");

/// Trials of the kill test run here.
const TRIALS: usize = 20;

fn aim(p: &PlanDoc) -> String {
    p.section_text(&p.transact(), Section::Aim)
}

/// A node killed with SIGKILL mid-burst, [`TRIALS`] times: see
/// [`integration_tests::kill::kill_trial`]; `pillars-load kills` runs more.
#[tokio::test]
async fn a_node_killed_mid_burst_loses_nothing_relayed_and_its_clients_carry_on_elsewhere() {
    let setup = spawn_app().await;
    let url = database_url(&setup.pool);
    let survivor = NodeProcess::start(NODE, &url);
    for trial in 0..TRIALS {
        integration_tests::kill::kill_trial(&setup, NODE, &url, &survivor, trial).await;
    }
}

/// PostgreSQL crashes mid-session. Clients are told to reconnect and
/// resend; the server stays up and serves again once the database is
/// back; the edit made while it was down is stored after all.
#[tokio::test]
async fn postgresql_crashing_and_returning_loses_nothing_and_the_server_stays_up() {
    let pg = PrivatePostgres::start();
    // Short waits for a connection, so that an append fails (and clients
    // are told) within the test's patience; the server's own is 10 s.
    let pool = sqlx::postgres::PgPoolOptions::new()
        .max_connections(8)
        .acquire_timeout(std::time::Duration::from_secs(2))
        .connect(&pg.url("postgres"))
        .await
        .expect("the private PostgreSQL answers");
    server::store::PgStore::migrate(&pool).await.unwrap();
    let app = integration_tests::app::spawn_app_on(pool.clone()).await;
    let plan = app.create_plan("Operation Outage").await;
    let alice = Client::connect(&app.ws_url(plan)).await;
    let bob = Client::connect(&app.ws_url(plan)).await;
    let text = alice.plan.doc().get_or_insert_text("aim");
    alice.edit(|_, txn| text.push(txn, "before "));
    bob.wait_for_doc("the first edit", |p| aim(p) == "before ").await;

    pg.crash();
    alice.edit(|_, txn| text.push(txn, "during "));
    let (code, reason) = alice.closed().await;
    assert_eq!(code, 1011, "{reason}");
    assert!(reason.contains("reconnect to restore your changes"), "{reason}");
    let answered = app.http.get(app.url("/api/plans")).send().await;
    assert!(answered.is_ok(), "the server answers while the database is down");

    pg.start_again();
    let listed = app.http.get(app.url("/api/plans")).send().await.unwrap();
    assert_eq!(
        listed.status(),
        200,
        "the same server serves again once the database is back"
    );
    let alice = Client::connect_with(&app.ws_url(plan), alice.plan.clone()).await;
    let bob = Client::connect_with(&app.ws_url(plan), bob.plan.clone()).await;
    alice.edit(|_, txn| text.push(txn, "after"));
    bob.wait_for_doc("every edit", |p| aim(p) == "before during after")
        .await;
    assert_eq!(aim(&load_from_database(&pool, plan).await), "before during after");
}

/// Timed edits per phase of the slow-consumer test (three phases of each kind).
const PHASE_EDITS: usize = 150;

/// One client stops reading in a busy room: the others' latency (an
/// edit's send until every other client has it) does not move. Phases
/// with and without the stalled client alternate (ABBAAB), so both see
/// the same machine. Each phase starts with 5 MB of edits, which fill the
/// stalled client's socket buffers: from then on what the room sends it
/// waits in its mailbox (it is not evicted within the test's limits).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_slow_consumer_does_not_slow_the_others() {
    let app = spawn_app().await;
    let plan = app.create_plan("Operation Treacle").await;
    let writer = Client::connect(&app.ws_url(plan)).await;
    let mut readers = Vec::new();
    for _ in 0..5 {
        readers.push(Client::connect(&app.ws_url(plan)).await);
    }
    let (mut calm, mut with_stalled) = (Vec::new(), Vec::new());
    for (round, stalled_phase) in [false, true, true, false, false, true].into_iter().enumerate() {
        let stalled = match stalled_phase {
            true => Some(integration_tests::raw::stalled_reader(app.addr, &app.ws_url(plan)).await),
            false => None,
        };
        let first = round * (PHASE_EDITS + FILL_EDITS);
        fill(&writer, &readers, first).await;
        let timed = timed_edits(&writer, &readers, first + FILL_EDITS).await;
        match stalled_phase {
            true => with_stalled.extend(timed),
            false => calm.extend(timed),
        }
        drop(stalled);
    }
    let p99 = |mut v: Vec<std::time::Duration>| {
        v.sort_unstable();
        v[v.len() * 99 / 100]
    };
    let (calm, stalled) = (p99(calm), p99(with_stalled));
    eprintln!("p99 to every other client: {calm:?} without a stalled client, {stalled:?} with one");
    // 20 %, over a floor of 2 ms for this machine's timer and scheduler.
    assert!(
        stalled <= calm.mul_f64(1.2) + std::time::Duration::from_millis(2),
        "a stalled client slowed the others: p99 {calm:?} → {stalled:?}"
    );
}

const FILL_EDITS: usize = 12;

/// The aim rewritten whole (every character differs from the last
/// edit's, so `bytes` go on the wire); returns when every reader has it.
async fn rewrite_aim(writer: &Client, readers: &[Client], i: usize, bytes: usize) {
    let line = format!("{i:06}{}", char::from(b'a' + (i % 26) as u8).to_string().repeat(bytes));
    writer.edit(|p, txn| p.set_section_text(txn, Section::Aim, &line));
    for reader in readers {
        reader
            .wait_for_doc("the edit", |p| aim(p).starts_with(&line[..6]))
            .await;
    }
}

/// 400 kB edits, untimed, enough to fill a stalled client's buffers.
async fn fill(writer: &Client, readers: &[Client], first: usize) {
    for i in first..first + FILL_EDITS {
        rewrite_aim(writer, readers, i, 400_000).await;
    }
}

/// [`PHASE_EDITS`] 1 kB edits one at a time; for each, how long until
/// every reader had it.
async fn timed_edits(writer: &Client, readers: &[Client], first: usize) -> Vec<std::time::Duration> {
    let mut latencies = Vec::new();
    for i in first..first + PHASE_EDITS {
        let sent = std::time::Instant::now();
        rewrite_aim(writer, readers, i, 1_000).await;
        latencies.push(sent.elapsed());
    }
    latencies
}
