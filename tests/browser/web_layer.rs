//! The web layer's defences, tried as an attacker's page would: changes
//! and websockets from another origin, bodies that are not JSON, the
//! session cookie behind TLS, and the Content-Security-Policy.

use integration_tests::app::WsTarget;
use integration_tests::{spawn_app, spawn_app_with, spawn_app_with_plan, Fetch, TestApp, USER_EMAIL, USER_PASSWORD};
use reqwest::header::{HeaderMap, HeaderValue};
use serde_json::json;
use tokio_tungstenite::tungstenite;

const EVIL: &str = "https://evil.example";

/// A client that sends the session cookie and exactly `headers` besides.
fn client(app: &TestApp, headers: &[(&'static str, &str)]) -> reqwest::Client {
    let mut map = HeaderMap::new();
    map.insert("cookie", HeaderValue::from_str(&app.cookie).unwrap());
    for (name, value) in headers {
        map.insert(*name, HeaderValue::from_str(value).unwrap());
    }
    reqwest::Client::builder()
        .default_headers(map)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
}

async fn plan_count(app: &TestApp) -> i64 {
    sqlx::query_scalar("SELECT count(*) FROM plans")
        .fetch_one(&app.pool)
        .await
        .unwrap()
}

async fn error_of(response: reqwest::Response) -> String {
    let body: serde_json::Value = response.json().await.unwrap();
    body["error"].as_str().unwrap_or_default().to_string()
}

const NEW_PLAN: [(&str, &str); 5] = [
    ("subject_kind", "OCG"),
    ("subject_name", "Red Kings"),
    ("subject_ref", ""),
    ("tier", "2"),
    ("lro", ""),
];

#[tokio::test]
async fn changes_from_another_origin_are_refused_and_change_nothing() {
    let app = spawn_app().await;
    let ours = format!("http://{}", app.addr);
    let body = json!({"subject_kind": "OCG", "subject_name": "Red Kings", "tier": 2});
    let rest = |c: reqwest::Client| {
        let url = app.url("/api/plans");
        let body = body.clone();
        async move { c.post(url).json(&body).send().await.unwrap() }
    };
    let server_fn = |c: reqwest::Client| {
        let url = app.url("/api/fn/create_plan");
        async move { c.post(url).form(&NEW_PLAN).send().await.unwrap() }
    };

    // Another site, a sibling port, a sandboxed page, and a request that
    // says nothing of where it comes from.
    for headers in [
        vec![("origin", EVIL)],
        vec![("origin", &*format!("http://127.0.0.1:{}", app.addr.port() + 1))],
        vec![("origin", "null")],
        vec![("sec-fetch-site", "same-site")],
        vec![("sec-fetch-site", "cross-site")],
        vec![],
    ] {
        let refused = rest(client(&app, &headers)).await;
        assert_eq!(refused.status(), 403, "REST from {headers:?}");
        let expected = if headers.is_empty() {
            "say where they come from"
        } else {
            "Pillars' own pages"
        };
        assert!(error_of(refused).await.contains(expected), "{headers:?}");
        let refused = server_fn(client(&app, &headers)).await;
        assert_eq!(refused.status(), 403, "server function from {headers:?}");
    }
    assert_eq!(plan_count(&app).await, 0, "nothing was created");

    // Our own pages: by Origin, or (no Origin) by Sec-Fetch-Site.
    assert_eq!(rest(client(&app, &[("origin", &ours)])).await.status(), 201);
    assert_eq!(
        server_fn(client(&app, &[("sec-fetch-site", "same-origin")]))
            .await
            .status(),
        200
    );
    assert_eq!(plan_count(&app).await, 2);
}

#[tokio::test]
async fn rest_bodies_must_be_json_and_so_must_logging_in() {
    let app = spawn_app().await;
    let ours = format!("http://{}", app.addr);
    let from_us = client(&app, &[("origin", &ours)]);
    // A cross-site form can send text/plain that parses as JSON.
    let plain = from_us
        .post(app.url("/api/plans"))
        .header("content-type", "text/plain")
        .body(r#"{"subject_kind": "OCG", "subject_name": "Red Kings", "tier": 2}"#)
        .sent()
        .await;
    assert_eq!(plain.status(), 415);
    assert!(error_of(plain).await.contains("application/json"));
    assert_eq!(plan_count(&app).await, 0);

    // Log-in CSRF: a form logging the victim in as the attacker.
    let anonymous = reqwest::Client::new();
    let credentials = json!({"email": USER_EMAIL, "password": USER_PASSWORD}).to_string();
    let plain = anonymous
        .post(app.url("/api/session"))
        .header("origin", &ours)
        .header("content-type", "text/plain")
        .body(credentials.clone())
        .sent()
        .await;
    assert_eq!(plain.status(), 415);
    assert!(plain.headers().get("set-cookie").is_none());
    let log_in_from = |origin: &str| {
        let body = json!({"email": USER_EMAIL, "password": USER_PASSWORD});
        anonymous
            .post(app.url("/api/session"))
            .header("origin", origin)
            .json(&body)
            .sent()
    };
    let foreign = log_in_from(EVIL).await;
    assert_eq!(foreign.status(), 403);
    assert!(foreign.headers().get("set-cookie").is_none());
    let ok = log_in_from(&ours).await;
    assert_eq!(ok.status(), 200);
}

#[tokio::test]
async fn a_websocket_from_another_origin_is_refused_before_the_upgrade() {
    let (app, plan) = spawn_app_with_plan("Operation Oak").await;
    let target = app.ws_url(plan);
    for origin in [Some(EVIL), Some("http://localhost:1"), None] {
        let request = foreign_request(&target, origin);
        match tokio_tungstenite::connect_async(request).await {
            Err(tungstenite::Error::Http(response)) => assert_eq!(response.status(), 403, "{origin:?}"),
            Ok(_) => panic!("a websocket from {origin:?} was opened and sent the plan"),
            Err(other) => panic!("expected 403 before the upgrade from {origin:?}, got {other:?}"),
        }
    }
    // The control: the app's own origin (as every test client sends).
    let (_socket, response) = tokio_tungstenite::connect_async(&target)
        .await
        .expect("our own page connects");
    assert_eq!(response.status(), 101);
}

/// The websocket request of `target`, with `origin` instead of the app's.
fn foreign_request(target: &WsTarget, origin: Option<&str>) -> tungstenite::handshake::client::Request {
    use tungstenite::client::IntoClientRequest;
    let mut request = target.into_client_request().unwrap();
    request.headers_mut().remove("origin");
    if let Some(origin) = origin {
        request.headers_mut().insert("origin", origin.parse().unwrap());
    }
    request
}

#[tokio::test]
async fn behind_tls_the_session_cookie_is_secure_and_host_prefixed() {
    let app = spawn_app_with(|c| c.public_origins = vec!["https://pillars.example".parse().unwrap()]).await;
    let logged_in = reqwest::Client::new()
        .post(app.url("/api/session"))
        .header("origin", "https://pillars.example")
        .json(&json!({"email": USER_EMAIL, "password": USER_PASSWORD}))
        .send()
        .await
        .unwrap();
    assert_eq!(logged_in.status(), 200);
    let cookie = logged_in.headers()["set-cookie"].to_str().unwrap().to_string();
    assert!(cookie.starts_with("__Host-pillars_session="), "{cookie}");
    for part in ["; Secure", "; Path=/", "; HttpOnly", "; SameSite=Strict"] {
        assert!(cookie.contains(part), "{part} in {cookie}");
    }
    assert!(!cookie.contains("Domain"), "{cookie}");
    let token = cookie.split(';').next().unwrap().split_once('=').unwrap().1.to_string();
    let who = |name: &str| {
        reqwest::Client::new()
            .get(app.url("/api/session"))
            .header("cookie", format!("{name}={token}"))
            .send()
    };
    assert_eq!(who("__Host-pillars_session").await.unwrap().status(), 200);
    // A cookie without the prefix could have been planted by a sibling host.
    assert_eq!(who("pillars_session").await.unwrap().status(), 401);
}

#[tokio::test]
async fn every_page_carries_a_strict_policy_with_a_fresh_nonce_on_its_scripts() {
    let (app, plan) = spawn_app_with_plan("Operation Oak").await;
    let mut nonces = Vec::new();
    for path in ["/".to_string(), format!("/plans/{plan}"), "/no-such-page".into()] {
        let page = app.get(&path).await;
        let csp = page.headers()["content-security-policy"].to_str().unwrap().to_string();
        for directive in [
            "script-src 'self' 'wasm-unsafe-eval' 'nonce-",
            "object-src 'none'",
            "base-uri 'none'",
            "frame-ancestors 'none'",
            "form-action 'self'",
            &format!("connect-src 'self' ws://{}", app.addr),
        ] {
            assert!(csp.contains(directive), "{path}: {directive} in {csp}");
        }
        let nonce = csp
            .split("'nonce-")
            .nth(1)
            .unwrap()
            .split('\'')
            .next()
            .unwrap()
            .to_string();
        let html = page.text().await.unwrap();
        let tags: Vec<&str> = html
            .split("<script")
            .skip(1)
            .map(|rest| rest.split('>').next().unwrap_or_default())
            .collect();
        assert!(!tags.is_empty(), "{path} has its hydration scripts");
        for tag in tags {
            assert!(
                tag.contains(&format!("nonce=\"{nonce}\"")),
                "{path}: every script carries this response's nonce: <script{tag}>"
            );
        }
        nonces.push(nonce);
    }
    nonces.sort();
    nonces.dedup();
    assert_eq!(nonces.len(), 3, "a new nonce for every response");
}

#[tokio::test]
async fn under_the_policy_pages_hydrate_and_an_injected_script_does_not_run() {
    use integration_tests::browser::{spawn_site_with_plan, Browser};
    let (app, plan) = spawn_site_with_plan("Operation Oak").await;
    let browser = Browser::logged_in_at(&app, &format!("/plans/{plan}")).await;
    // Hydration scripts, the WASM and the websocket all pass the policy.
    browser.wait_for("body[data-hydrated='true']").await;
    browser.wait_for("#connection-state[data-state='live']").await;
    assert_eq!(browser.csp_violations().await, Vec::<String>::new());

    // Markup that escaping missed: an inline script and an inline handler.
    let outcome = browser
        .client
        .execute_async(
            "const done = arguments[arguments.length - 1];
             const seen = [];
             document.addEventListener('securitypolicyviolation', e => {
               seen.push(e.effectiveDirective);
               if (seen.length === 2) done({ seen, pwned: window.__pwned ?? null });
             });
             const script = document.createElement('script');
             script.textContent = 'window.__pwned = \"script\"';
             document.body.appendChild(script);
             const holder = document.createElement('div');
             holder.innerHTML = '<img src=\"/no-such-image\" onerror=\"window.__pwned = \\'handler\\'\">';
             document.body.appendChild(holder);
             // Without a policy the script has run by now.
             if (window.__pwned) done({ seen, pwned: window.__pwned });",
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(outcome["pwned"], serde_json::Value::Null, "{outcome}");
    let seen: Vec<String> = serde_json::from_value(outcome["seen"].clone()).unwrap();
    assert!(seen.iter().all(|d| d.starts_with("script-src")), "{seen:?}");
    // The page reports them, so a browser test that breaks the policy fails.
    assert_eq!(browser.csp_violations().await.len(), 2);
    let _ = browser.client.clone().close().await;
}
