//! What the server's benches share: settings from the environment,
//! percentiles, a fresh PostgreSQL database, and plans seeded with facts.
#![allow(dead_code)] // each bench uses its own part

use chrono::{Duration, NaiveDate};
use plan::portfolio::ActionFacts;
use plan::{NewPlan, PlanDoc, RagStatus, SubjectKind, Tier, P};
use server::membership::MembershipStore;
use server::store::{NewStoredPlan, PgStore, PlanStore, Snapshot};
use sqlx::{Connection, PgConnection};
use uuid::Uuid;

pub const AGENCIES: [&str; 4] = ["Northshire Police", "Northshire Council", "HMRC", "DVSA"];

pub fn env_or(name: &str, default: usize) -> usize {
    std::env::var(name).ok().and_then(|v| v.parse().ok()).unwrap_or(default)
}

pub fn percentiles(mut samples: Vec<f64>) -> String {
    samples.sort_by(f64::total_cmp);
    let at = |q: f64| samples[((samples.len() as f64 - 1.0) * q).round() as usize];
    format!(
        "p50 {:.2} ms, p90 {:.2} ms, p99 {:.2} ms, max {:.2} ms ({} runs)",
        at(0.5),
        at(0.9),
        at(0.99),
        at(1.0),
        samples.len()
    )
}

/// A freshly created and migrated database named after the bench.
pub async fn fresh_database(bench: &str) -> PgStore {
    let base =
        std::env::var("PILLARS_BENCH_DATABASE_URL").unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432".into());
    let name = format!("pillars_bench_{bench}_{}", std::process::id());
    let mut admin = PgConnection::connect(&format!("{base}/postgres"))
        .await
        .expect("PostgreSQL is reachable");
    for statement in [
        format!("DROP DATABASE IF EXISTS {name}"),
        format!("CREATE DATABASE {name}"),
    ] {
        sqlx::raw_sql(sqlx::AssertSqlSafe(statement))
            .execute(&mut admin)
            .await
            .expect("a fresh database");
    }
    PgStore::connect(&format!("{base}/{name}"), server::store::postgres::DEFAULT_CONNECTIONS)
        .await
        .expect("migrated")
}

/// Drops the database [`fresh_database`] made for `store` (closing its
/// connections, and any other's): a bench's data can be gigabytes of a
/// shared disk.
pub async fn drop_database(store: &PgStore) {
    let name = store.pool().connect_options().get_database().map(str::to_string);
    store.pool().close().await;
    let Some(name) = name.filter(|n| n.starts_with("pillars_bench_")) else {
        return;
    };
    let base =
        std::env::var("PILLARS_BENCH_DATABASE_URL").unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432".into());
    let mut admin = PgConnection::connect(&format!("{base}/postgres"))
        .await
        .expect("PostgreSQL is reachable");
    // The name is one fresh_database made.
    sqlx::raw_sql(sqlx::AssertSqlSafe(format!(
        "DROP DATABASE IF EXISTS {name} WITH (FORCE)"
    )))
    .execute(&mut admin)
    .await
    .expect("the bench's database dropped");
}

/// Stores plan number `n` (a new document); `lro`, if given, leads it.
pub async fn seed_plan(store: &PgStore, n: usize, today: NaiveDate, lro: Option<Uuid>) -> (Uuid, NewPlan) {
    let id = Uuid::new_v4();
    let new = NewPlan {
        subject_kind: if n % 3 == 0 { SubjectKind::Pi } else { SubjectKind::Ocg },
        subject_name: format!("Plan {n}"),
        subject_ref: format!("OCG-{n}"),
        tier: Tier::new((n % 4 + 1) as i64).unwrap(),
        lro: "DI Okafor".into(),
    };
    let doc = PlanDoc::create(&new, today);
    let (snapshot, summary) = {
        let txn = doc.transact();
        (
            Snapshot {
                upto_seq: 0,
                state: doc.encode_state(),
                state_vector: Vec::new(),
            },
            doc.summary(&txn, id, &Default::default()),
        )
    };
    match lro {
        Some(user) => store
            .create_plan_with_lro(
                NewStoredPlan {
                    id,
                    snapshot: &snapshot,
                    summary: &summary,
                },
                user,
            )
            .await
            .unwrap(),
        None => store.create_plan(id, &snapshot, &summary).await.unwrap(),
    }
    (id, new)
}

