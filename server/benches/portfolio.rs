//! How long the portfolio takes to make for a region of plans:
//! `cargo bench -p server --bench portfolio` seeds a fresh PostgreSQL
//! database (`PILLARS_BENCH_DATABASE_URL`, default the local server) with
//! `PILLARS_PLANS` plans (default 1,000) of `PILLARS_ACTIONS` actions
//! (default 40), then prints server-time percentiles of the portfolio for a
//! strategic lead (every plan), for a partner (their 100 plans), of a
//! drill-down, and of one accepted update's facts write.

mod common;

use chrono::{Duration, Utc};
use plan::portfolio::{ActionFacts, PlanFacts, PortfolioQuery, Touched};
use plan::strategy::{ControlStrategy, PublishedStrategy};
use plan::{NewPlan, PlanDoc, RagStatus, SubjectKind, Tier, P};
use server::accounts::store::AccountStore;
use server::accounts::{Agency, User};
use server::portfolio::{AllFacts, Portfolios};
use server::storage::Store;
use server::store::PgStore;
use std::sync::Arc;
use std::time::Instant;
use uuid::Uuid;

fn user(agency: &Agency, email: &str, strategic_lead: bool) -> User {
    User {
        id: Uuid::new_v4(),
        email: email.into(),
        name: email.into(),
        agency_id: agency.id,
        agency: agency.name.clone(),
        is_admin: false,
        strategic_lead,
        may_lead_plans: true,
        auditor: false,
        disabled: false,
        vetting_officer: false,
        vetting: Default::default(),
    }
}

/// The whole `/portfolio` page, rendered by the real app, as a strategic
/// lead requests it.
async fn page_timings(store: Arc<PgStore>, agency: &Agency, runs: usize) {
    let (addr, cookie, _, _) = common::serve(store, agency, "page@rocu.police.uk", "Page Lead", true).await;
    let (bytes, timings) = common::time_get(addr, "/portfolio", &cookie, runs).await;
    println!(
        "GET /portfolio page, strategic lead, every plan ({} KiB of HTML): {timings}",
        bytes / 1024
    );
}

fn viewer(u: &User) -> app::session::Viewer {
    server::routes::guard::viewer(u)
}

#[tokio::main]
async fn main() {
    let (plans, actions) = (
        common::env_or("PILLARS_PLANS", 1_000),
        common::env_or("PILLARS_ACTIONS", 40),
    );
    let store = Arc::new(common::fresh_database("portfolio").await);
    let agency = Agency {
        id: Uuid::new_v4(),
        name: "ROCU".into(),
        kind: "Police force".into(),
    };
    store.insert_agency(&agency).await.unwrap();
    let (lead, partner) = (user(&agency, "lead@rocu", true), user(&agency, "pat@council", false));
    for u in [&lead, &partner] {
        store.insert_user(u, "not a real hash").await.unwrap();
    }
    let today = Utc::now().date_naive();
    let keys = ControlStrategy::seed()
        .threats
        .iter()
        .map(|t| t.key.to_string())
        .collect::<Vec<_>>();
    let statuses = [
        Some(RagStatus::Red),
        Some(RagStatus::Amber),
        Some(RagStatus::Green),
        None,
    ];
    let started = Instant::now();
    let mut ids = Vec::with_capacity(plans);
    for n in 0..plans {
        let (id, new) = common::seed_plan(&store, n, today, (n % 10 == 0).then_some(partner.id)).await;
        let facts = PlanFacts {
            subject_kind: Some(new.subject_kind),
            tier: Some(new.tier),
            next_review: Some(today + Duration::days(n as i64 % 120 - 30)),
            threats: (n % 5 != 4).then(|| keys[n % keys.len()].clone()).into_iter().collect(),
        };
        let action_facts: Vec<ActionFacts> = (0..actions).map(|a| common::action_facts(n, a, today)).collect();
        server::portfolio::PortfolioStore::replace_facts(
            &*store,
            AllFacts {
                plan: id,
                seq: 0,
                facts: &facts,
                actions: &action_facts,
            },
            false,
        )
        .await
        .unwrap();
        ids.push(id);
    }
    println!(
        "seeded {plans} plans of {actions} actions in {:.1} s",
        started.elapsed().as_secs_f64()
    );

    let strategy = tokio::sync::watch::channel(Arc::new(PublishedStrategy {
        version: 1,
        strategy: ControlStrategy::seed(),
        published_at: Utc::now(),
        published_by: "Pillars".into(),
    }))
    .1;
    let dyn_store: Arc<dyn Store> = store.clone();
    let access_log = server::access_log::AccessLog::start(dyn_store.clone(), 10_000);
    let portfolios = Portfolios::new(dyn_store, strategy, access_log);
    let runs = common::env_or("PILLARS_RUNS", 200);
    for (label, who, query) in [
        ("strategic lead, every plan", &lead, PortfolioQuery::default()),
        ("partner, their 100 plans", &partner, PortfolioQuery::default()),
        (
            "strategic lead, drill-down (all plans with RED actions)",
            &lead,
            PortfolioQuery {
                list: Some("all".into()),
                only: Some("red".into()),
                ..Default::default()
            },
        ),
        (
            "strategic lead, one agency's actions",
            &lead,
            PortfolioQuery {
                agency: Some("HMRC".into()),
                ..Default::default()
            },
        ),
    ] {
        let v = app::session::ssr::Requester {
            viewer: viewer(who),
            session: "bench".into(),
            address: None,
            user_agent: None,
        };
        let _ = portfolios.view(&v, &query, today).await.unwrap(); // warm the pool
        let mut samples = Vec::with_capacity(runs);
        let mut counted = 0;
        for _ in 0..runs {
            let t = Instant::now();
            let view = portfolios.view(&v, &query, today).await.unwrap();
            samples.push(t.elapsed().as_secs_f64() * 1e3);
            counted = view.portfolio.total.plans;
        }
        println!("portfolio, {label} ({counted} plans): {}", common::percentiles(samples));
    }

    page_timings(store.clone(), &agency, runs).await;

    // One accepted update changing one action's status: what the room writes.
    let doc = PlanDoc::create(
        &NewPlan {
            subject_kind: SubjectKind::Ocg,
            subject_name: "Live".into(),
            subject_ref: String::new(),
            tier: Tier::new(1).unwrap(),
            lro: "DI".into(),
        },
        today,
    );
    let action = {
        let mut t = doc.transact_mut();
        doc.add_action(&mut t, &plan::NewAction::new([P::Pursue], "Warrant"))
            .unwrap()
    };
    let touched = Touched {
        plan: false,
        actions: [action.clone()].into(),
    };
    let mut samples = Vec::with_capacity(runs);
    for n in 0..runs {
        {
            let mut t = doc.transact_mut();
            doc.change_action(&mut t, &action, &plan::ActionChange::Status(statuses[n % 3].unwrap()))
                .unwrap();
        }
        let t = Instant::now();
        server::portfolio::record(&*store, ids[0], &doc, n as i64 + 1, &Default::default(), &touched)
            .await
            .unwrap();
        samples.push(t.elapsed().as_secs_f64() * 1e3);
    }
    println!(
        "facts write for one accepted update (one action): {}",
        common::percentiles(samples)
    );
}
