//! Two server nodes behind a real load balancer (HAProxy): clients of one
//! plan land on both, edit the same text at once, and every client and
//! storage end with the identical document; a node that freezes is taken
//! out, and its clients carry on through the other; nodes upgraded one at
//! a time lose no edit.

use integration_tests::balancer::{free_port, Balancer};
use integration_tests::client::aim;
use integration_tests::db::{database_url, load_from_database};
use integration_tests::node::NodeProcess;
use integration_tests::{spawn_app, spawn_app_with, Client};
use plan::{PlanDoc, Section};
use std::time::Duration;
use yrs::Text;

const NODE: &str = env!("CARGO_BIN_EXE_pillars-node");

const CLIENTS: usize = 6;
const EDITS: usize = 25;

#[tokio::test]
async fn two_nodes_behind_haproxy_converge_on_every_client_and_in_storage() {
    let _machine = integration_tests::machine::share().await;
    let front = free_port();
    let a = spawn_app_with(|c| c.public_origins = vec![format!("http://{front}").parse().unwrap()]).await;
    let b = a.another_node().await;
    let balancer = Balancer::start_at(front, &[a.addr, b.addr]);
    let plan = a.create_plan("Operation Larch").await;
    let mut clients = Vec::new();
    for _ in 0..CLIENTS {
        clients.push(Client::connect(&balancer.ws(plan, &a.cookie)).await);
    }
    assert!(
        a.state.rooms.is_loaded(plan) && b.state.rooms.is_loaded(plan),
        "round robin put clients of the plan on both nodes"
    );
    // Everyone types at the very start of the aim at once: the most
    // contended place a text has.
    for k in 0..EDITS {
        for (i, client) in clients.iter().enumerate() {
            let text = client.plan.doc().get_or_insert_text("aim");
            client.edit(|_, txn| text.insert(txn, 0, &format!("c{i}.{k} ")));
        }
    }
    let tokens = CLIENTS * EDITS;
    let complete = |p: &PlanDoc| aim(p).split_whitespace().count() == tokens;
    for client in &clients {
        client.wait_for_doc("every client's edits", complete).await;
    }
    let agreed = aim(&clients[0].plan);
    for client in &clients[1..] {
        assert_eq!(aim(&client.plan), agreed, "clients on different nodes agree");
    }
    assert_eq!(aim(&load_from_database(&a.pool, plan).await), agreed, "storage agrees");
}

/// A node that freezes (hung, or cut off) keeps its clients' sockets open,
/// so they would wait on it for ever. The balancer's health check marks it
/// down and shuts its sessions (`on-marked-down shutdown-sessions`, as in
/// `docs/deploy/haproxy.cfg`); its client reconnects through the balancer
/// to the other node, and what it typed meanwhile reaches everyone.
#[tokio::test]
async fn a_frozen_node_is_taken_out_and_its_clients_carry_on_through_the_other() {
    // Timed by HAProxy's health checks, so it has the machine to itself.
    let _machine = integration_tests::machine::alone().await;
    let setup = spawn_app().await;
    let url = database_url(&setup.pool);
    let front = free_port();
    let (mut first, second) = (
        NodeProcess::start_behind(NODE, &url, front),
        NodeProcess::start_behind(NODE, &url, front),
    );
    let balancer = Balancer::start_checked(front, &[first.addr, second.addr]);
    let plan = setup.create_plan("Operation Rowan").await;
    // Round robin: one client on each node.
    let ann = Client::connect(&balancer.ws(plan, &setup.cookie)).await;
    let ben = Client::connect(&balancer.ws(plan, &setup.cookie)).await;
    ann.edit(|p, t| p.section_ref(Section::Aim).insert(t, 0, "ann "));
    ben.wait_for_doc("ann's word", |p| aim(p).contains("ann")).await;

    first.freeze();
    let cut = tokio::select! {
        _ = ann.wait_until_within(Duration::from_secs(15), "a client cut off", |s| s.closed.is_some()) => &ann,
        _ = ben.wait_until_within(Duration::from_secs(15), "a client cut off", |s| s.closed.is_some()) => &ben,
    };
    let kept = if std::ptr::eq(cut, &ann) { &ben } else { &ann };
    assert!(kept.seen().closed.is_none(), "the other node's client stays connected");

    // Typed while cut off, then sent through the balancer again.
    cut.edit(|p, t| p.section_ref(Section::Aim).insert(t, 0, "offline "));
    let back = Client::connect_with(&balancer.ws(plan, &setup.cookie), cut.plan.clone()).await;
    kept.wait_for_doc("the word typed while cut off", |p| aim(p).contains("offline"))
        .await;
    kept.edit(|p, t| p.section_ref(Section::Aim).insert(t, 0, "kept "));
    back.wait_for_doc("the kept client's word", |p| aim(p).contains("kept"))
        .await;
    assert_eq!(aim(&back.plan), aim(&kept.plan));
    assert_eq!(
        aim(&load_from_database(&setup.pool, plan).await),
        aim(&kept.plan),
        "storage agrees"
    );
}

