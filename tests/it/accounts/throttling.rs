//! Failed log-ins are slowed per client address and per email, with
//! growing delays rather than a lockout, counted in the database: guesses
//! spread over many emails from one address are slowed, while the owner of
//! an email someone else guessed at still logs in from elsewhere. Clients
//! connect from different loopback addresses (all of 127.0.0.0/8 reaches
//! the server on Linux), so the server sees real, different peers.

use integration_tests::{spawn_app, spawn_app_with, TestApp, USER_EMAIL, USER_PASSWORD};
use serde_json::json;
use std::net::IpAddr;

/// A client connecting from `from`, with the app's origin (as a page's
/// requests carry it).
fn client_from(app: &TestApp, from: &str) -> reqwest::Client {
    let mut headers = reqwest::header::HeaderMap::new();
    headers.insert(reqwest::header::ORIGIN, format!("http://{}", app.addr).parse().unwrap());
    reqwest::Client::builder()
        .local_address(from.parse::<IpAddr>().unwrap())
        .default_headers(headers)
        .build()
        .unwrap()
}

async fn log_in(app: &TestApp, client: &reqwest::Client, email: &str, password: &str) -> reqwest::Response {
    log_in_as_forwarded(app, client, email, password, None).await
}

async fn log_in_as_forwarded(
    app: &TestApp,
    client: &reqwest::Client,
    email: &str,
    password: &str,
    forwarded_for: Option<&str>,
) -> reqwest::Response {
    let mut request = client
        .post(app.url("/api/session"))
        .json(&json!({ "email": email, "password": password }));
    if let Some(address) = forwarded_for {
        request = request.header("x-forwarded-for", address);
    }
    request.send().await.unwrap()
}

/// Checks a refusal says how long to wait, in the body and `Retry-After`.
async fn assert_slowed(response: reqwest::Response) {
    assert_eq!(response.status(), 429);
    let retry: u64 = response.headers()["retry-after"].to_str().unwrap().parse().unwrap();
    assert!((1..=15 * 60).contains(&retry), "{retry}");
    let body: serde_json::Value = response.json().await.unwrap();
    let said = body["error"].as_str().unwrap();
    assert!(said.contains("try again in") && said.contains("seconds"), "{said}");
}

#[tokio::test]
async fn a_hundred_guesses_over_a_hundred_emails_from_one_address_are_slowed() {
    let app = spawn_app().await;
    // A count nobody added to for over an hour: pruned by the next failure.
    app.sql("INSERT INTO login_failures (key, failures, last_failure_at) VALUES ('\\x00'::bytea, 99, 0)")
        .await;
    let guesser = client_from(&app, "127.0.0.2");
    let mut statuses = Vec::new();
    for i in 0..100 {
        let response = log_in(&app, &guesser, &format!("person{i}@example.org"), "Summer2026!!").await;
        statuses.push(response.status().as_u16());
    }
    assert!(
        statuses[..20].iter().all(|s| *s == 401),
        "the first 20 are only wrong: {statuses:?}"
    );
    let slowed = statuses.iter().filter(|s| **s == 429).count();
    assert!(
        slowed >= 70,
        "the later ones must wait: {slowed} of 100 refused, {statuses:?}"
    );
    assert!(statuses.iter().all(|s| *s == 401 || *s == 429), "{statuses:?}");

    // Even a right password waits from that address, unchecked...
    assert_slowed(log_in(&app, &guesser, USER_EMAIL, USER_PASSWORD).await).await;
    // ...while the same account logs in from anywhere else.
    let elsewhere = client_from(&app, "127.0.0.3");
    assert_eq!(log_in(&app, &elsewhere, USER_EMAIL, USER_PASSWORD).await.status(), 200);

    // The counts are in the database (shared by every node): one per email,
    // one per email from that address, one for the address; the old row is
    // gone and no typed email is kept.
    let rows: Vec<(Vec<u8>, i64)> = sqlx::query_as("SELECT key, failures FROM login_failures")
        .fetch_all(&app.pool)
        .await
        .unwrap();
    assert!(
        rows.iter().all(|(key, _)| key.len() == 32),
        "digests only, the old row pruned"
    );
    assert!(rows.iter().any(|(_, failures)| *failures >= 20), "the address's count");
    assert!(rows.len() <= 2 * 100 + 1, "{} rows", rows.len());
}

#[tokio::test]
async fn the_owner_still_logs_in_from_elsewhere_after_five_wrong_guesses_by_someone_else() {
    let app = spawn_app().await;
    let someone = client_from(&app, "127.0.0.2");
    for _ in 0..5 {
        assert_eq!(log_in(&app, &someone, USER_EMAIL, "Password2026!").await.status(), 401);
    }
    assert_slowed(log_in(&app, &someone, USER_EMAIL, USER_PASSWORD).await).await;

    let owner = client_from(&app, "127.0.0.3");
    let response = log_in(&app, &owner, USER_EMAIL, USER_PASSWORD).await;
    assert_eq!(response.status(), 200, "the owner is not locked out");
    // And their own slip afterwards costs them nothing yet.
    assert_eq!(log_in(&app, &owner, USER_EMAIL, "a typo in it").await.status(), 401);
    assert_eq!(log_in(&app, &owner, USER_EMAIL, USER_PASSWORD).await.status(), 200);
}

/// Five refused log-ins as the test user, each saying it was forwarded
/// for `address`.
async fn five_wrong_passwords_forwarded_for(app: &TestApp, client: &reqwest::Client, address: &str) {
    for _ in 0..5 {
        let response = log_in_as_forwarded(app, client, USER_EMAIL, "wrong", Some(address)).await;
        assert_eq!(response.status(), 401);
    }
}

#[tokio::test]
async fn behind_a_trusted_proxy_the_forwarded_address_counts_and_otherwise_the_peer() {
    let app = spawn_app_with(|c| c.trust_forwarded_for = true).await;
    let proxy = client_from(&app, "127.0.0.2");
    five_wrong_passwords_forwarded_for(&app, &proxy, "198.51.100.1").await;
    let again = log_in_as_forwarded(&app, &proxy, USER_EMAIL, USER_PASSWORD, Some("198.51.100.1")).await;
    assert_slowed(again).await;
    let other = log_in_as_forwarded(&app, &proxy, USER_EMAIL, USER_PASSWORD, Some("198.51.100.2")).await;
    assert_eq!(other.status(), 200, "another client behind the same proxy");

    // Not trusted (the default): a client cannot escape by claiming another
    // address.
    let app = spawn_app().await;
    let client = client_from(&app, "127.0.0.2");
    five_wrong_passwords_forwarded_for(&app, &client, "198.51.100.1").await;
    let claimed = log_in_as_forwarded(&app, &client, USER_EMAIL, USER_PASSWORD, Some("198.51.100.2")).await;
    assert_slowed(claimed).await;
}
