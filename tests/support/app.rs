//! Spawns the real application on a random port over a fresh, migrated
//! PostgreSQL database.

use server::store::PgStore;
use server::{AppState, Application, Config};

/// The test app's own user (the LRO of the plans it creates).
pub const USER_NAME: &str = "Dee Lro";
/// How others see the test app's user on a plan: the server puts the
/// account's name and agency into its presence, whatever a client claims.
pub const USER_SHOWN_AS: &str = "Dee Lro (Northshire Police)";
use sqlx::PgPool;
use std::net::SocketAddr;
use std::sync::Arc;
use tokio::task::JoinHandle;
use uuid::Uuid;

/// The user every test app logs in as (an LRO-to-be, in a police force).
pub const USER_EMAIL: &str = "lro@northshire.police.uk";
pub const USER_PASSWORD: &str = "correct horse battery staple";
pub const USER_AGENCY: &str = "Northshire Police";

pub struct TestApp {
    pub addr: SocketAddr,
    pub pool: PgPool,
    pub state: AppState,
    /// Sends the logged-in user's session cookie with every request.
    pub http: reqwest::Client,
    /// `pillars_session=...` of [`USER_EMAIL`].
    pub cookie: String,
    config: Config,
    server: JoinHandle<()>,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
}

/// The app with default settings.
pub async fn spawn_app() -> TestApp {
    spawn_app_with(|_| {}).await
}

/// The app with settings adjusted by `tweak`.
pub async fn spawn_app_with(tweak: impl FnOnce(&mut Config)) -> TestApp {
    let pool = crate::db::fresh_pg_pool().await;
    let mut config = Config::for_database(None);
    tweak(&mut config);
    let app = start(config, pool, None).await;
    app.add_user(USER_EMAIL, USER_NAME, USER_AGENCY).await;
    app.log_in_as(USER_EMAIL).await
}

/// The app over `pool` (a database already migrated), logged in as
/// [`USER_EMAIL`].
pub async fn spawn_app_on(pool: PgPool) -> TestApp {
    let app = start(Config::for_database(None), pool, None).await;
    app.add_user(USER_EMAIL, USER_NAME, USER_AGENCY).await;
    app.log_in_as(USER_EMAIL).await
}

async fn start(config: Config, pool: PgPool, cookie: Option<String>) -> TestApp {
    init_logging();
    let store: Arc<dyn server::storage::Store> = Arc::new(PgStore::from_pool(pool.clone()));
    let app = Application::with_store(config.clone(), store)
        .await
        .expect("the app builds");
    let addr = app.local_addr();
    let state = app.state().clone();
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let server = tokio::spawn(async move {
        let signal = async move {
            let _ = stopped.await;
        };
        app.run_until(signal).await.expect("the server runs");
    });
    let cookie = cookie.unwrap_or_default();
    TestApp {
        addr,
        pool,
        state,
        http: client_with_cookie(addr, &cookie),
        cookie,
        config,
        server,
        stop: Some(stop),
    }
}

/// A client of the app at `addr` sending `cookie`, and the `Origin` a page
/// of that app sends (without one, the server refuses any change).
pub fn client_with_cookie(addr: SocketAddr, cookie: &str) -> reqwest::Client {
    let mut headers = reqwest::header::HeaderMap::new();
    if let Ok(value) = cookie.parse() {
        headers.insert(reqwest::header::COOKIE, value);
    }
    if let Ok(value) = format!("http://{addr}").parse() {
        headers.insert(reqwest::header::ORIGIN, value);
    }
    reqwest::Client::builder().default_headers(headers).build().unwrap()
}

/// A websocket address with the session cookie to present there.
#[derive(Debug, Clone)]
pub struct WsTarget {
    pub url: String,
    pub cookie: Option<String>,
}

/// `ws://host:port/...` → `http://host:port` (and `wss` → `https`).
pub fn ws_origin(url: &str) -> Option<String> {
    let (scheme, rest) = url.split_once("://")?;
    let host = rest.split('/').next()?;
    let scheme = if scheme == "wss" { "https" } else { "http" };
    Some(format!("{scheme}://{host}"))
}

impl tokio_tungstenite::tungstenite::client::IntoClientRequest for &WsTarget {
    fn into_client_request(
        self,
    ) -> tokio_tungstenite::tungstenite::Result<tokio_tungstenite::tungstenite::handshake::client::Request> {
        let mut request = self.url.as_str().into_client_request()?;
        if let Some(cookie) = self.cookie.as_deref().and_then(|c| c.parse().ok()) {
            request.headers_mut().insert("cookie", cookie);
        }
        // A browser sends its page's origin: the websocket's own host.
        if let Some(origin) = ws_origin(&self.url).and_then(|o| o.parse().ok()) {
            request.headers_mut().insert("origin", origin);
        }
        Ok(request)
    }
}

impl tokio_tungstenite::tungstenite::client::IntoClientRequest for WsTarget {
    fn into_client_request(
        self,
    ) -> tokio_tungstenite::tungstenite::Result<tokio_tungstenite::tungstenite::handshake::client::Request> {
        (&self).into_client_request()
    }
}

impl TestApp {
    /// Adds a user (and their agency, if new) with [`USER_PASSWORD`], who
    /// may lead plans (most tests' users create plans as their LRO).
    pub async fn add_user(&self, email: &str, name: &str, agency: &str) -> server::accounts::User {
        self.add_user_with(email, name, agency, true).await
    }

