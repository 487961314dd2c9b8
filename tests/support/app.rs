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

mod data;
mod http;
mod users;
mod ws;

pub use http::Fetch;
pub use users::{Person, PAT, SAM};
pub use ws::{ws_origin, WsTarget};

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

/// The app with settings adjusted by `tweak` and nobody logged in: as a
/// deployment whose people sign in only through their identity providers.
pub async fn spawn_app_signed_out(tweak: impl FnOnce(&mut Config)) -> TestApp {
    let mut config = Config::for_database(None);
    tweak(&mut config);
    start(config, crate::db::fresh_pg_pool().await, None).await
}

/// The app with default settings and a plan about `subject` (see
/// [`TestApp::create_plan`]).
pub async fn spawn_app_with_plan(subject: &str) -> (TestApp, Uuid) {
    let app = spawn_app().await;
    let plan = app.create_plan(subject).await;
    (app, plan)
}

/// The app with a plan about `subject` on which Pat ([`PAT`]) has `role`,
/// and Sam ([`SAM`]), a user who is no member of it.
pub async fn spawn_app_with_pat_as(subject: &str, role: &str) -> (TestApp, Uuid) {
    let (app, plan) = spawn_app_with_plan(subject).await;
    app.add_to_plan(plan, &crate::PAT, role).await;
    app.add_person(&crate::SAM).await;
    (app, plan)
}

/// The app with default settings, a second node on its database
/// ([`TestApp::another_node`]) and a plan about `subject`.
pub async fn spawn_two_nodes_with_plan(subject: &str) -> (TestApp, TestApp, Uuid) {
    let a = spawn_app().await;
    let b = a.another_node().await;
    let plan = a.create_plan(subject).await;
    (a, b, plan)
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

impl TestApp {
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
