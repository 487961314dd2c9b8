//! How long `/my-actions` takes across many plans:
//! `cargo bench -p server --bench my_actions` seeds a fresh PostgreSQL
//! database (`PILLARS_BENCH_DATABASE_URL`, default the local server) with
//! `PILLARS_PLANS` plans (default 200) of `PILLARS_ACTIONS` actions
//! (default 40; a quarter owned by the partner's agency, some by the
//! partner by name), all of which the partner is a member of, then prints
//! server-time percentiles of the service, of `GET /api/my-actions` and of
//! the whole `/my-actions` page as the real app serves them.

mod common;

use chrono::Utc;
use plan::across::mine::MyActionsQuery;
use plan::portfolio::{ActionFacts, PlanFacts};
use server::accounts::store::AccountStore;
use server::accounts::Agency;
use server::portfolio::{AllFacts, PortfolioStore};
use std::sync::Arc;
use std::time::Instant;
use uuid::Uuid;

#[tokio::main]
async fn main() {
    let (plans, actions, runs) = (
        common::env_or("PILLARS_PLANS", 200),
        common::env_or("PILLARS_ACTIONS", 40),
        common::env_or("PILLARS_RUNS", 200),
    );
    let store = Arc::new(common::fresh_database("my_actions").await);
    let agency = Agency {
        id: Uuid::new_v4(),
        name: "Northshire Council".into(),
        kind: "Local authority".into(),
    };
    store.insert_agency(&agency).await.unwrap();
    let (addr, cookie, pat, state) =
        common::serve(store.clone(), &agency, "pat@council.gov.uk", "Pat Partner", false).await;
    let today = Utc::now().date_naive();
    let started = Instant::now();
    for n in 0..plans {
        let (id, new) = common::seed_plan(&store, n, today, None).await;
        sqlx::query("INSERT INTO plan_members (plan_id, user_id, role) VALUES ($1, $2, 'partner')")
            .bind(id)
            .bind(pat)
            .execute(store.pool())
            .await
            .unwrap();
        let facts = PlanFacts {
            subject_kind: Some(new.subject_kind),
            tier: Some(new.tier),
            next_review: None,
            threats: Vec::new(),
        };
        let action_facts: Vec<ActionFacts> = (0..actions).map(|a| common::action_facts(n, a, today)).collect();
        store
            .replace_facts(
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
    }
    println!(
        "seeded {plans} plans of {actions} actions in {:.1} s",
        started.elapsed().as_secs_f64()
    );

    let service = &state.actions;
    let viewer = app::session::Viewer {
        id: pat,
        name: "Pat Partner".into(),
        email: "pat@council.gov.uk".into(),
        agency: agency.name.clone(),
        is_admin: false,
        strategic_lead: false,
        may_lead_plans: false,
        auditor: false,
        vetting_officer: false,
        vetting_notice: None,
    };
    let query = MyActionsQuery::default();
    let view = service.my_actions(&viewer, &query, today).await.unwrap();
    let listed: usize = view
        .by_agency
        .iter()
        .chain(&view.by_name)
        .map(|g| g.actions.len())
        .sum();
    let mut samples = Vec::with_capacity(runs);
    for _ in 0..runs {
        let t = Instant::now();
        service.my_actions(&viewer, &query, today).await.unwrap();
        samples.push(t.elapsed().as_secs_f64() * 1e3);
    }
    println!(
        "my actions service, partner in {plans} plans ({listed} rows, {} plans by agency, {} overdue): {}",
        view.by_agency.len(),
        view.overdue,
        common::percentiles(samples)
    );
    let (bytes, timings) = common::time_get(addr, "/api/my-actions", &cookie, runs).await;
    println!("GET /api/my-actions ({} KiB of JSON): {timings}", bytes / 1024);
    if std::env::var("PILLARS_SKIP_PAGE").is_err() {
        let (bytes, timings) = common::time_get(addr, "/my-actions", &cookie, runs).await;
        println!("GET /my-actions page ({} KiB of HTML): {timings}", bytes / 1024);
    }
}
