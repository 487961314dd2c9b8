//! Building and running the application: storage, rooms, routes, listener.

use crate::access_log::AccessLog;
use crate::accounts::cookie::SessionCookie;
use crate::accounts::Accounts;
use crate::actions_across::ActionsAcross;
use crate::cluster::Publisher;
use crate::collab::rooms::{RoomSettings, Rooms};
use crate::config::Config;
use crate::history::Histories;
use crate::membership::Memberships;
use crate::plans::Plans;
use crate::portfolio::Portfolios;
use crate::routes;
use crate::state::AppState;
use crate::storage::Store;
use crate::store::{PgStore, SqliteStore};
use crate::strategy::Strategies;
use crate::vetting::Vettings;
use anyhow::Context;
use axum::Router;
use std::net::SocketAddr;
use std::sync::Arc;
use tokio::net::TcpListener;

/// Most commands a room handles (and updates it commits) in one batch:
/// enough to make one commit and one merged relay out of a storm, few
/// enough that a batch's commit stays short.
const MAX_BATCH: usize = 256;

pub struct Application {
    listener: TcpListener,
    router: Router,
    state: AppState,
}

impl Application {
    /// Opens the configured store (PostgreSQL, or SQLite on disk when no
    /// `DATABASE_URL` is set), then builds the app.
    pub async fn build(config: Config) -> anyhow::Result<Application> {
        let store = open_store(&config).await?;
        Self::with_store(config, store).await
    }

    /// Builds the app on a given store and binds its listener.
    pub async fn with_store(config: Config, store: Arc<dyn Store>) -> anyhow::Result<Application> {
        let shared = store.shared_with_nodes();
        let others = match &shared {
            Some((pool, node)) => Publisher::start(pool.clone(), *node),
            None => Publisher::none(),
        };
        // The listener first: the public origins (hence the cookie) follow
        // from the address it is bound to.
        let mut leptos = leptos::config::get_configuration(None)
            .context("reading the Leptos settings")?
            .leptos_options;
        if let Some(root) = &config.site_root {
            leptos.site_root = root.to_string_lossy().as_ref().into();
        }
        if let Err(problem) = routes::assets::check_site(&leptos) {
            tracing::error!(%problem, "the pages will not become interactive");
        }
        let addr = config.addr.unwrap_or(leptos.site_addr);
        let listener = TcpListener::bind(addr)
            .await
            .with_context(|| format!("binding {addr}"))?;
        let web = crate::security::WebPolicy::new(&config.public_origins, listener.local_addr()?)
            .with_secure_cookies(config.secure_cookies);
        let strategies = Strategies::start(store.clone())
            .await
            .context("reading (or seeding) the Control Strategy")?
            .published_by(others.clone());
        let events = crate::plan_events::PlanEvents::default().published_by(others.clone());
        let vetting_policy = config.vetting_policy().map_err(anyhow::Error::msg)?;
        let (marking_changed, markings) = tokio::sync::mpsc::unbounded_channel();
        let settings = RoomSettings {
            client_limits: crate::collab::mailbox::Limits {
                backlog_bytes: config.client_backlog_bytes.max(1),
                stall: std::time::Duration::from_secs(config.client_stall_secs.max(1)),
            },
            compact_every_updates: config.compact_every_updates.max(1),
            compact_every: config.compact_every(),
            compact_min: std::time::Duration::from_millis(config.compact_min_millis),
            max_batch: MAX_BATCH,
            review_intervals: config.review_interval_months,
            events: events.clone(),
            strategy: strategies.subscribe(),
            others: others.clone(),
            marking_changed: Some(marking_changed),
        };
        let rooms = Rooms::new(store.clone(), settings);
        let accounts = Accounts::new(store.clone(), config.session_policy())
            .published_by(others.clone())
            .served_with(
                SessionCookie {
                    secure: web.secure_cookies(),
                },
                config.trust_forwarded_for,
            )
            .closing_plans_with(Arc::new(rooms.clone()))
            .with_password_login(config.password_login);
        let access_log =
            AccessLog::start(store.clone(), config.access_log_queue).with_break_glass_for(config.break_glass);
        let plans = Plans::new(
            store.clone(),
            config.review_interval_months,
            events.clone(),
            strategies.subscribe(),
            access_log.clone(),
        );
        let vettings = Vettings::start(
            store.clone(),
            vetting_policy,
            rooms.clone(),
            events.clone(),
            access_log.clone(),
        )
        .await
        .context("writing the vetting settings")?;
        vettings.spawn_sweep(std::time::Duration::from_secs(config.vetting_sweep_secs.max(1)));
        vettings.follow_markings(markings);
        let notifications = config
            .email
            .start(store.clone(), &events, web.primary_origin())
            .map_err(anyhow::Error::msg)?;
        let providers = config.oidc_providers.clone().unwrap_or_default();
        let memberships = Memberships::new(store.clone(), events, rooms.clone(), access_log.clone())
            .inviting_from(providers.0.iter().map(|p| p.agency.clone()).collect());
        let sso = crate::sso::Sso::new(
            &providers,
            web.primary_origin(),
            store.clone(),
            accounts.clone(),
            memberships.clone(),
            config.password_login,
        )
        .context("setting up single sign-on")?;
        let histories = Histories::new(store.clone(), plans.clone(), access_log.clone());
        let portfolios = Portfolios::new(store.clone(), strategies.subscribe(), access_log.clone());
        spawn_backfill(&plans);
        let comments = crate::comments::Comments::new(
            store.clone(),
            access_log.clone(),
            rooms.clone(),
            crate::comments::CommentEvents::default().published_by(others.clone()),
            plans.events().clone(),
        );
        let suggestions = crate::suggestions::Suggestions::new(
            store.clone(),
            rooms.clone(),
            comments.events().clone(),
            plans.events().clone(),
        );
        if let Some((pool, node)) = shared {
            let handles = crate::cluster::Handles {
                rooms: rooms.clone(),
                accounts: accounts.clone(),
                strategies: strategies.clone(),
                events: plans.events().clone(),
                comments: comments.events().clone(),
                others,
            };
            tokio::spawn(crate::cluster::listen(pool, node, handles));
        }
        let lifecycles = crate::lifecycle::Lifecycles::new(
            store.clone(),
            rooms.clone(),
            plans.events().clone(),
            config.retention,
            access_log.clone(),
        );
        let versions = crate::versions::Versions::new(store.clone(), plans.clone(), rooms.clone(), access_log.clone());
        let actions = ActionsAcross::new(store, rooms.clone(), access_log.clone());
        let state = AppState {
            web: Arc::new(web.clone()),
            config: Arc::new(config),
            plans,
            memberships,
            histories,
            rooms,
            accounts,
            portfolios,
            versions,
            actions,
            strategies,
            access_log,
            lifecycles,
            sso,
            vettings,
            comments,
            suggestions,
            notifications,
            leptos,
        };
        let router = crate::security::protect(
            Router::new()
                .merge(crate::plans::router())
                .merge(crate::accounts::router())
                .merge(crate::membership::router())
                .merge(crate::history::router())
                .merge(routes::health::router())
                .merge(routes::ws::router())
                .merge(crate::portfolio::router())
                .merge(crate::versions::routes::router())
                .merge(crate::actions_across::router())
                .merge(crate::strategy::routes::router())
                .merge(crate::access_log::router())
                .merge(crate::lifecycle::router())
                .merge(crate::sso::router())
                .merge(crate::vetting::router())
                .merge(crate::comments::router())
                .merge(crate::suggestions::router())
                .merge(crate::notifications::router())
                .merge(routes::assets::router(&state.leptos))
                .merge(routes::pages::router(&state))
                .layer(axum::middleware::from_fn_with_state(
                    state.clone(),
                    routes::guard::require_session,
                ))
                .with_state(state.clone()),
            web,
        );
        Ok(Application {
            listener,
            router,
            state,
        })
    }

