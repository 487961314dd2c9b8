//! Accounts and sessions against the real app and PostgreSQL: the first
//! administrator from the command line, log-in and log-out through the API,
//! session timeouts, and rate-limited failed log-ins.

use integration_tests::{spawn_app, spawn_app_with, TestApp};
use serde_json::json;
use server::cli::Command;
use server::Config;
use sqlx::ConnectOptions;

#[path = "accounts/admin_only.rs"]
mod admin_only;
#[path = "accounts/passwords.rs"]
mod passwords;
#[path = "accounts/throttling.rs"]
mod throttling;

const PASSWORD: &str = "correct horse battery staple";
/// Ada's sessions (the test app's own user has one too).
macro_rules! ada {
    () => {
        "user_id = (SELECT id FROM users WHERE email = 'ada@example.org')"
    };
}

/// Creates an administrator the way `server create-admin` does.
async fn create_admin(app: &TestApp, email: &str) -> String {
    let url = app.pool.connect_options().to_url_lossy().to_string();
    let config = Config::for_database(Some(url));
    let command = Command::CreateAdmin {
        email: email.into(),
        name: "Ada Admin".into(),
        agency: "Northshire Police".into(),
        agency_kind: "Police force".into(),
    };
    server::cli::run(&config, command, Some(PASSWORD.into()))
        .await
        .expect("created")
}

async fn log_in(app: &TestApp, email: &str, password: &str) -> reqwest::Response {
    app.http
        .post(app.url("/api/session"))
        .json(&json!({ "email": email, "password": password }))
        .send()
        .await
        .unwrap()
}

fn session_cookie(response: &reqwest::Response) -> String {
    response.headers()["set-cookie"].to_str().unwrap().to_string()
}

async fn who(app: &TestApp, cookie: &str) -> reqwest::Response {
    let pair = cookie.split(';').next().unwrap();
    app.http
        .get(app.url("/api/session"))
        .header("cookie", pair)
        .send()
        .await
        .unwrap()
}

#[tokio::test]
async fn an_administrator_made_on_the_command_line_logs_in_and_out() {
    let app = spawn_app().await;
    let said = create_admin(&app, "Ada@Northshire.police.uk").await;
    assert!(said.contains("ada@northshire.police.uk"), "{said}");

    let response = log_in(&app, "ada@northshire.police.uk", PASSWORD).await;
    assert_eq!(response.status(), 200);
    let cookie = session_cookie(&response);
    for part in [
        "pillars_session=",
        "HttpOnly",
        "SameSite=Strict",
        "Path=/",
        "Max-Age=43200",
    ] {
        assert!(cookie.contains(part), "{part} in {cookie}");
    }
    assert!(!cookie.contains("Secure"), "plain HTTP here");
    let user: serde_json::Value = response.json().await.unwrap();
    assert_eq!(user["agency"], "Northshire Police");
    assert!(
        user.get("is_admin").is_none(),
        "only /admin shows who administers: {user}"
    );
    assert_eq!(user["may_lead_plans"], true, "create-admin lets them lead plans");
    assert!(user.get("password_hash").is_none());

    let me = who(&app, &cookie).await;
    assert_eq!(me.status(), 200);
    let me: serde_json::Value = me.json().await.unwrap();
    assert_eq!(me["name"], "Ada Admin");
    assert!(me.get("is_admin").is_none(), "not even to themself: {me}");

    let pair = cookie.split(';').next().unwrap();
    let out = app
        .http
        .delete(app.url("/api/session"))
        .header("cookie", pair)
        .send()
        .await
        .unwrap();
    assert_eq!(out.status(), 204);
    assert!(session_cookie(&out).contains("Max-Age=0"), "the cookie is cleared");
    assert_eq!(who(&app, &cookie).await.status(), 401, "the session is over");
    assert_eq!(
        app.anonymous()
            .get(app.url("/api/session"))
            .send()
            .await
            .unwrap()
            .status(),
        401
    );

    let stored: String = sqlx::query_scalar("SELECT password_hash FROM users WHERE email = 'ada@northshire.police.uk'")
        .fetch_one(&app.pool)
        .await
        .unwrap();
    assert!(stored.starts_with("$argon2id$") && !stored.contains(PASSWORD));
}

#[tokio::test]
async fn secure_cookies_when_served_over_tls() {
    let app = spawn_app_with(|c| c.secure_cookies = true).await;
    create_admin(&app, "ada@example.org").await;
    let response = log_in(&app, "ada@example.org", PASSWORD).await;
    assert!(session_cookie(&response).contains("; Secure"));
}

