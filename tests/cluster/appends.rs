//! Audited appends to one plan from several server nodes at once. A room
//! gives the seqs after the last it holds; if another node took them, it
//! appends after what the others logged, under the plan's append lock, and
//! that second try cannot lose, however hot the plan. Each contract test
//! runs on a fresh PostgreSQL database and on a fresh SQLite file.

use integration_tests::db::fresh_pg_pool;
use integration_tests::stores::user;
use plan::access::Change;
use server::audit::{AuditStore, AuditedUpdate};
use server::storage::Store;
use server::store::{PgStore, StoreError};
use std::sync::Arc;
use uuid::Uuid;

async fn plan(store: &dyn Store, lro: Uuid) -> Uuid {
    integration_tests::stores::plan_with_lro(store, lro).await.unwrap()
}

fn audited<'a>(bytes: &'a [Vec<u8>], user: Uuid, claimed: &'a [u64]) -> Vec<AuditedUpdate<'a>> {
    const NO_CHANGES: &[Change] = &[];
    bytes
        .iter()
        .enumerate()
        .map(|(i, b)| AuditedUpdate {
            update: b,
            user,
            changes: NO_CHANGES,
            claimed: if i == 0 { claimed } else { &[] },
            assigned: &[],
        })
        .collect()
}

fn raw(texts: &[&str]) -> Vec<Vec<u8>> {
    texts.iter().map(|t| t.as_bytes().to_vec()).collect()
}

async fn an_append_that_lost_its_seqs_goes_after_the_others(store: &dyn Store) {
    let (ann, ben) = (user(store, "Ann").await, user(store, "Ben").await);
    let plan = plan(store, ann).await;
    let ann_bytes = raw(&["ann 1", "ann 2"]);
    store
        .append_audited(plan, 1, &audited(&ann_bytes, ann, &[7]))
        .await
        .expect("Ann's room appends first");

    // Ben's room still holds seq 0: its seqs are taken, and nothing of it
    // is written.
    let ben_bytes = raw(&["ben 1"]);
    let lost = store.append_audited(plan, 1, &audited(&ben_bytes, ben, &[9])).await;
    assert!(matches!(lost, Err(StoreError::SeqTaken(p)) if p == plan), "{lost:?}");

    let others = store
        .append_audited_after(plan, 0, &audited(&ben_bytes, ben, &[9]))
        .await
        .expect("the second try goes after the others");
    let read: Vec<(i64, &[u8], Option<Uuid>)> = others.iter().map(|u| (u.seq, u.update.as_slice(), u.user)).collect();
    assert_eq!(
        read,
        [(1, &b"ann 1"[..], Some(ann)), (2, &b"ann 2"[..], Some(ann))],
        "Ben's room is given what Ann's logged, with its author"
    );
    let stored = store.load(plan).await.unwrap();
    let log: Vec<(i64, &[u8])> = stored.updates.iter().map(|u| (u.seq, u.update.as_slice())).collect();
    assert_eq!(log, [(1, &b"ann 1"[..]), (2, b"ann 2"), (3, b"ben 1")]);
    let mut clients = stored.clients.clone();
    clients.sort();
    assert_eq!(clients, [(7, ann), (9, ben)], "each claim is its author's");
    let authors: Vec<Uuid> = store.history(plan).await.unwrap().iter().map(|e| e.user_id).collect();
    assert_eq!(authors, [ann, ann, ben], "every append is attributed");

    // Nothing to go after: it appends straight after `after`.
    let more = raw(&["ben 2"]);
    let none = store
        .append_audited_after(plan, 3, &audited(&more, ben, &[]))
        .await
        .unwrap();
    assert!(none.is_empty());
    assert_eq!(store.load(plan).await.unwrap().last_seq(), 4);
}

/// A client that reconnected to another node before that node heard of its
/// first update sends it again there, claiming its client id a second time:
/// its own claim is no clash, and the update goes in.
async fn a_users_second_claim_of_its_own_client_id_goes_in(store: &dyn Store) {
    let ann = user(store, "Ann").await;
    let plan = plan(store, ann).await;
    let first = raw(&["ann on node a"]);
    store
        .append_audited(plan, 1, &audited(&first, ann, &[7]))
        .await
        .unwrap();

    let again = raw(&["ann on node b"]);
    let lost = store.append_audited(plan, 1, &audited(&again, ann, &[7])).await;
    assert!(matches!(lost, Err(StoreError::SeqTaken(_))), "{lost:?}");
    let others = store
        .append_audited_after(plan, 0, &audited(&again, ann, &[7]))
        .await
        .expect("a claim its own user holds is no clash");
    assert_eq!(others.len(), 1);
    let stored = store.load(plan).await.unwrap();
    assert_eq!(stored.last_seq(), 2);
    assert_eq!(stored.clients, [(7, ann)]);
}

