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

    /// Connections to PostgreSQL this node keeps (each node of several
    /// needs its own: PostgreSQL's max_connections must cover them all).
    #[arg(long, env = "PILLARS_DB_CONNECTIONS", default_value_t = crate::store::postgres::DEFAULT_CONNECTIONS)]
    pub db_connections: u32,

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

    /// Seconds with nothing sent to a client before it is sent a keepalive
    /// (at most 15: the browser reconnects after 35 s of silence).
    #[arg(long, env = "PILLARS_KEEPALIVE_SECS", default_value_t = 15,
          value_parser = clap::value_parser!(u64).range(1..=15))]
    pub keepalive_secs: u64,

    /// Bytes waiting for one client before it is disconnected as having
    /// stopped reading (what waits is merged, so a slow reader that still
    /// reads stays well under it).
    #[arg(long, env = "PILLARS_CLIENT_BACKLOG_BYTES", default_value_t = 32 * 1024 * 1024)]
    pub client_backlog_bytes: usize,

    /// Access log entries that may wait for the database before readers
    /// wait for it too (never dropped).
    #[arg(long, env = "PILLARS_ACCESS_LOG_QUEUE", default_value_t = 10_000)]
    pub access_log_queue: usize,

    /// How long break-glass access lasts, in whole minutes.
    #[arg(long = "break-glass-minutes", env = "PILLARS_BREAK_GLASS_MINUTES", default_value = "60", value_parser = minutes)]
    pub break_glass: Duration,

    /// Years a closed plan is kept before its retention review: `6`, or
    /// per marking (`OFFICIAL=6,OFFICIAL-SENSITIVE-OPERATIONAL=10`).
    #[arg(long, env = "PILLARS_RETENTION_YEARS", default_value = "6", value_parser = parse_retention)]
    pub retention: plan::lifecycle::Retention,

    /// The vetting levels this force uses, lowest first, the first meaning
    /// none: `none,NPPV1,NPPV2,NPPV3` (or a national equivalent).
    #[arg(long, env = "PILLARS_VETTING_LEVELS", default_value = plan::vetting::DEFAULT_LEVELS,
          value_parser = parse_vetting_levels)]
    pub vetting_levels: plan::vetting::VettingLevels,

    /// The level each marking implies: `OFFICIAL-SENSITIVE-OPERATIONAL=NPPV2`
    /// (markings left out need none). Levels are those of `vetting_levels`.
    #[arg(long, env = "PILLARS_VETTING_BY_MARKING", default_value = "")]
    pub vetting_by_marking: String,

    /// Seconds between sweeps that close the connections of people whose
    /// vetting has lapsed (by time passing) for the plans they have open.
    #[arg(long, env = "PILLARS_VETTING_SWEEP_SECS", default_value_t = 60,
          value_parser = clap::value_parser!(u64).range(1..))]
    pub vetting_sweep_secs: u64,

    /// Seconds anything may wait for one client untaken before it is
    /// disconnected as having stopped reading.
    #[arg(long, env = "PILLARS_CLIENT_STALL_SECS", default_value_t = 30)]
    pub client_stall_secs: u64,

    /// Fold a plan's update log into a snapshot after this many updates...
    #[arg(long, env = "PILLARS_COMPACT_EVERY_UPDATES", default_value_t = 500)]
    pub compact_every_updates: usize,

    /// ...but at most once per this many milliseconds, however fast
    /// updates come (compaction reads the whole plan)...
    #[arg(long, env = "PILLARS_COMPACT_MIN_MILLIS", default_value_t = 2000)]
    pub compact_min_millis: u64,

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

    /// A session ends after this many minutes without a request or a
    /// message on one of its websockets.
    #[arg(long = "session-idle-minutes", env = "PILLARS_SESSION_IDLE_MINUTES", default_value = "30", value_parser = minutes)]
    pub session_idle: Duration,

    /// A session ends this many hours after log-in, however active.
    #[arg(long = "session-lifetime-hours", env = "PILLARS_SESSION_LIFETIME_HOURS", default_value = "12", value_parser = hours)]
    pub session_lifetime: Duration,

    /// The origins browsers reach Pillars at, comma-separated (e.g.
    /// `https://pillars.force.police.uk`, the load balancer's). Only pages
    /// from these may change anything or open a websocket; with an https
    /// origin the session cookie is `Secure` and `__Host-` prefixed.
    /// The listen address (and `localhost` for a loopback one) is always
    /// allowed too.
    #[arg(long = "public-origin", env = "PILLARS_PUBLIC_ORIGIN", value_delimiter = ',')]
    pub public_origins: Vec<crate::security::PublicOrigin>,

    /// Count failed log-ins by the client address a proxy in front of the
    /// server reports (the last entry of `X-Forwarded-For`, which that proxy
    /// appends) instead of the connection's peer, which is then the proxy.
    /// Only behind such a proxy: otherwise anyone could claim any address.
    #[arg(
        long = "trust-forwarded-for",
        env = "PILLARS_TRUST_FORWARDED_FOR",
        default_value_t = false
    )]
    pub trust_forwarded_for: bool,

    /// The identity providers people sign in through: a JSON file (see the
    /// README, "Signing in through your organisation"). None: passwords only.
    #[arg(long = "oidc-providers", env = "PILLARS_OIDC_PROVIDERS", value_parser = crate::sso::config::Providers::read_file)]
    pub oidc_providers: Option<crate::sso::config::Providers>,

    /// Whether people may also log in with an email and password
    /// (`false`: only through the identity providers).
    #[arg(long = "password-login", env = "PILLARS_PASSWORD_LOGIN", default_value_t = true,
          action = clap::ArgAction::Set)]
    pub password_login: bool,

    /// Mark the session cookie `Secure` (set when served over TLS, e.g.
    /// behind a TLS-terminating proxy).
    #[arg(long, env = "PILLARS_SECURE_COOKIES", default_value_t = false)]
    pub secure_cookies: bool,

    /// Notifications' email and daily sweep (`PILLARS_SMTP_*`,
    /// `PILLARS_EMAIL_*`, `PILLARS_NOTIFY_DAILY_AT`).
    #[command(flatten)]
    pub email: crate::notifications::settings::EmailConfig,
}

