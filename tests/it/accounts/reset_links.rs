//! An administrator's reset link sets a new password once, within the
//! hour, and ends every session; without JavaScript the password forms
//! answer with pages.

use super::passwords::{log_in_status, refusal, COMMON, NEW_PASSWORD};
use super::{create_admin, server_fn};
use integration_tests::{fn_answer, spawn_app, Client, Fetch, TestApp, PAT, USER_PASSWORD};

/// Issues a reset link for `user` as `admin`; returns its token.
async fn issue_link(app: &TestApp, admin: &reqwest::Client, user: uuid::Uuid) -> String {
    let form = [("user", user.to_string())];
    let link: app::admin::ResetLink = fn_answer(server_fn(app, admin, "issue_reset_link", &form).await).await;
    assert_eq!(link.user, user);
    link.path
        .strip_prefix("/reset?token=")
        .expect("a reset path")
        .to_string()
}

async fn reset(app: &TestApp, token: &str, password: &str) -> reqwest::Response {
    let form = [("token", token.to_string()), ("new_password", password.to_string())];
    server_fn(app, &app.anonymous(), "reset_password", &form).await
}

#[tokio::test]
async fn a_reset_link_sets_a_password_once_within_the_hour_and_ends_every_session() {
    let app = spawn_app().await;
    let pat = app.add_person(&PAT).await;
    let plan = app.create_plan("Operation Birch").await;
    app.make_member(plan, "pat@council.gov.uk", "partner").await;
    let pat_session = app.session_for("pat@council.gov.uk").await;
    let on_pat = Client::connect(&app.ws_as(plan, &pat_session)).await;

    let form = [("user", pat.id.to_string())];
    let said = refusal(server_fn(&app, &app.http, "issue_reset_link", &form).await).await;
    assert!(said.contains("Only administrators"), "{said}");
    create_admin(&app, "ada@example.org").await;
    let ada = app.client_for("ada@example.org").await;
    let token = issue_link(&app, &ada, pat.id).await;

    // Only a hash of the token is kept.
    let stored: Vec<Vec<u8>> = sqlx::query_scalar("SELECT token_hash FROM password_resets")
        .fetch_all(&app.pool)
        .await
        .unwrap();
    assert_eq!(stored.len(), 1);
    assert!(stored[0].len() == 32 && stored[0] != token.as_bytes());

    // The page to use it needs no session.
    let page = app
        .anonymous()
        .get(app.url(&format!("/reset?token={token}")))
        .sent()
        .await;
    assert_eq!(page.status(), 200);
    assert!(page.text().await.unwrap().contains("id=\"reset-password\""));

    let said = refusal(reset(&app, &token, COMMON[1]).await).await;
    assert!(said.contains("most common"), "{said}");
    let done = reset(&app, &token, NEW_PASSWORD).await;
    assert!(
        done.status().is_success(),
        "a refused password left the link usable: {}",
        done.text().await.unwrap()
    );
    let (code, reason) = on_pat.closed().await;
    assert_eq!(code, 4401, "{reason}");
    assert_eq!(app.session_status(&pat_session).await, 401);
    assert_eq!(log_in_status(&app, "pat@council.gov.uk", USER_PASSWORD).await, 401);
    assert_eq!(log_in_status(&app, "pat@council.gov.uk", NEW_PASSWORD).await, 200);

    let said = refusal(reset(&app, &token, "yet another passphrase").await).await;
    assert!(said.contains("expired or has been used"), "used once only: {said}");

    // A new link, an hour old: refused.
    let late = issue_link(&app, &ada, pat.id).await;
    app.sql("UPDATE password_resets SET expires_at = expires_at - 3600 * 1000 - 1")
        .await;
    let said = refusal(reset(&app, &late, "yet another passphrase").await).await;
    assert!(said.contains("expired or has been used"), "{said}");
    assert_eq!(log_in_status(&app, "pat@council.gov.uk", NEW_PASSWORD).await, 200);

    // Issuing a link again replaces the one before.
    let first = issue_link(&app, &ada, pat.id).await;
    let second = issue_link(&app, &ada, pat.id).await;
    assert!(!reset(&app, &first, "yet another passphrase")
        .await
        .status()
        .is_success());
    assert!(reset(&app, &second, "yet another passphrase")
        .await
        .status()
        .is_success());
}

#[tokio::test]
async fn without_javascript_the_forms_answer_with_pages() {
    let app = spawn_app().await;
    let pat = app.add_person(&PAT).await;
    create_admin(&app, "ada@example.org").await;
    let ada_cookie = app.session_for("ada@example.org").await;
    let no_redirects = |cookie: &str| {
        let mut headers = reqwest::header::HeaderMap::new();
        headers.insert(reqwest::header::COOKIE, cookie.parse().unwrap());
        headers.insert(reqwest::header::ORIGIN, format!("http://{}", app.addr).parse().unwrap());
        headers.insert(reqwest::header::ACCEPT, "text/html".parse().unwrap());
        headers.insert(reqwest::header::REFERER, app.url("/admin").parse().unwrap());
        reqwest::Client::builder()
            .default_headers(headers)
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .unwrap()
    };
    // The administrator's form: back to the admin page, which shows the link.
    let form = [("user", pat.id.to_string())];
    let issued = server_fn(&app, &no_redirects(&ada_cookie), "issue_reset_link", &form).await;
    assert_eq!(issued.status(), 302);
    let location = issued.headers()["location"].to_str().unwrap().to_string();
    assert!(location.starts_with("/admin?reset_user="), "{location}");
    let page = app.client_as(&ada_cookie).get(app.url(&location)).sent().await;
    let html = page.text().await.unwrap();
    let token = location
        .split("reset_token=")
        .nth(1)
        .unwrap()
        .split('#')
        .next()
        .unwrap();
    assert!(html.contains(&format!("/reset?token={token}")), "the link is shown");

    // The user's form: on to the log-in page, which says the password is set.
    let form = [("token", token.to_string()), ("new_password", NEW_PASSWORD.to_string())];
    let done = server_fn(&app, &no_redirects(""), "reset_password", &form).await;
    assert_eq!(done.status(), 302);
    assert_eq!(done.headers()["location"], "/login?password=reset");
    let login = app.anonymous().get(app.url("/login?password=reset")).sent().await;
    assert!(login.text().await.unwrap().contains("id=\"password-set\""));

    // The account page's forms.
    let account = app.get("/account").await;
    assert_eq!(account.status(), 200);
    let html = account.text().await.unwrap();
    assert!(html.contains("id=\"change-password\"") && html.contains("id=\"log-out-everywhere\""));
    let form = [
        ("current_password", USER_PASSWORD.to_string()),
        ("new_password", NEW_PASSWORD.to_string()),
    ];
    let changed = server_fn(&app, &no_redirects(&app.cookie), "change_password", &form).await;
    assert_eq!(changed.status(), 302);
    assert_eq!(changed.headers()["location"], "/account?changed=1");
}