    /// [`TestApp::add_user`], saying whether they may lead plans.
    pub async fn add_user_with(
        &self,
        email: &str,
        name: &str,
        agency: &str,
        may_lead_plans: bool,
    ) -> server::accounts::User {
        let accounts = &self.state.accounts;
        let agency = match accounts.agency_named(agency).await.unwrap() {
            Some(a) => a,
            None => accounts.create_agency(agency, "Police force").await.unwrap(),
        };
        accounts
            .create_user(server::accounts::NewUser {
                email: email.into(),
                name: name.into(),
                agency_id: agency.id,
                password: USER_PASSWORD.into(),
                is_admin: false,
                strategic_lead: false,
                may_lead_plans,
            })
            .await
            .expect("a new user")
    }

    /// Adds a user and, as the plan's LRO, gives them `role` on it.
    pub async fn add_member(&self, plan: Uuid, email: &str, name: &str, agency: &str, role: &str) {
        self.add_user(email, name, agency).await;
        self.make_member(plan, email, role).await;
    }

    /// Makes the existing user `email` a member of `plan` as `role`, as its LRO.
    pub async fn make_member(&self, plan: Uuid, email: &str, role: &str) {
        let response = self
            .http
            .put(self.url(&format!("/api/plans/{plan}/members")))
            .json(&serde_json::json!({ "email": email, "role": role }))
            .send()
            .await
            .expect("PUT members");
        assert_eq!(response.status(), 200, "the LRO adds {email} as {role}");
    }

    /// This app, with requests sent as `email` (logged in with [`USER_PASSWORD`]).
    pub async fn log_in_as(mut self, email: &str) -> TestApp {
        self.cookie = self.session_for(email).await;
        self.http = client_with_cookie(self.addr, &self.cookie);
        self
    }

    /// A new session cookie (`pillars_session=...`) for `email`.
    pub async fn session_for(&self, email: &str) -> String {
        let (_, token) = self.state.accounts.log_in(email, USER_PASSWORD).await.expect("logs in");
        format!("pillars_session={}", token.0)
    }

    /// A client that sends `cookie` (from [`TestApp::session_for`]).
    pub fn client_as(&self, cookie: &str) -> reqwest::Client {
        client_with_cookie(self.addr, cookie)
    }

    /// A client that sends no session cookie (from the app's own origin).
    pub fn anonymous(&self) -> reqwest::Client {
        client_with_cookie(self.addr, "")
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://{}{}", self.addr, path)
    }

    /// The plan's websocket, as the logged-in user.
    pub fn ws_url(&self, plan: Uuid) -> WsTarget {
        self.ws_as(plan, &self.cookie)
    }

    /// The plan's websocket, with another session cookie.
    pub fn ws_as(&self, plan: Uuid, cookie: &str) -> WsTarget {
        WsTarget {
            url: format!("ws://{}/ws/plans/{}", self.addr, plan),
            cookie: Some(cookie.to_string()),
        }
    }

    /// Creates a plan through the API and returns its id.
    pub async fn create_plan(&self, subject: &str) -> Uuid {
        self.create_plan_from(serde_json::json!({
            "subject_kind": "OCG", "subject_name": subject, "subject_ref": "OCG-1", "tier": 2, "lro": "DI Okafor"
        }))
        .await
    }

    /// Creates a plan from a `POST /api/plans` body and returns its id.
    pub async fn create_plan_from(&self, body: serde_json::Value) -> Uuid {
        let response = self
            .http
            .post(self.url("/api/plans"))
            .json(&body)
            .send()
            .await
            .expect("POST /api/plans");
        assert_eq!(response.status(), 201, "creating a plan");
        let body: serde_json::Value = response.json().await.expect("JSON body");
        body["id"]
            .as_str()
            .and_then(|s| s.parse().ok())
            .expect("the plan has an id")
    }

    /// `GET /api/plans`.
    pub async fn list_plans(&self) -> serde_json::Value {
        let response = self
            .http
            .get(self.url("/api/plans"))
            .send()
            .await
            .expect("GET /api/plans");
        assert_eq!(response.status(), 200);
        response.json().await.expect("JSON body")
    }

    /// The plan's JSON export from the API.
    pub async fn export(&self, plan: Uuid) -> serde_json::Value {
        let response = self
            .http
            .get(self.url(&format!("/api/plans/{plan}")))
            .send()
            .await
            .expect("GET plan");
        assert_eq!(response.status(), 200);
        response.json().await.expect("JSON body")
    }

    /// Stops the server as SIGTERM would and waits until it has finished.
    pub async fn stop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        (&mut self.server).await.expect("the server stopped cleanly");
    }

    /// A second server node on the same database, as a deployment of
    /// several nodes behind a load balancer runs; logged in as this one.
    pub async fn another_node(&self) -> TestApp {
        let mut config = self.config.clone();
        config.addr = Some(SocketAddr::from(([127, 0, 0, 1], 0)));
        start(config, self.pool.clone(), Some(self.cookie.clone())).await
    }

    /// Stops this server and starts a new one on the same database, as a
    /// restart would. Open rooms are left as a crash would leave them.
    pub async fn restart(self) -> TestApp {
        self.server.abort();
        let _ = self.server.await;
        let mut config = self.config;
        config.addr = Some(SocketAddr::from(([127, 0, 0, 1], 0)));
        start(config, self.pool, Some(self.cookie)).await
    }
}

/// Server logs in test output, filtered by `RUST_LOG` (off by default).
fn init_logging() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        let filter = tracing_subscriber::EnvFilter::try_from_default_env()
            .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("off"));
        let _ = tracing_subscriber::fmt()
            .with_env_filter(filter)
            .with_test_writer()
            .try_init();
    });
}