/// Action `a` of plan `n`: statuses, dates, levels and agencies in turn.
pub fn action_facts(n: usize, a: usize, today: NaiveDate) -> ActionFacts {
    let statuses = [
        Some(RagStatus::Red),
        Some(RagStatus::Amber),
        Some(RagStatus::Green),
        None,
    ];
    ActionFacts {
        id: format!("a{a}"),
        status: statuses[(n + a) % 4],
        date: Some(today - Duration::days(((n * 7 + a * 13) % 400) as i64)),
        target_date: Some(today + Duration::days(((n + a) % 90) as i64 - 45)),
        disruption: (a % 3 == 0).then(|| plan::portfolio::LEVELS[(n + a) % 5]),
        owner_agency: AGENCIES[a % 4].into(),
        ps: [[P::Pursue, P::Prevent, P::Protect, P::Prepare][a % 4]].into(),
        submitted: a % 2 == 0,
        text: format!("Action {a} of plan {n}"),
        owner_name: if a % 8 == 1 {
            "Pat Partner".into()
        } else {
            String::new()
        },
        update: format!("Update on action {a}"),
    }
}

/// `GET path` over loopback with the session cookie; the response's size.
pub async fn get(addr: std::net::SocketAddr, path: &str, cookie: &str) -> usize {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let mut socket = tokio::net::TcpStream::connect(addr).await.unwrap();
    let request = format!("GET {path} HTTP/1.1\r\nHost: {addr}\r\nCookie: {cookie}\r\nConnection: close\r\n\r\n");
    socket.write_all(request.as_bytes()).await.unwrap();
    let mut response = Vec::new();
    socket.read_to_end(&mut response).await.unwrap();
    assert!(
        response.starts_with(b"HTTP/1.1 200"),
        "{}",
        String::from_utf8_lossy(&response[..response.len().min(200)])
    );
    response.len()
}

/// `GET path` once to warm up, then `runs` times: the size and percentiles.
pub async fn time_get(addr: std::net::SocketAddr, path: &str, cookie: &str, runs: usize) -> (usize, String) {
    let bytes = get(addr, path, cookie).await;
    let mut samples = Vec::with_capacity(runs);
    for _ in 0..runs {
        let t = std::time::Instant::now();
        get(addr, path, cookie).await;
        samples.push(t.elapsed().as_secs_f64() * 1e3);
    }
    (bytes, percentiles(samples))
}

/// The real app on the store, and a logged-in session (cookie) of a new
/// user of the agency: (address, cookie, the user's id, the app's state).
pub async fn serve(
    store: std::sync::Arc<PgStore>,
    agency: &server::accounts::Agency,
    email: &str,
    name: &str,
    strategic_lead: bool,
) -> (std::net::SocketAddr, String, Uuid, server::AppState) {
    let dyn_store: std::sync::Arc<dyn server::storage::Store> = store;
    let app = server::startup::Application::with_store(server::config::Config::for_database(None), dyn_store)
        .await
        .unwrap();
    let addr = app.local_addr();
    let state = app.state().clone();
    let accounts = state.accounts.clone();
    tokio::spawn(async move { app.run_until(std::future::pending()).await });
    let password = "correct horse battery staple";
    let user = accounts
        .create_user(server::accounts::NewUser {
            email: email.into(),
            name: name.into(),
            agency_id: agency.id,
            password: password.into(),
            is_admin: false,
            strategic_lead,
            may_lead_plans: true,
            auditor: false,
        })
        .await
        .unwrap();
    let (_, token) = accounts.log_in(email, password).await.unwrap();
    (addr, format!("pillars_session={}", token.0), user.id, state)
}
