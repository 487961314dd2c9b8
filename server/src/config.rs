//! The server's settings: one typed struct, read once from flags or the
//! environment.

use clap::Parser;
use plan::ReviewIntervals;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

#[derive(Debug, Clone, Parser)]
#[command(name = "pillars", about = "Pillars: live, shared 4P SOC management plans")]
pub struct Config {
    /// PostgreSQL URL (production). Without it, data is kept in SQLite under --data-dir.
    #[arg(long, env = "DATABASE_URL")]
    pub database_url: Option<String>,

    /// Where the zero set-up SQLite database lives when no DATABASE_URL is given.
    #[arg(long, env = "PILLARS_DATA_DIR", default_value = "data")]
    pub data_dir: PathBuf,

    /// Address to listen on (port 0 picks a free port). Defaults to the
    /// Leptos site address (LEPTOS_SITE_ADDR, 127.0.0.1:3000).
    #[arg(long, env = "PILLARS_ADDR")]
    pub addr: Option<SocketAddr>,

    /// Largest websocket message accepted, in bytes.
    #[arg(long, env = "PILLARS_MAX_MESSAGE_BYTES", default_value_t = 1024 * 1024)]
    pub max_message_bytes: usize,

    /// Frames queued for one client before it is disconnected as too slow.
    #[arg(long, env = "PILLARS_CLIENT_QUEUE", default_value_t = 512)]
    pub client_queue: usize,

    /// Fold a plan's update log into a snapshot after this many updates...
    #[arg(long, env = "PILLARS_COMPACT_EVERY_UPDATES", default_value_t = 500)]
    pub compact_every_updates: usize,

    /// ...or after this many seconds with updates pending.
    #[arg(long, env = "PILLARS_COMPACT_EVERY_SECS", default_value_t = 30)]
    pub compact_every_secs: u64,

    /// The built site (WASM bundle, CSS, assets). Defaults to the Leptos
    /// setting (LEPTOS_SITE_ROOT, or target/site when run by cargo-leptos).
    #[arg(long)]
    pub site_root: Option<PathBuf>,

    /// Months between reviews for tiers 1,2,3,4.
    #[arg(long, env = "PILLARS_REVIEW_INTERVAL_MONTHS", default_value = "1,2,3,6")]
    pub review_interval_months: ReviewIntervals,

    /// A session ends after this many minutes without a request.
    #[arg(long, env = "PILLARS_SESSION_IDLE_MINUTES", default_value_t = 30)]
    pub session_idle_minutes: u64,

    /// A session ends this many hours after log-in, however active.
    #[arg(long, env = "PILLARS_SESSION_LIFETIME_HOURS", default_value_t = 12)]
    pub session_lifetime_hours: u64,

    /// Mark the session cookie `Secure` (set when served over TLS, e.g.
    /// behind a TLS-terminating proxy).
    #[arg(long, env = "PILLARS_SECURE_COOKIES", default_value_t = false)]
    pub secure_cookies: bool,

    #[command(subcommand)]
    pub command: Option<crate::cli::Command>,
}

impl Config {
    /// Settings for tests and tools: PostgreSQL at `database_url`, a free port.
    pub fn for_database(database_url: Option<String>) -> Self {
        let mut config = Config::parse_from(["pillars"]);
        config.database_url = database_url;
        config.addr = Some(SocketAddr::from(([127, 0, 0, 1], 0)));
        config
    }

    pub fn session_policy(&self) -> crate::accounts::SessionPolicy {
        crate::accounts::SessionPolicy {
            idle: Duration::from_secs(self.session_idle_minutes.max(1) * 60),
            lifetime: Duration::from_secs(self.session_lifetime_hours.max(1) * 3600),
        }
    }

    pub fn compact_every(&self) -> Duration {
        Duration::from_secs(self.compact_every_secs.max(1))
    }
}
