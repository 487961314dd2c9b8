//! A real OpenID Provider for the sign-in tests: the certified npm
//! `oidc-provider`, in `tests/oidc/` (installed by `scripts/dev test`),
//! run as a child process per provider, with a control API to register
//! Pillars as a client once its port is known, add accounts, rotate keys,
//! forge the next ID token and send a back-channel logout.

use crate::TestApp;
use serde_json::{json, Value};
use server::sso::config::{ProviderConfig, ProviderKind};
use std::process::Stdio;
use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::process::{Child, Command};

/// Pillars' client at every test provider.
pub const CLIENT_ID: &str = "pillars";
pub const CLIENT_SECRET: &str = "a-test-client-secret";

/// One running provider. Dropping it stops it (its stdin closes).
pub struct OidcProvider {
    pub issuer: String,
    pub name: String,
    control: reqwest::Client,
    _child: Child,
}

impl OidcProvider {
    /// Starts a provider shown as `name`.
    pub async fn start(name: &str) -> OidcProvider {
        let script = concat!(env!("CARGO_MANIFEST_DIR"), "/oidc/provider.mjs");
        let mut child = Command::new("node")
            .arg(script)
            .env("OIDC_NAME", name)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .kill_on_drop(true)
            .spawn()
            .expect("node runs the test OpenID Provider (scripts/dev test installs it)");
        let stdout = child.stdout.take().expect("piped stdout");
        let mut line = String::new();
        BufReader::new(stdout)
            .read_line(&mut line)
            .await
            .expect("the provider says where it is");
        let ready: Value = serde_json::from_str(&line).unwrap_or_else(|_| panic!("the provider printed {line:?}"));
        OidcProvider {
            issuer: ready["issuer"].as_str().expect("an issuer").to_string(),
            name: name.to_string(),
            control: reqwest::Client::new(),
            _child: child,
        }
    }

    /// Pillars' settings for this provider, standing for `agency`.
    pub fn config(&self, id: &str, agency: &str) -> ProviderConfig {
        ProviderConfig {
            id: id.to_string(),
            name: self.name.clone(),
            issuer: self.issuer.clone(),
            client_id: CLIENT_ID.to_string(),
            client_secret: CLIENT_SECRET.to_string(),
            agency: agency.to_string(),
            kind: ProviderKind::Standard,
            automatic_accounts: false,
        }
    }

    async fn call(&self, path: &str, body: Value) -> Value {
        let answer = self
            .control
            .post(format!("{}/__control/{path}", self.issuer))
            .json(&body)
            .send()
            .await
            .expect("the provider's control API answers");
        let status = answer.status();
        let body: Value = answer.json().await.unwrap_or(Value::Null);
        assert!(status.is_success(), "control {path}: {status} {body}");
        body
    }

    /// Registers Pillars (at `app`) as this provider's client.
    pub async fn register(&self, app: &TestApp) {
        let body = json!({
            "client_id": CLIENT_ID,
            "client_secret": CLIENT_SECRET,
            "redirect_uris": [app.url("/auth/oidc/callback")],
            "post_logout_redirect_uris": [app.url("/login")],
            "backchannel_logout_uri": app.url("/auth/oidc/backchannel-logout"),
        });
        self.call("clients", body).await;
    }

    /// Adds (or replaces) a person who can sign in here, by email or `sub`.
    pub async fn add_account(&self, account: Value) {
        self.call("accounts", account).await;
    }

    /// A new signing key, used from now on.
    pub async fn rotate_keys(&self) -> String {
        self.call("rotate", json!({})).await["kid"]
            .as_str()
            .unwrap()
            .to_string()
    }

    /// Forges the next ID token: `foreign_key`, `wrong_audience`,
    /// `expired`, `wrong_nonce`, `wrong_issuer`.
    pub async fn forge_next_token(&self, kind: &str) {
        self.call("fault", json!({ "kind": kind })).await;
    }

    /// Sends Pillars a back-channel logout token for `sub`; the status
    /// Pillars answered.
    pub async fn back_channel_logout(&self, sub: &str) -> u16 {
        let answer = self
            .call("backchannel-logout", json!({ "sub": sub, "client_id": CLIENT_ID }))
            .await;
        answer["status"].as_u64().expect("a status") as u16
    }

