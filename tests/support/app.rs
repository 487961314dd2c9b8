//! Spawns the real application on a random port over a fresh, migrated
//! PostgreSQL database.

use server::store::{PgStore, PlanStore};
use server::{AppState, Application, Config};
use sqlx::PgPool;
use std::net::SocketAddr;
use std::sync::Arc;
use tokio::task::JoinHandle;
use uuid::Uuid;

pub struct TestApp {
    pub addr: SocketAddr,
    pub pool: PgPool,
    pub state: AppState,
    pub http: reqwest::Client,
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
    start(config, pool).await
}

async fn start(config: Config, pool: PgPool) -> TestApp {
    init_logging();
    let store: Arc<dyn PlanStore> = Arc::new(PgStore::from_pool(pool.clone()));
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
    TestApp {
        addr,
        pool,
        state,
        http: reqwest::Client::new(),
        config,
        server,
        stop: Some(stop),
    }
}

impl TestApp {
    pub fn url(&self, path: &str) -> String {
        format!("http://{}{}", self.addr, path)
    }

    pub fn ws_url(&self, plan: Uuid) -> String {
        format!("ws://{}/ws/plans/{}", self.addr, plan)
    }

    /// Creates a plan through the API and returns its id.
    pub async fn create_plan(&self, subject: &str) -> Uuid {
        let response = self
            .http
            .post(self.url("/api/plans"))
            .json(&serde_json::json!({
                "subject_kind": "OCG", "subject_name": subject, "subject_ref": "OCG-1", "tier": 2, "lro": "DI Okafor"
            }))
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

    /// Stops this server and starts a new one on the same database, as a
    /// restart would. Open rooms are left as a crash would leave them.
    pub async fn restart(self) -> TestApp {
        self.server.abort();
        let _ = self.server.await;
        let mut config = self.config;
        config.addr = Some(SocketAddr::from(([127, 0, 0, 1], 0)));
        start(config, self.pool).await
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
