//! What the session check costs every request, and what a sign-in
//! through an identity provider leaves it costing.
//!
//! - The guard's read of a session (find it, check it is live, mark it
//!   used): for a password session, and for one started through a
//!   provider (which also has an `sso_sessions` row; the check is the same).
//! - The membership look-up every read of a plan makes: the member row
//!   alone (as before vetting) against `member_role`, which asks
//!   `cleared_members` (the row and the vetting judgement).
//! - Over HTTP: `/healthz` (no session) against `/api/session` (the guard
//!   and a small answer), so the difference is the check as a request
//!   pays it.
//!
//! `cargo bench -p server --bench sessions` (PostgreSQL on
//! `PILLARS_BENCH_DATABASE_URL`, by default the local one).

mod common;

use server::accounts::store::AccountStore;
use server::accounts::SessionToken;
use std::sync::Arc;
use std::time::Instant;

#[tokio::main]
async fn main() {
    let runs = common::env_or("PILLARS_RUNS", 5000);
    let store = Arc::new(common::fresh_database("sessions").await);
    let agency = server::accounts::Agency {
        id: uuid::Uuid::new_v4(),
        name: "Northshire Police".into(),
        kind: "Police force".into(),
    };
    store.insert_agency(&agency).await.unwrap();
    let (addr, cookie, user, state) = common::serve(store.clone(), &agency, "lro@northshire", "Dee Lro", false).await;
    let token = SessionToken(cookie.trim_start_matches("pillars_session=").to_string());
    let (plan, _) = common::seed_plan(&store, 1, chrono::Utc::now().date_naive(), Some(user)).await;

    let time = |label: &'static str, samples: Vec<f64>| println!("{label:<44} {}", common::percentiles(samples));
    let mut password = Vec::with_capacity(runs);
    for _ in 0..runs {
        let t = Instant::now();
        state.accounts.live_session(&token).await.unwrap().expect("live");
        password.push(t.elapsed().as_secs_f64() * 1e3);
    }
    time("session check, password session:", password);

    // The same session, as one started through a provider.
    sqlx::query(
        "INSERT INTO sso_sessions (token_hash, issuer, subject, sid, id_token) VALUES ($1, 'https://idp', 's', NULL, 'x')",
    )
    .bind(token.key().as_bytes())
    .execute(store.pool())
    .await
    .unwrap();
    let mut through_provider = Vec::with_capacity(runs);
    for _ in 0..runs {
        let t = Instant::now();
        state.accounts.live_session(&token).await.unwrap().expect("live");
        through_provider.push(t.elapsed().as_secs_f64() * 1e3);
    }
    time("session check, signed in through a provider:", through_provider);

    // The look-up every read of a plan makes, as before vetting (the
    // member row alone) and as it is (the row and the vetting judgement).
    let mut row_only = Vec::with_capacity(runs);
    let mut with_vetting = Vec::with_capacity(runs);
    for _ in 0..runs {
        let t = Instant::now();
        let role: Option<String> =
            sqlx::query_scalar("SELECT role FROM plan_members WHERE plan_id = $1 AND user_id = $2")
                .bind(plan)
                .bind(user)
                .fetch_optional(store.pool())
                .await
                .unwrap();
        assert!(role.is_some());
        row_only.push(t.elapsed().as_secs_f64() * 1e3);
        let t = Instant::now();
        store.member_role(plan, user).await.unwrap().expect("a member");
        with_vetting.push(t.elapsed().as_secs_f64() * 1e3);
    }
    time("member look-up, the row alone (before):", row_only);
    time("member look-up with the vetting judgement:", with_vetting);

    let http_runs = runs.min(2000);
    let (_, open) = common::time_get(addr, "/healthz", "", http_runs).await;
    println!("{:<44} {open}", "GET /healthz (no session):");
    let (_, checked) = common::time_get(addr, "/api/session", &cookie, http_runs).await;
    println!("{:<44} {checked}", "GET /api/session (session checked):");
    common::drop_database(&store).await;
}