    pub fn local_addr(&self) -> SocketAddr {
        // A bound listener always has an address.
        self.listener
            .local_addr()
            .unwrap_or_else(|_| SocketAddr::from(([127, 0, 0, 1], 0)))
    }

    pub fn state(&self) -> &AppState {
        &self.state
    }

    /// Serves until ctrl-c / SIGTERM.
    pub async fn run_until_stopped(self) -> std::io::Result<()> {
        self.run_until(shutdown_signal()).await
    }

    /// Serves until `stop` completes, then closes every room (clients are
    /// told to reconnect, logs are compacted) before returning.
    pub async fn run_until(self, stop: impl std::future::Future<Output = ()> + Send + 'static) -> std::io::Result<()> {
        tracing::info!(addr = %self.local_addr(), "Pillars listening");
        let rooms = self.state.rooms.clone();
        let plans = self.state.plans.clone();
        let comments = self.state.comments.events().clone();
        let access_log = self.state.access_log.clone();
        let stopping = async move {
            stop.await;
            tracing::info!("stopping: closing open plans");
            plans.events().close();
            comments.close();
            rooms.shutdown().await;
        };
        // The peer address is on every request, for counting failed log-ins.
        let service = self.router.into_make_service_with_connect_info::<SocketAddr>();
        let served = axum::serve(self.listener, service)
            .with_graceful_shutdown(stopping)
            .await;
        // Every reading logged while serving is written before the end.
        access_log.stop().await;
        served
    }
}

/// Gives plans made before the portfolio existed their facts, in the
/// background: pages are served meanwhile, and such plans count once done.
fn spawn_backfill(plans: &Plans) {
    let plans = plans.clone();
    tokio::spawn(async move {
        match plans.backfill_portfolio_facts().await {
            Ok(0) => {}
            Ok(n) => tracing::info!(plans = n, "portfolio facts rebuilt"),
            Err(e) => {
                tracing::error!(error = ?e, "could not rebuild portfolio facts; they are rebuilt when each plan opens")
            }
        }
    });
}

/// The configured store: PostgreSQL, or SQLite on disk when no
/// `DATABASE_URL` is set.
pub async fn open_store(config: &Config) -> anyhow::Result<Arc<dyn Store>> {
    Ok(match &config.database_url {
        Some(url) => Arc::new(
            PgStore::connect(url, config.db_connections)
                .await
                .context("connecting to PostgreSQL")?,
        ),
        None => {
            let path = config.data_dir.join("pillars.db");
            tracing::info!(path = %path.display(), "no DATABASE_URL: keeping data in SQLite");
            Arc::new(SqliteStore::open(&path).await.context("opening the SQLite database")?)
        }
    })
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! { _ = ctrl_c => {}, _ = terminate => {} }
}
