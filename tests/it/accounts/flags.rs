//! What administrators grant: the strategic lead flag and leading plans,
//! through the pages' server functions (nobody else may), and an upgrade
//! that keeps current LROs and administrators leading plans.

use super::{create_admin, server_fn, who, PASSWORD};
use integration_tests::{spawn_app, Fetch, TestApp, PAT};

/// Asserts that the app's own user may not call `function` with `form`,
/// then makes Ada an administrator; her client.
async fn only_an_administrator_may(app: &TestApp, function: &str, form: &[(&str, String)]) -> reqwest::Client {
    let refused = server_fn(app, &app.http, function, form).await;
    assert!(!refused.status().is_success(), "only administrators");
    assert!(refused.text().await.unwrap().contains("Only administrators"));
    create_admin(app, "ada@example.org").await;
    app.client_for("ada@example.org").await
}

#[tokio::test]
async fn administrators_grant_and_withdraw_the_strategic_lead_flag_and_nobody_else_can() {
    let app = spawn_app().await;
    let pat = app.add_person(&PAT).await;
    assert!(!pat.strategic_lead);
    let grant = [("user", pat.id.to_string()), ("on", "true".to_string())];
    let ada = only_an_administrator_may(&app, "set_strategic_lead", &grant).await;
    let granted = server_fn(&app, &ada, "set_strategic_lead", &grant).await;
    assert!(granted.status().is_success(), "{}", granted.text().await.unwrap());
    let pat_cookie = app.session_for("pat@council.gov.uk").await;
    let me: serde_json::Value = who(&app, &pat_cookie).await.json().await.unwrap();
    assert_eq!(me["strategic_lead"], true);
    let pat_client = app.client_as(&pat_cookie);
    let viewer: Option<app::session::Viewer> =
        integration_tests::fn_answer(server_fn(&app, &pat_client, "current_user", &[]).await).await;
    assert!(viewer.unwrap().strategic_lead, "the pages know it too");

    let withdraw = [("user", pat.id.to_string()), ("on", "false".to_string())];
    let withdrawn = server_fn(&app, &ada, "set_strategic_lead", &withdraw).await;
    assert!(withdrawn.status().is_success());
    let users = app.state.accounts.users().await.unwrap();
    assert!(!users.iter().find(|u| u.id == pat.id).unwrap().strategic_lead);

    // A new account can be a strategic lead from the start.
    let agency = app.agency_id("Northshire Council").await;
    let form = [
        ("name", "Sam Strategist".to_string()),
        ("email", "sam@council.gov.uk".to_string()),
        ("agency", agency.to_string()),
        ("password", PASSWORD.to_string()),
        ("strategic_lead", "yes".to_string()),
    ];
    assert!(server_fn(&app, &ada, "add_user", &form).await.status().is_success());
    let sam = app
        .state
        .accounts
        .users()
        .await
        .unwrap()
        .into_iter()
        .find(|u| u.name == "Sam Strategist")
        .unwrap();
    assert!(sam.strategic_lead && !sam.is_admin);
}

/// Administrators let users lead plans (create them) and withdraw it, when
/// adding them or later; nobody else can.
#[tokio::test]
async fn administrators_grant_and_withdraw_leading_plans_and_nobody_else_can() {
    let app = spawn_app().await;
    let pat = app
        .add_user_with("pat@council.gov.uk", "Pat Partner", "Northshire Council", false)
        .await;
    let grant = [("user", pat.id.to_string()), ("on", "true".to_string())];
    let ada = only_an_administrator_may(&app, "set_may_lead_plans", &grant).await;
    let may_lead = |email: &'static str| {
        let accounts = app.state.accounts.clone();
        async move {
            let users = accounts.users().await.unwrap();
            users.into_iter().find(|u| u.email == email).unwrap().may_lead_plans
        }
    };
    assert!(
        may_lead("ada@example.org").await,
        "create-admin lets the administrator lead plans"
    );
    let granted = server_fn(&app, &ada, "set_may_lead_plans", &grant).await;
    assert!(granted.status().is_success(), "{}", granted.text().await.unwrap());
    assert!(may_lead("pat@council.gov.uk").await);
    let pat_cookie = app.session_for("pat@council.gov.uk").await;
    let me: serde_json::Value = who(&app, &pat_cookie).await.json().await.unwrap();
    assert_eq!(me["may_lead_plans"], true);
    let viewer: Option<app::session::Viewer> =
        integration_tests::fn_answer(server_fn(&app, &app.client_as(&pat_cookie), "current_user", &[]).await).await;
    assert!(viewer.unwrap().may_lead_plans, "the pages know it too");
    let withdraw = [("user", pat.id.to_string()), ("on", "false".to_string())];
    let withdrawn = server_fn(&app, &ada, "set_may_lead_plans", &withdraw).await;
    assert!(withdrawn.status().is_success());
    assert!(!may_lead("pat@council.gov.uk").await);

    // The administration page shows it; a new account may lead plans from the start.
    let page = ada.get(app.url("/admin")).text_body().await;
    assert!(page.contains("Leads plans") && page.contains("toggle-may-lead-plans"));
    let agency = app.agency_id("Northshire Council").await;
    let form = |name: &str, email: &str, leads: bool| {
        let mut form = vec![
            ("name", name.to_string()),
            ("email", email.to_string()),
            ("agency", agency.to_string()),
            ("password", PASSWORD.to_string()),
        ];
        if leads {
            form.push(("may_lead_plans", "yes".to_string()));
        }
        form
    };
    let added = server_fn(&app, &ada, "add_user", &form("Di Officer", "di@council.gov.uk", true)).await;
    assert!(added.status().is_success());
    let added = server_fn(&app, &ada, "add_user", &form("Al Partner", "al@council.gov.uk", false)).await;
    assert!(added.status().is_success());
    assert!(may_lead("di@council.gov.uk").await);
    assert!(!may_lead("al@council.gov.uk").await, "not unless asked");
}