/// Two users' rooms on two nodes each take one client id as unclaimed (a
/// member writing under an id it saw another use): the first append owns
/// it; the second is refused whole, so nothing is logged under another
/// user's client id, and the room learns why.
async fn a_client_id_claimed_on_another_node_is_refused(store: &dyn Store) {
    let (ann, ben) = (user(store, "Ann").await, user(store, "Ben").await);
    let plan = plan(store, ann).await;
    let anns = raw(&["ann"]);
    store.append_audited(plan, 1, &audited(&anns, ann, &[7])).await.unwrap();

    let bens = raw(&["ben under ann's id"]);
    let lost = store.append_audited(plan, 1, &audited(&bens, ben, &[7])).await;
    assert!(matches!(lost, Err(StoreError::SeqTaken(_))), "{lost:?}");
    let refused = store.append_audited_after(plan, 0, &audited(&bens, ben, &[7])).await;
    assert!(
        matches!(refused, Err(StoreError::ClaimTaken { plan: p, client: 7 }) if p == plan),
        "{refused:?}"
    );
    let stored = store.load(plan).await.unwrap();
    assert_eq!(stored.last_seq(), 1, "nothing of Ben's batch is logged");
    assert_eq!(stored.clients, [(7, ann)], "the id stays Ann's");
    assert_eq!(store.history(plan).await.unwrap().len(), 1);
}

integration_tests::on_both_stores!(
    an_append_that_lost_its_seqs_goes_after_the_others,
    a_users_second_claim_of_its_own_client_id_goes_in,
    a_client_id_claimed_on_another_node_is_refused,
);

/// Nodes racing for one plan, each appending as fast as its database round
/// trips allow, as rooms do under a storm: every batch is in at the first
/// or the second try, and the log has each seq once, with no gap.
#[tokio::test]
async fn racing_nodes_each_get_in_at_the_second_try() {
    let _machine = integration_tests::machine::share().await;
    const NODES: usize = 6;
    const BATCHES: usize = 60;
    let pool = fresh_pg_pool().await;
    let setup = PgStore::from_pool(pool.clone());
    let author = user(&setup, "Cai").await;
    let plan = plan(&setup, author).await;
    let mut nodes = Vec::new();
    for node in 0..NODES {
        // A store per node: its own id in the notices its appends send.
        let store = Arc::new(PgStore::from_pool(pool.clone()));
        nodes.push(tokio::spawn(async move {
            let (mut applied, mut second_tries) = (0i64, 0usize);
            for batch in 0..BATCHES {
                let bytes = raw(&[
                    &format!("node {node} batch {batch} a"),
                    &format!("node {node} batch {batch} b"),
                ]);
                let updates = audited(&bytes, author, &[]);
                match store.append_audited(plan, applied + 1, &updates).await {
                    Ok(()) => applied += 2,
                    Err(StoreError::SeqTaken(_)) => {
                        second_tries += 1;
                        let others = store
                            .append_audited_after(plan, applied, &updates)
                            .await
                            .unwrap_or_else(|e| panic!("node {node} lost its second try: {e:?}"));
                        applied = others.last().map_or(applied, |u| u.seq) + 2;
                    }
                    Err(e) => panic!("node {node}: {e:?}"),
                }
            }
            second_tries
        }));
    }
    let mut second_tries = 0;
    for node in nodes {
        second_tries += node.await.expect("no node panicked");
    }
    assert!(second_tries > 0, "the nodes did race");
    let seqs: Vec<i64> = sqlx::query_scalar("SELECT seq FROM plan_updates WHERE plan_id = $1 ORDER BY seq")
        .bind(plan)
        .fetch_all(&pool)
        .await
        .unwrap();
    let total = (NODES * BATCHES * 2) as i64;
    assert_eq!(seqs, (1..=total).collect::<Vec<_>>(), "each seq once, no gap");
}
