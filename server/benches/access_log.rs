//! What the consultation log costs, and how its search scales.
//!
//! - The gate a read passes: the membership lookup alone (before the log)
//!   against [`AccessLog::consult`] (the lookup and a queued entry).
//! - A whole plan page view through the real app, with the log, and the
//!   gate's extra cost as a share of it.
//! - Entries written per second by the queue's one writer.
//! - The auditor's search of one user over one month, in a log of
//!   `PILLARS_ACCESS_ROWS` entries (10 million by default).
//!
//! `cargo bench -p server --bench access_log` (PostgreSQL on
//! `PILLARS_BENCH_DATABASE_URL`, by default the local one).

mod common;

use app::session::ssr::Requester;
use chrono::{Duration, Utc};
use plan::access_log::{AccessKind, Basis};
use server::access_log::store::{AccessLogStore, Filter};
use server::access_log::{Access, AccessLog};
use server::accounts::store::AccountStore;
use std::sync::Arc;
use std::time::Instant;

fn requester(user: &server::accounts::User) -> Requester {
    Requester {
        viewer: server::routes::guard::viewer(user),
        session: "0123456789abcdef".into(),
        address: Some("10.1.2.3".parse().unwrap()),
        user_agent: Some("Mozilla/5.0 (X11; Linux x86_64) Chrome/156.0 Safari/537.36".into()),
    }
}

#[tokio::main]
async fn main() {
    let runs = common::env_or("PILLARS_RUNS", 2000);
    let store = Arc::new(common::fresh_database("access_log").await);
    let today = Utc::now().date_naive();
    let agency = server::accounts::Agency {
        id: uuid::Uuid::new_v4(),
        name: "Northshire Police".into(),
        kind: "Police force".into(),
    };
    store.insert_agency(&agency).await.unwrap();
    let (addr, cookie, user_id, state) =
        common::serve(store.clone(), &agency, "lro@northshire", "Dee Lro", false).await;
    let user = store.user_by_email("lro@northshire").await.unwrap().unwrap();
    let (plan, _) = common::seed_plan(&store, 1, today, Some(user_id)).await;
    let who = requester(&user);
    let log = state.access_log.clone();

    // The gate, before and with the log.
    let mut before = Vec::with_capacity(runs);
    let mut with_log = Vec::with_capacity(runs);
    for _ in 0..runs {
        let t = Instant::now();
        store.member_role(plan, user_id).await.unwrap().unwrap();
        before.push(t.elapsed().as_secs_f64() * 1e3);
        let t = Instant::now();
        log.consult(&who, plan, AccessKind::Opened, "").await.unwrap();
        with_log.push(t.elapsed().as_secs_f64() * 1e3);
    }
    let mean = |s: &[f64]| s.iter().sum::<f64>() / s.len() as f64;
    let extra = mean(&with_log) - mean(&before);
    println!("read gate, membership only: {}", common::percentiles(before));
    println!("read gate, with the log:    {}", common::percentiles(with_log));
    log.flush().await;

    // A whole page view, with the log.
    let (bytes, page) = common::time_get(addr, &format!("/plans/{plan}"), &cookie, runs.min(500)).await;
    println!("plan page view ({bytes} bytes), with the log: {page}");
    let page_mean = {
        let mut s = Vec::new();
        for _ in 0..200 {
            let t = Instant::now();
            common::get(addr, &format!("/plans/{plan}"), &cookie).await;
            s.push(t.elapsed().as_secs_f64() * 1e3);
        }
        mean(&s)
    };
    println!(
        "the log's cost per read: {:.3} ms on average, {:.1} % of a page view ({page_mean:.2} ms)",
        extra,
        100.0 * extra / page_mean
    );

    // The writer's throughput.
    let entries = common::env_or("PILLARS_ACCESS_WRITES", 100_000);
    let queue = AccessLog::start(store.clone(), 10_000);
    let t = Instant::now();
    for _ in 0..entries {
        queue
            .record(Access::by(&who, AccessKind::ReadByApi, Basis::Member(plan::access::Role::Lro)).on(plan))
            .await;
    }
    queue.flush().await;
    let secs = t.elapsed().as_secs_f64();
    println!(
        "writer: {entries} entries in {secs:.2} s, {:.0} entries/s (queue of 10,000)",
        entries as f64 / secs
    );
    queue.stop().await;

    search_in_a_big_log(&store, user_id, plan).await;
    // Ten million entries are gigabytes of a disk CI shares.
    common::drop_database(&store).await;
}

/// Fills the log to `PILLARS_ACCESS_ROWS` entries of 1,000 readers over a
/// year, then times the auditor's search of one reader over one month.
async fn search_in_a_big_log(store: &server::store::PgStore, reader: uuid::Uuid, plan: uuid::Uuid) {
    let rows = common::env_or("PILLARS_ACCESS_ROWS", 10_000_000) as i64;
    let pool = store.pool();
    let t = Instant::now();
    // The 999 other readers, as accounts (the log names only real ones).
    sqlx::query(
        "INSERT INTO users (id, email, name, agency_id, password_hash) \
         SELECT md5(n::text)::uuid, 'reader' || n || '@bench', 'Reader ' || n, \
                (SELECT agency_id FROM users WHERE id = $1), 'x' \
         FROM generate_series(1, 999) n",
    )
    .bind(reader)
    .execute(pool)
    .await
    .unwrap();
    // 999 other readers and ours, evenly; times spread over the last year.
    sqlx::query(
        "INSERT INTO access_log (at, user_id, user_name, agency, session_ref, plan_id, kind, basis, granted, \
         address, user_agent) \
         SELECT now() - (random() * interval '365 days'), \
                CASE WHEN g % 1000 = 0 THEN $2 ELSE md5((g % 1000)::text)::uuid END, \
                'Reader ' || (g % 1000), 'Agency ' || (g % 40), 'bench', $3, 'opened', 'member: Partner', true, \
                '10.0.0.1', 'bench' \
         FROM generate_series(1, $1) g",
    )
    .bind(rows)
    .bind(reader)
    .bind(plan)
    .execute(pool)
    .await
    .unwrap();
    sqlx::query("ANALYZE access_log").execute(pool).await.unwrap();
    println!(
        "filled the log with {rows} entries in {:.1} s",
        t.elapsed().as_secs_f64()
    );
    let until = Utc::now();
    let filter = Filter {
        user: Some(reader),
        from: Some(until - Duration::days(30)),
        until: Some(until),
        ..Filter::default()
    };
    let mut samples = Vec::new();
    let mut found = 0;
    for _ in 0..common::env_or("PILLARS_SEARCH_RUNS", 200) {
        let t = Instant::now();
        found = store
            .accesses(&filter, plan::access_log::PAGE_SIZE)
            .await
            .unwrap()
            .len();
        samples.push(t.elapsed().as_secs_f64() * 1e3);
    }
    println!(
        "auditor's search, one reader over one month of {rows} entries ({found} found): {}",
        common::percentiles(samples)
    );
}