impl Config {
    /// Settings for tests and tools: PostgreSQL at `database_url`, a free
    /// port, and no daily notification sweep by itself (they run it).
    pub fn for_database(database_url: Option<String>) -> Self {
        let mut config = Config::parse_from(["pillars"]);
        config.database_url = database_url;
        config.addr = Some(SocketAddr::from(([127, 0, 0, 1], 0)));
        config.email.notify_daily_at = crate::notifications::settings::DailyAt(None);
        config
    }

    pub fn session_policy(&self) -> crate::accounts::SessionPolicy {
        crate::accounts::SessionPolicy {
            // Set in whole minutes and hours from outside; tests set seconds.
            idle: self.session_idle.max(Duration::from_secs(1)),
            lifetime: self.session_lifetime.max(Duration::from_secs(1)),
        }
    }

    pub fn compact_every(&self) -> Duration {
        Duration::from_secs(self.compact_every_secs.max(1))
    }

    /// The vetting levels and the level each marking implies (checked
    /// against the levels).
    pub fn vetting_policy(&self) -> Result<plan::vetting::VettingPolicy, String> {
        let by_marking = plan::vetting::VettingByMarking::parse(&self.vetting_by_marking, &self.vetting_levels)
            .map_err(|e| format!("PILLARS_VETTING_BY_MARKING: {e}"))?;
        Ok(plan::vetting::VettingPolicy {
            levels: self.vetting_levels.clone(),
            by_marking,
        })
    }
}

fn parse_vetting_levels(text: &str) -> Result<plan::vetting::VettingLevels, String> {
    plan::vetting::VettingLevels::parse(text)
}

/// Retention years: one number, or `MARKING=YEARS` pairs.
fn parse_retention(text: &str) -> Result<plan::lifecycle::Retention, String> {
    plan::lifecycle::Retention::parse(text)
}

/// A whole number of minutes, at least 1.
fn minutes(text: &str) -> Result<Duration, String> {
    whole(text, 60)
}

/// A whole number of hours, at least 1.
fn hours(text: &str) -> Result<Duration, String> {
    whole(text, 3600)
}

fn whole(text: &str, unit_secs: u64) -> Result<Duration, String> {
    match text.trim().parse::<u64>() {
        Ok(n) if n >= 1 => n
            .checked_mul(unit_secs)
            .map(Duration::from_secs)
            .ok_or_else(|| format!("{n} is too large")),
        _ => Err(format!("{text:?} is not a whole number of at least 1")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn session_durations_are_given_in_minutes_and_hours() {
        let config = Config::parse_from(["pillars"]);
        assert_eq!(config.session_idle, Duration::from_secs(30 * 60));
        assert_eq!(config.session_lifetime, Duration::from_secs(12 * 3600));
        let config = Config::parse_from([
            "pillars",
            "--session-idle-minutes",
            "5",
            "--session-lifetime-hours",
            "2",
        ]);
        assert_eq!(config.session_policy().idle, Duration::from_secs(300));
        assert_eq!(config.session_policy().lifetime, Duration::from_secs(7200));
        assert!(Config::try_parse_from(["pillars", "--session-idle-minutes", "0"]).is_err());
    }
}