#[tokio::test]
async fn failed_log_ins_are_refused_alike_and_then_rate_limited() {
    let app = spawn_app().await;
    create_admin(&app, "ada@example.org").await;
    let wrong = log_in(&app, "ada@example.org", "not the password").await;
    assert_eq!(wrong.status(), 401);
    let unknown = log_in(&app, "nobody@example.org", PASSWORD).await;
    assert_eq!(unknown.status(), 401);
    let (a, b): (serde_json::Value, serde_json::Value) = (wrong.json().await.unwrap(), unknown.json().await.unwrap());
    assert_eq!(a, b, "an unknown email and a wrong password look the same");

    for _ in 0..4 {
        assert_eq!(log_in(&app, "ada@example.org", "guess").await.status(), 401);
    }
    let limited = log_in(&app, "ada@example.org", PASSWORD).await;
    assert_eq!(limited.status(), 429, "even the right password waits now");
    let retry: u64 = limited.headers()["retry-after"].to_str().unwrap().parse().unwrap();
    assert!(retry > 0 && retry <= 15 * 60);
    assert!(limited.json::<serde_json::Value>().await.unwrap()["error"]
        .as_str()
        .unwrap()
        .contains("try again"));
    let bad_body = app
        .http
        .post(app.url("/api/session"))
        .body("email=a")
        .send()
        .await
        .unwrap();
    assert_eq!(bad_body.status(), 415, "a log-in body must say it is JSON");
    let bad_json = app
        .http
        .post(app.url("/api/session"))
        .header("content-type", "application/json")
        .body("{\"email\": 1}")
        .send()
        .await
        .unwrap();
    assert_eq!(bad_json.status(), 400);
}

#[tokio::test]
async fn idle_and_old_sessions_are_over() {
    let app = spawn_app().await;
    create_admin(&app, "ada@example.org").await;
    let idle = session_cookie(&log_in(&app, "ada@example.org", PASSWORD).await);
    assert_eq!(who(&app, &idle).await.status(), 200);
    sqlx::query(concat!(
        "UPDATE sessions SET last_seen_at = now() - interval '31 minutes' WHERE ",
        ada!()
    ))
    .execute(&app.pool)
    .await
    .unwrap();
    assert_eq!(who(&app, &idle).await.status(), 401, "30 minutes idle");

    let old = session_cookie(&log_in(&app, "ada@example.org", PASSWORD).await);
    sqlx::query(concat!(
        "UPDATE sessions SET created_at = now() - interval '12 hours 1 minute' WHERE ",
        ada!()
    ))
    .execute(&app.pool)
    .await
    .unwrap();
    assert_eq!(
        who(&app, &old).await.status(),
        401,
        "12 hours after log-in, however active"
    );
    let left: i64 = sqlx::query_scalar(concat!("SELECT count(*) FROM sessions WHERE ", ada!()))
        .fetch_one(&app.pool)
        .await
        .unwrap();
    assert_eq!(left, 0, "ended sessions are deleted");
}

/// Posts a form to a server function as `client`.
async fn server_fn(app: &TestApp, client: &reqwest::Client, name: &str, form: &[(&str, String)]) -> reqwest::Response {
    client
        .post(app.url(&format!("/api/fn/{name}")))
        .form(form)
        .send()
        .await
        .unwrap()
}

#[tokio::test]
async fn administrators_grant_and_withdraw_the_strategic_lead_flag_and_nobody_else_can() {
    let app = spawn_app().await;
    let pat = app
        .add_user("pat@council.gov.uk", "Pat Partner", "Northshire Council")
        .await;
    assert!(!pat.strategic_lead);
    let grant = [("user", pat.id.to_string()), ("on", "true".to_string())];
    let refused = server_fn(&app, &app.http, "set_strategic_lead", &grant).await;
    assert!(!refused.status().is_success(), "only administrators");
    assert!(refused.text().await.unwrap().contains("Only administrators"));

    create_admin(&app, "ada@example.org").await;
    let ada = app.client_as(&app.session_for("ada@example.org").await);
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
    assert!(server_fn(&app, &ada, "set_strategic_lead", &withdraw)
        .await
        .status()
        .is_success());
    let users = app.state.accounts.users().await.unwrap();
    assert!(!users.iter().find(|u| u.id == pat.id).unwrap().strategic_lead);

    // A new account can be a strategic lead from the start.
    let agency = app
        .state
        .accounts
        .agency_named("Northshire Council")
        .await
        .unwrap()
        .unwrap();
    let form = [
        ("name", "Sam Strategist".to_string()),
        ("email", "sam@council.gov.uk".to_string()),
        ("agency", agency.id.to_string()),
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
    let refused = server_fn(&app, &app.http, "set_may_lead_plans", &grant).await;
    assert!(!refused.status().is_success(), "only administrators");
    assert!(refused.text().await.unwrap().contains("Only administrators"));

    create_admin(&app, "ada@example.org").await;
    let ada = app.client_as(&app.session_for("ada@example.org").await);
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
    assert!(server_fn(&app, &ada, "set_may_lead_plans", &withdraw)
        .await
        .status()
        .is_success());
    assert!(!may_lead("pat@council.gov.uk").await);

    // The administration page shows it; a new account may lead plans from the start.
    let page = ada.get(app.url("/admin")).send().await.unwrap().text().await.unwrap();
    assert!(page.contains("Leads plans") && page.contains("toggle-may-lead-plans"));
    let agency = app
        .state
        .accounts
        .agency_named("Northshire Council")
        .await
        .unwrap()
        .unwrap();
    let form = |name: &str, email: &str, leads: bool| {
        let mut form = vec![
            ("name", name.to_string()),
            ("email", email.to_string()),
            ("agency", agency.id.to_string()),
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
