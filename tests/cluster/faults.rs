//! Faults a multi-node deployment must survive, each bounded in time:
//! a node killed with SIGKILL in the middle of a burst of edits, and
//! PostgreSQL crashing and coming back during a session. (The stalled
//! client is `slow_consumer`: it measures latency, so it holds the machine
//! alone.)

use integration_tests::client::aim;
use integration_tests::db::{database_url, load_from_database};
use integration_tests::node::NodeProcess;
use integration_tests::private_pg::PrivatePostgres;
use integration_tests::{spawn_app, Client, TestApp};
use plan::Section;
use std::time::Duration;
use yrs::Text;

const NODE: &str = env!("CARGO_BIN_EXE_pillars-node");

/// Trials of the kill test run here.
const TRIALS: usize = 20;

/// A node killed with SIGKILL mid-burst, [`TRIALS`] times: see
/// [`integration_tests::kill::kill_trial`]; `pillars-load kills` runs more.
#[tokio::test]
async fn a_node_killed_mid_burst_loses_nothing_relayed_and_its_clients_carry_on_elsewhere() {
    let _machine = integration_tests::machine::share().await;
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
    let _machine = integration_tests::machine::share().await;
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
    let (alice, bob) = Client::pair(&app.ws_url(plan), &app.ws_url(plan)).await;
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
    let listed = app.get("/api/plans").await;
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

/// `/healthz`, which the load balancer takes a node out by, says 503 while
/// the database does not answer at all (frozen, connections open) and
/// 200 again once it does.
#[tokio::test]
async fn the_health_check_fails_while_the_database_does_not_answer() {
    let _machine = integration_tests::machine::share().await;
    let pg = PrivatePostgres::start();
    let pool = sqlx::postgres::PgPoolOptions::new()
        .max_connections(4)
        .connect(&pg.url("postgres"))
        .await
        .expect("the private PostgreSQL answers");
    server::store::PgStore::migrate(&pool).await.unwrap();
    let app = integration_tests::app::spawn_app_on(pool.clone()).await;
    let health = || async { app.get("/healthz").await.status().as_u16() };
    assert_eq!(health().await, 200, "healthy to begin with");

    pg.freeze();
    let started = std::time::Instant::now();
    let frozen = health().await;
    let waited = started.elapsed();
    pg.thaw();
    assert_eq!(frozen, 503, "a database that does not answer is unhealthy");
    assert!(
        waited < server::routes::health::HEALTH_TIMEOUT + Duration::from_secs(2),
        "answered within its timeout: {waited:?}"
    );
    assert_eq!(health().await, 200, "healthy again once the database answers");
}

/// Alice on an in-process node (the survivor) sees Bob, a client of a
/// `pillars-node` process, by his presence (`bobs`: his client ids).
struct PresenceElsewhere {
    survivor: TestApp,
    node: NodeProcess,
    plan: uuid::Uuid,
    alice: Client,
    bobs: Vec<u64>,
    _bob: Client,
}

async fn presence_elsewhere(title: &str) -> PresenceElsewhere {
    let survivor = spawn_app().await;
    let node = NodeProcess::start(NODE, &database_url(&survivor.pool));
    let plan = survivor.create_plan(title).await;
    let alice = Client::connect(&survivor.ws_url(plan)).await;
    let bob = Client::connect(&node.ws(plan, &survivor.cookie)).await;
    bob.announce(r##"{"user":{"name":"Bob","color":"#ff7f0e"},"field":"aim"}"##);
    let seen = alice
        .wait_until("bob's presence from the other node", |s| !s.presence.is_empty())
        .await;
    PresenceElsewhere {
        bobs: seen.presence.keys().copied().collect(),
        survivor,
        node,
        plan,
        alice,
        _bob: bob,
    }
}

/// A node killed with SIGKILL says no goodbye: the other nodes notice its
/// database connection end and remove its clients' presence within
/// seconds, instead of showing them as present until clients time them
/// out (and to every newcomer, for as long as the room stays open).
#[tokio::test]
async fn a_killed_nodes_presence_leaves_the_other_nodes() {
    let _machine = integration_tests::machine::share().await;
    let PresenceElsewhere {
        survivor,
        node: mut doomed,
        plan,
        alice,
        bobs,
        _bob,
    } = presence_elsewhere("Operation Larch").await;
    doomed.kill();
    alice
        .wait_until("bob's presence to be removed", |s| {
            bobs.iter().all(|c| !s.presence.contains_key(c))
        })
        .await;
    // A newcomer is not shown him either.
    let carol = Client::connect(&survivor.ws_url(plan)).await;
    alice.announce(r##"{"user":{"name":"Alice","color":"#1f77b4"},"field":"aim"}"##);
    let seen = carol.wait_until("alice's presence", |s| !s.presence.is_empty()).await;
    assert!(
        bobs.iter().all(|c| !seen.presence.contains_key(c)),
        "a newcomer was shown the dead node's client: {:?}",
        seen.presence
    );
}

/// A node that freezes (a hung process, or one cut off from the network)
/// keeps its database connection open for hours in PostgreSQL's eyes, so
/// only its silence tells: its clients' presence leaves the other nodes
/// within seconds (five missed beats of two seconds).
#[tokio::test]
async fn a_frozen_nodes_presence_leaves_the_other_nodes() {
    let _machine = integration_tests::machine::share().await;
    let PresenceElsewhere {
        survivor,
        node: mut frozen,
        plan,
        alice,
        bobs,
        _bob,
    } = presence_elsewhere("Operation Hazel").await;
    frozen.freeze();
    let removed = std::time::Instant::now();
    alice
        .wait_until_within(Duration::from_secs(20), "bob's presence to be removed", |s| {
            bobs.iter().all(|c| !s.presence.contains_key(c))
        })
        .await;
    println!("a frozen node's presence was removed after {:?}", removed.elapsed());
    // Alice goes on editing through the survivor meanwhile.
    alice.edit(|p, t| p.section_ref(Section::Aim).insert(t, 0, "Still here"));
    let carol = Client::connect(&survivor.ws_url(plan)).await;
    carol.wait_for_aim("alice's edit", "Still here").await;
    assert!(
        bobs.iter().all(|c| !carol.seen().presence.contains_key(c)),
        "a newcomer was shown the frozen node's client"
    );
}
