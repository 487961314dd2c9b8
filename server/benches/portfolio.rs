//! How long the portfolio takes to make for a region of plans:
//! `cargo bench -p server --bench portfolio` seeds a fresh PostgreSQL
//! database (`PILLARS_BENCH_DATABASE_URL`, default the local server) with
//! `PILLARS_PLANS` plans (default 1,000) of `PILLARS_ACTIONS` actions
//! (default 40), then prints server-time percentiles of the portfolio for a
//! strategic lead (every plan), for a partner (their 100 plans), of a
//! drill-down, and of one accepted update's facts write.

use chrono::{Duration, Utc};
use plan::portfolio::{ActionFacts, PlanFacts, PortfolioQuery, Touched, FACTS_VERSION};
use plan::strategy::{ControlStrategy, PublishedStrategy};
use plan::{NewPlan, PlanDoc, RagStatus, SubjectKind, Tier, P};
use server::accounts::store::AccountStore;
use server::accounts::{Agency, User};
use server::membership::MembershipStore;
use server::portfolio::Portfolios;
use server::store::{PgStore, PlanStore, Snapshot, Store};
use sqlx::{Connection, PgConnection};
use std::sync::Arc;
use std::time::Instant;
use uuid::Uuid;

fn env_or(name: &str, default: usize) -> usize {
    std::env::var(name).ok().and_then(|v| v.parse().ok()).unwrap_or(default)
}

fn percentiles(mut samples: Vec<f64>) -> String {
    samples.sort_by(f64::total_cmp);
    let at = |q: f64| samples[((samples.len() as f64 - 1.0) * q).round() as usize];
    format!("p50 {:.2} ms, p90 {:.2} ms, p99 {:.2} ms, max {:.2} ms ({} runs)", at(0.5), at(0.9), at(0.99), at(1.0), samples.len())
}

async fn fresh_database() -> PgStore {
    let base = std::env::var("PILLARS_BENCH_DATABASE_URL").unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432".into());
    let name = format!("pillars_bench_portfolio_{}", std::process::id());
    let mut admin = PgConnection::connect(&format!("{base}/postgres")).await.expect("PostgreSQL is reachable");
    for statement in [format!("DROP DATABASE IF EXISTS {name}"), format!("CREATE DATABASE {name}")] {
        sqlx::raw_sql(sqlx::AssertSqlSafe(statement)).execute(&mut admin).await.expect("a fresh database");
    }
    PgStore::connect(&format!("{base}/{name}")).await.expect("migrated")
}

fn user(agency: &Agency, email: &str, strategic_lead: bool) -> User {
    User {
        id: Uuid::new_v4(),
        email: email.into(),
        name: email.into(),
        agency_id: agency.id,
        agency: agency.name.clone(),
        is_admin: false,
        strategic_lead,
        disabled: false,
    }
}

/// `GET path` over loopback with the session cookie; the response's size.
async fn get(addr: std::net::SocketAddr, path: &str, cookie: &str) -> usize {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let mut socket = tokio::net::TcpStream::connect(addr).await.unwrap();
    let request = format!("GET {path} HTTP/1.1\r\nHost: {addr}\r\nCookie: {cookie}\r\nConnection: close\r\n\r\n");
    socket.write_all(request.as_bytes()).await.unwrap();
    let mut response = Vec::new();
    socket.read_to_end(&mut response).await.unwrap();
    assert!(response.starts_with(b"HTTP/1.1 200"), "{}", String::from_utf8_lossy(&response[..response.len().min(200)]));
    response.len()
}

/// The whole `/portfolio` page, rendered by the real app, as a strategic
/// lead requests it.
async fn page_timings(store: Arc<PgStore>, agency: &Agency, runs: usize) {
    let dyn_store: Arc<dyn Store> = store;
    let app = server::startup::Application::with_store(server::config::Config::for_database(None), dyn_store).await.unwrap();
    let addr = app.local_addr();
    let accounts = app.state().accounts.clone();
    tokio::spawn(async move { app.run_until(std::future::pending()).await });
    let password = "correct horse battery staple";
    accounts
        .create_user(server::accounts::NewUser {
            email: "page@rocu.police.uk".into(),
            name: "Page Lead".into(),
            agency_id: agency.id,
            password: password.into(),
            is_admin: false,
            strategic_lead: true,
        })
        .await
        .unwrap();
    let (_, token) = accounts.log_in("page@rocu.police.uk", password).await.unwrap();
    let cookie = format!("pillars_session={}", token.0);
    let bytes = get(addr, "/portfolio", &cookie).await;
    let mut samples = Vec::with_capacity(runs);
    for _ in 0..runs {
        let t = Instant::now();
        get(addr, "/portfolio", &cookie).await;
        samples.push(t.elapsed().as_secs_f64() * 1e3);
    }
    println!("GET /portfolio page, strategic lead, every plan ({} KiB of HTML): {}", bytes / 1024, percentiles(samples));
}

fn viewer(u: &User) -> app::session::Viewer {
    server::routes::guard::viewer(u)
}