/// Upgrading the nodes one at a time during a workshop: each is stopped as
/// systemd stops it (SIGTERM) and started again where the balancer expects
/// it (a new release would run the same way). A stopping node tells its
/// clients it is going away (1001); they come back through the balancer to
/// the node still running, with what they typed just before and while
/// away, and in the end every word is on every client and in storage.
#[tokio::test(flavor = "multi_thread")]
async fn upgrading_the_nodes_one_at_a_time_loses_no_edit() {
    // Timed by HAProxy's health checks, so it has the machine to itself.
    let _machine = integration_tests::machine::alone().await;
    let setup = spawn_app().await;
    let url = database_url(&setup.pool);
    let front = free_port();
    let mut nodes = [
        NodeProcess::start_behind(NODE, &url, front),
        NodeProcess::start_behind(NODE, &url, front),
    ];
    let balancer = Balancer::start_checked(front, &[nodes[0].addr, nodes[1].addr]);
    let plan = setup.create_plan("Operation Hazel").await;
    // Round robin: one client on each node.
    let mut clients = vec![
        Client::connect(&balancer.ws(plan, &setup.cookie)).await,
        Client::connect(&balancer.ws(plan, &setup.cookie)).await,
    ];
    let mut words = Vec::new();
    for (index, moving) in [(0, 1), (1, 2)] {
        // Typed as the node goes down: some of it may not have reached it.
        for (i, client) in clients.iter().enumerate() {
            let word = format!("before{index}.{i}");
            client.edit(|p, t| p.section_ref(Section::Aim).insert(t, 0, &format!("{word} ")));
            words.push(word);
        }
        let addr = nodes[index].addr;
        // `stop` blocks until the process has gone; the clients' tasks run
        // on the runtime's other thread meanwhile.
        tokio::task::block_in_place(|| nodes[index].stop());
        let closed = |c: &Client| c.seen().closed.is_some();
        while clients.iter().filter(|c| closed(c)).count() < moving {
            let waits = clients
                .iter()
                .filter(|c| !closed(c))
                .map(|c| Box::pin(c.wait_until("the stopping node's clients cut off", |s| s.closed.is_some())));
            futures_util::future::select_all(waits).await;
        }
        let mut stayed = Vec::new();
        let mut came_back = Vec::new();
        for client in clients.drain(..) {
            let Some((code, reason)) = client.seen().closed else {
                stayed.push(client);
                continue;
            };
            assert_eq!(code, 1001, "told the node is going away: {reason}");
            let word = format!("away{index}.{}", came_back.len());
            client.edit(|p, t| p.section_ref(Section::Aim).insert(t, 0, &format!("{word} ")));
            words.push(word);
            came_back.push(Client::connect_with(&balancer.ws(plan, &setup.cookie), client.plan.clone()).await);
        }
        assert_eq!(came_back.len(), moving, "only the stopped node's clients were cut off");
        clients = stayed.into_iter().chain(came_back).collect();
        nodes[index] = NodeProcess::start_at_behind(NODE, &url, addr, front);
        balancer.wait_until_up(index).await;
    }
    let every_word = |p: &PlanDoc| {
        let aim = aim(p);
        words.iter().all(|w| aim.contains(w.as_str()))
    };
    for client in &clients {
        client
            .wait_for_doc("every word typed across the upgrade", every_word)
            .await;
    }
    let stored = load_from_database(&setup.pool, plan).await;
    assert!(every_word(&stored), "storage holds every word: {}", aim(&stored));
    assert_eq!(aim(&stored), aim(&clients[0].plan));
}
