//! Two server nodes behind a real load balancer (HAProxy): clients of one
//! plan land on both, edit the same text at once, and every client and
//! storage end with the identical document.

use integration_tests::balancer::Balancer;
use integration_tests::db::load_from_database;
use integration_tests::{spawn_app, Client};
use plan::{PlanDoc, Section};
use yrs::Text;

const CLIENTS: usize = 6;
const EDITS: usize = 25;

fn aim(p: &PlanDoc) -> String {
    p.section_text(&p.transact(), Section::Aim)
}

#[tokio::test]
async fn two_nodes_behind_haproxy_converge_on_every_client_and_in_storage() {
    let a = spawn_app().await;
    let b = a.another_node().await;
    let balancer = Balancer::start(&[a.addr, b.addr]);
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