#[tokio::main]
async fn main() {
    let (plans, actions) = (env_or("PILLARS_PLANS", 1_000), env_or("PILLARS_ACTIONS", 40));
    let store = Arc::new(fresh_database().await);
    let agency = Agency { id: Uuid::new_v4(), name: "ROCU".into(), kind: "Police force".into() };
    store.insert_agency(&agency).await.unwrap();
    let (lead, partner) = (user(&agency, "lead@rocu", true), user(&agency, "pat@council", false));
    for u in [&lead, &partner] {
        store.insert_user(u, "not a real hash").await.unwrap();
    }
    let today = Utc::now().date_naive();
    let keys = ControlStrategy::seed().threats.iter().map(|t| t.key.to_string()).collect::<Vec<_>>();
    let statuses = [Some(RagStatus::Red), Some(RagStatus::Amber), Some(RagStatus::Green), None];
    let started = Instant::now();
    let mut ids = Vec::with_capacity(plans);
    for n in 0..plans {
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
            (Snapshot { upto_seq: 0, state: doc.encode_state(), state_vector: Vec::new() }, doc.summary(&txn, id, &Default::default()))
        };
        if n % 10 == 0 {
            store.create_plan_with_lro(id, &snapshot, &summary, partner.id).await.unwrap();
        } else {
            store.create_plan(id, &snapshot, &summary).await.unwrap();
        }
        let facts = PlanFacts {
            subject_kind: Some(new.subject_kind),
            tier: Some(new.tier),
            next_review: Some(today + Duration::days(n as i64 % 120 - 30)),
            threats: (n % 5 != 4).then(|| keys[n % keys.len()].clone()).into_iter().collect(),
        };
        let action_facts: Vec<ActionFacts> = (0..actions)
            .map(|a| ActionFacts {
                id: format!("a{a}"),
                status: statuses[(n + a) % 4],
                date: Some(today - Duration::days(((n * 7 + a * 13) % 400) as i64)),
                target_date: Some(today + Duration::days(((n + a) % 90) as i64 - 45)),
                disruption: (a % 3 == 0).then(|| plan::portfolio::LEVELS[(n + a) % 5]),
                owner_agency: ["Northshire Police", "Northshire Council", "HMRC", "DVSA"][a % 4].into(),
                ps: [[P::Pursue, P::Prevent, P::Protect, P::Prepare][a % 4]].into(),
                submitted: a % 2 == 0,
                text: format!("Action {a}"),
                owner_name: String::new(),
                update: String::new(),
            })
            .collect();
        server::portfolio::PortfolioStore::replace_facts(&*store, id, FACTS_VERSION, &facts, &action_facts, false).await.unwrap();
        ids.push(id);
    }
    println!("seeded {plans} plans of {actions} actions in {:.1} s", started.elapsed().as_secs_f64());

    let strategy = tokio::sync::watch::channel(Arc::new(PublishedStrategy {
        version: 1,
        strategy: ControlStrategy::seed(),
        published_at: Utc::now(),
        published_by: "Pillars".into(),
    }))
    .1;
    let dyn_store: Arc<dyn Store> = store.clone();
    let portfolios = Portfolios::new(dyn_store, strategy);
    let runs = env_or("PILLARS_RUNS", 200);
    for (label, who, query) in [
        ("strategic lead, every plan", &lead, PortfolioQuery::default()),
        ("partner, their 100 plans", &partner, PortfolioQuery::default()),
        ("strategic lead, drill-down (all plans with RED actions)", &lead, PortfolioQuery { list: Some("all".into()), only: Some("red".into()), ..Default::default() }),
        ("strategic lead, one agency's actions", &lead, PortfolioQuery { agency: Some("HMRC".into()), ..Default::default() }),
    ] {
        let v = viewer(who);
        let _ = portfolios.view(&v, &query, today).await.unwrap(); // warm the pool
        let mut samples = Vec::with_capacity(runs);
        let mut counted = 0;
        for _ in 0..runs {
            let t = Instant::now();
            let view = portfolios.view(&v, &query, today).await.unwrap();
            samples.push(t.elapsed().as_secs_f64() * 1e3);
            counted = view.portfolio.total.plans;
        }
        println!("portfolio, {label} ({counted} plans): {}", percentiles(samples));
    }

    page_timings(store.clone(), &agency, runs).await;

    // One accepted update changing one action's status: what the room writes.
    let doc = PlanDoc::create(&NewPlan { subject_kind: SubjectKind::Ocg, subject_name: "Live".into(), subject_ref: String::new(), tier: Tier::new(1).unwrap(), lro: "DI".into() }, today);
    let action = { let mut t = doc.transact_mut(); doc.add_action(&mut t, &plan::NewAction::new([P::Pursue], "Warrant")).unwrap() };
    let touched = Touched { plan: false, actions: [action.clone()].into() };
    let mut samples = Vec::with_capacity(runs);
    for n in 0..runs {
        {
            let mut t = doc.transact_mut();
            doc.change_action(&mut t, &action, &plan::ActionChange::Status(statuses[n % 3].unwrap())).unwrap();
        }
        let t = Instant::now();
        server::portfolio::record(&*store, ids[0], &doc, &Default::default(), &touched).await.unwrap();
        samples.push(t.elapsed().as_secs_f64() * 1e3);
    }
    println!("facts write for one accepted update (one action): {}", percentiles(samples));
}
