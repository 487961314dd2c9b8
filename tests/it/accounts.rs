//! Accounts and sessions against the real app and PostgreSQL: the first
//! administrator from the command line, log-in and log-out through the API,
//! session timeouts, and rate-limited failed log-ins.

use integration_tests::{spawn_app, spawn_app_with, Fetch, TestApp};
use serde_json::json;
use server::cli::Command;
use server::Config;
use sqlx::ConnectOptions;

#[path = "accounts/admin_only.rs"]
mod admin_only;
#[path = "accounts/flags.rs"]
mod flags;
#[path = "accounts/passwords.rs"]
mod passwords;
#[path = "accounts/reset_links.rs"]
mod reset_links;
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
    app.post_json("/api/session", &json!({ "email": email, "password": password }))
        .await
}

fn session_cookie(response: &reqwest::Response) -> String {
    response.headers()["set-cookie"].to_str().unwrap().to_string()
}

async fn who(app: &TestApp, cookie: &str) -> reqwest::Response {
    let pair = cookie.split(';').next().unwrap();
    app.http
        .get(app.url("/api/session"))
        .header("cookie", pair)
        .sent()
        .await
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
        .sent()
        .await;
    assert_eq!(out.status(), 204);
    assert!(session_cookie(&out).contains("Max-Age=0"), "the cookie is cleared");
    assert_eq!(who(&app, &cookie).await.status(), 401, "the session is over");
    assert_eq!(app.anonymous().get(app.url("/api/session")).sent().await.status(), 401);

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
    let bad_body = app.http.post(app.url("/api/session")).body("email=a").sent().await;
    assert_eq!(bad_body.status(), 415, "a log-in body must say it is JSON");
    let bad_json = app.post_raw_json("/api/session", "{\"email\": 1}").await;
    assert_eq!(bad_json.status(), 400);
}

#[tokio::test]
async fn idle_and_old_sessions_are_over() {
    let app = spawn_app().await;
    create_admin(&app, "ada@example.org").await;
    let idle = session_cookie(&log_in(&app, "ada@example.org", PASSWORD).await);
    assert_eq!(who(&app, &idle).await.status(), 200);
    app.sql(concat!(
        "UPDATE sessions SET last_seen_at = now() - interval '31 minutes' WHERE ",
        ada!()
    ))
    .await;
    assert_eq!(who(&app, &idle).await.status(), 401, "30 minutes idle");

    let old = session_cookie(&log_in(&app, "ada@example.org", PASSWORD).await);
    app.sql(concat!(
        "UPDATE sessions SET created_at = now() - interval '12 hours 1 minute' WHERE ",
        ada!()
    ))
    .await;
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
    client.post(app.url(&format!("/api/fn/{name}"))).form(form).sent().await
}