/// Upgrading a database made before "may lead plans" existed keeps every
/// current LRO, and every administrator, able to create plans; nobody else
/// gets it.
#[tokio::test]
async fn an_upgrade_keeps_current_lros_and_administrators_leading_plans() {
    use sqlx::migrate::Migrator;
    use uuid::Uuid;
    const FLAG_MIGRATION: i64 = 20261207200001;
    // A database as it was before: migrated up to the flag's migration.
    let pool = integration_tests::db::fresh_pg_pool().await;
    for sql in ["DROP SCHEMA public CASCADE", "CREATE SCHEMA public"] {
        sqlx::query(sql).execute(&pool).await.unwrap();
    }
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../migrations/postgres");
    let all = Migrator::new(dir).await.unwrap();
    assert!(all.iter().any(|m| m.version == FLAG_MIGRATION));
    let earlier = all.iter().filter(|m| m.version < FLAG_MIGRATION).cloned().collect();
    Migrator::with_migrations(earlier).run(&pool).await.unwrap();

    let agency = Uuid::new_v4();
    sqlx::query("INSERT INTO agencies (id, name, kind) VALUES ($1, 'Northshire Police', 'Police force')")
        .bind(agency)
        .execute(&pool)
        .await
        .unwrap();
    let (admin, lro, partner, nobody) = (Uuid::new_v4(), Uuid::new_v4(), Uuid::new_v4(), Uuid::new_v4());
    for (id, email, is_admin) in [
        (admin, "ada@example.org", true),
        (lro, "dee@example.org", false),
        (partner, "pat@example.org", false),
        (nobody, "nob@example.org", false),
    ] {
        sqlx::query(
            "INSERT INTO users (id, email, name, agency_id, password_hash, is_admin) VALUES ($1, $2, $2, $3, 'x', $4)",
        )
        .bind(id)
        .bind(email)
        .bind(agency)
        .bind(is_admin)
        .execute(&pool)
        .await
        .unwrap();
    }
    let plan = Uuid::new_v4();
    sqlx::query("INSERT INTO plans (id, summary) VALUES ($1, '{}')")
        .bind(plan)
        .execute(&pool)
        .await
        .unwrap();
    sqlx::query("INSERT INTO plan_members (plan_id, user_id, role) VALUES ($1, $2, 'lro'), ($1, $3, 'partner')")
        .bind(plan)
        .bind(lro)
        .bind(partner)
        .execute(&pool)
        .await
        .unwrap();

    server::store::PgStore::migrate(&pool).await.expect("the upgrade");
    let may_lead = |id: Uuid| {
        sqlx::query_scalar::<_, bool>("SELECT may_lead_plans FROM users WHERE id = $1")
            .bind(id)
            .fetch_one(&pool)
    };
    assert!(may_lead(admin).await.unwrap(), "administrators");
    assert!(may_lead(lro).await.unwrap(), "the plan's LRO");
    assert!(!may_lead(partner).await.unwrap(), "not a partner");
    assert!(!may_lead(nobody).await.unwrap(), "nor anyone else");
}