    /// Whether someone signed out here through Pillars' log-out.
    pub async fn signed_out(&self) -> bool {
        let answer = self
            .control
            .get(format!("{}/__control/last-logout", self.issuer))
            .send()
            .await;
        let body: Value = answer.expect("answers").json().await.expect("JSON");
        body["happened"] == true
    }
}

/// A browser without JavaScript going through a sign-in, hop by hop.
pub struct Browser {
    pub http: reqwest::Client,
    jar: std::sync::Arc<reqwest::cookie::Jar>,
}

impl Default for Browser {
    fn default() -> Self {
        let jar = std::sync::Arc::new(reqwest::cookie::Jar::default());
        let http = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .cookie_provider(jar.clone())
            .build()
            .unwrap();
        Browser { http, jar }
    }
}

impl Browser {
    /// Clicks "Sign in with …" for provider `id` and types `login` into the
    /// provider's form; stops before going back to Pillars. The callback
    /// URL the provider sent the browser to.
    pub async fn sign_in_at_provider(&self, app: &TestApp, id: &str, login: &str) -> String {
        let mut next = app.url(&format!("/auth/oidc/{id}/start"));
        for _ in 0..20 {
            if next.starts_with(&app.url("/auth/oidc/callback")) {
                return next;
            }
            let answer = self.http.get(&next).send().await.expect("the hop answers");
            let here = answer.url().clone();
            if let Some(location) = answer.headers().get("location") {
                next = here.join(location.to_str().unwrap()).unwrap().to_string();
                continue;
            }
            let page = answer.text().await.unwrap();
            let action = form_action(&page).unwrap_or_else(|| panic!("no way on from {here}: {page}"));
            let posted = self
                .http
                .post(here.join(&action).unwrap())
                .form(&[("login", login)])
                .send()
                .await
                .unwrap();
            let location = posted
                .headers()
                .get("location")
                .unwrap_or_else(|| panic!("the form did not go on from {here}"));
            next = here.join(location.to_str().unwrap()).unwrap().to_string();
        }
        panic!("the sign-in went round in circles");
    }

    /// Types `login` into the provider's form once more, as a person the
    /// provider refuses: the text of the page it answers with (it never
    /// sends the browser back to Pillars).
    pub async fn refused_at_provider(&self, app: &TestApp, id: &str, login: &str) -> String {
        let mut next = app.url(&format!("/auth/oidc/{id}/start"));
        loop {
            let answer = self.http.get(&next).send().await.expect("the hop answers");
            let here = answer.url().clone();
            match answer.headers().get("location") {
                Some(location) => next = here.join(location.to_str().unwrap()).unwrap().to_string(),
                None => {
                    let action = form_action(&answer.text().await.unwrap()).expect("the sign-in form");
                    let posted = self
                        .http
                        .post(here.join(&action).unwrap())
                        .form(&[("login", login)])
                        .send()
                        .await;
                    let posted = posted.unwrap();
                    assert!(
                        posted.headers().get("location").is_none(),
                        "the provider let {login} in"
                    );
                    return posted.text().await.unwrap();
                }
            }
        }
    }

    /// Goes back to Pillars with the provider's answer: where Pillars sent
    /// the browser next (`/` when signed in, `/login?sso=…` if not).
    pub async fn back_to_pillars(&self, callback: &str) -> String {
        let answer = self.http.get(callback).send().await.unwrap();
        assert_eq!(answer.status(), 303, "the callback redirects");
        answer.headers()["location"].to_str().unwrap().to_string()
    }

    /// The whole round trip: where the browser lands.
    pub async fn sign_in(&self, app: &TestApp, id: &str, login: &str) -> String {
        let callback = self.sign_in_at_provider(app, id, login).await;
        self.back_to_pillars(&callback).await
    }

    /// The session cookie Pillars set, if any (`pillars_session=…`).
    pub fn session(&self, app: &TestApp) -> Option<String> {
        use reqwest::cookie::CookieStore;
        let url = app.url("/").parse().unwrap();
        let cookies = self.jar.cookies(&url)?;
        cookies
            .to_str()
            .unwrap()
            .split("; ")
            .find(|c| c.starts_with("pillars_session=") && c.len() > "pillars_session=".len())
            .map(str::to_string)
    }
}

/// The `action` of a page's sign-in form.
fn form_action(page: &str) -> Option<String> {
    let form = &page[page.find("<form")?..];
    let action = &form[form.find("action=\"")? + 8..];
    Some(action[..action.find('"')?].replace("&amp;", "&"))
}
