//! Notifications' settings (flags or the environment, part of the
//! server's `Config`): the SMTP server, the outbox's senders and the daily
//! sweep; and starting them.

use super::sender::{Sender, SenderSettings};
use super::Notifications;
use crate::plan_events::PlanEvents;
use std::sync::Arc;
use std::time::Duration;

#[derive(Debug, Clone, clap::Args)]
pub struct EmailConfig {
    /// The SMTP server notifications are emailed through. Unset: no email
    /// (notifications are shown in the app only).
    #[arg(long, env = "PILLARS_SMTP_HOST")]
    pub smtp_host: Option<String>,

    /// Its port (default: 25, 587 or 465 by the TLS mode).
    #[arg(long, env = "PILLARS_SMTP_PORT")]
    pub smtp_port: Option<u16>,

    /// How the connection is secured: `none` (a trusted relay), `starttls`
    /// (required) or `tls` (from the start).
    #[arg(long, env = "PILLARS_SMTP_TLS", default_value = "starttls",
          value_parser = super::email::SmtpTls::parse)]
    pub smtp_tls: super::email::SmtpTls,

    /// The user name to log in to the SMTP server with, if it wants one.
    #[arg(long, env = "PILLARS_SMTP_USERNAME")]
    pub smtp_username: Option<String>,

    /// The password to go with it.
    #[arg(long, env = "PILLARS_SMTP_PASSWORD", hide_env_values = true)]
    pub smtp_password: Option<String>,

    /// Whom emails come from: `Pillars <pillars@force.police.uk>`.
    #[arg(long, env = "PILLARS_SMTP_FROM")]
    pub smtp_from: Option<String>,

    /// Seconds a sender's claim on emails holds before another node may
    /// take them (its node died mid-send). Longer than a send can take.
    #[arg(long, env = "PILLARS_EMAIL_CLAIM_SECS", default_value_t = 120,
          value_parser = clap::value_parser!(u64).range(1..))]
    pub email_claim_secs: u64,

    /// The longest wait between tries while the mail server is down (the
    /// waits double from 1 s).
    #[arg(long, env = "PILLARS_EMAIL_RETRY_MAX_SECS", default_value_t = 300,
          value_parser = clap::value_parser!(u64).range(1..))]
    pub email_retry_max_secs: u64,

    /// Seconds between an idle sender's looks at the outbox (new
    /// notifications wake it at once).
    #[arg(long, env = "PILLARS_EMAIL_POLL_SECS", default_value_t = 10,
          value_parser = clap::value_parser!(u64).range(1..))]
    pub email_poll_secs: u64,

    /// When the daily sweep runs (UTC, `HH:MM`): actions overdue, reviews
    /// due or overdue, the day's digests. `off`: never by itself.
    #[arg(long, env = "PILLARS_NOTIFY_DAILY_AT", default_value = "06:00", value_parser = parse_daily_at)]
    pub notify_daily_at: DailyAt,
}

/// When the daily sweep runs, if at all.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DailyAt(pub Option<chrono::NaiveTime>);

fn parse_daily_at(text: &str) -> Result<DailyAt, String> {
    match text.trim() {
        "off" => Ok(DailyAt(None)),
        t => chrono::NaiveTime::parse_from_str(t, "%H:%M")
            .map(|at| DailyAt(Some(at)))
            .map_err(|_| format!("{t:?} is not a time of day (HH:MM, UTC) or off")),
    }
}

impl EmailConfig {
    /// The SMTP server's settings, if one is configured; an error names
    /// what is missing or wrong.
    pub fn smtp(&self) -> Result<Option<super::email::SmtpSettings>, String> {
        let Some(host) = self.smtp_host.clone().filter(|h| !h.trim().is_empty()) else {
            return Ok(None);
        };
        let from = self
            .smtp_from
            .as_deref()
            .ok_or("PILLARS_SMTP_FROM: whom emails come from is needed with PILLARS_SMTP_HOST")?;
        let from = from
            .parse()
            .map_err(|e| format!("PILLARS_SMTP_FROM: {from:?} is not an address: {e}"))?;
        let credentials = match (&self.smtp_username, &self.smtp_password) {
            (Some(user), Some(password)) => Some((user.clone(), password.clone())),
            (None, None) => None,
            _ => return Err("PILLARS_SMTP_USERNAME and PILLARS_SMTP_PASSWORD go together".into()),
        };
        // A send must end well before its claim does, or another node may
        // take the email meanwhile and send it again.
        let timeout = Duration::from_secs((self.email_claim_secs / 3).clamp(1, 30));
        Ok(Some(super::email::SmtpSettings {
            port: self.smtp_port.unwrap_or(self.smtp_tls.default_port()),
            host,
            tls: self.smtp_tls,
            credentials,
            from,
            timeout,
        }))
    }

    /// The notifications service, with its daily sweep and, when an SMTP
    /// server is configured, its sender running; links in emails lead to
    /// `origin`.
    pub fn start(
        &self,
        store: Arc<dyn super::NotificationStorage>,
        events: &PlanEvents,
        origin: &str,
    ) -> Result<Notifications, String> {
        let smtp = self.smtp()?;
        let notifications = Notifications::new(store.clone(), events.clone(), smtp.is_some());
        if let Some(at) = self.notify_daily_at.0 {
            notifications.spawn_daily(at);
        }
        if let Some(smtp) = smtp {
            tracing::info!(host = %smtp.host, port = smtp.port, "emailing notifications");
            let settings = SenderSettings {
                smtp,
                origin: origin.to_string(),
                lease: Duration::from_secs(self.email_claim_secs),
                retry_max: Duration::from_secs(self.email_retry_max_secs),
                poll: Duration::from_secs(self.email_poll_secs),
            };
            Sender::new(store, settings)?.spawn(events.clone());
        }
        Ok(notifications)
    }
}

#[cfg(test)]
mod tests {
    use crate::Config;
    use clap::Parser;

    fn parse(args: &[&str]) -> Result<Option<super::super::email::SmtpSettings>, String> {
        let mut all = vec!["pillars"];
        all.extend_from_slice(args);
        Config::try_parse_from(all).map_err(|e| e.to_string())?.email.smtp()
    }

    #[test]
    fn email_is_off_without_a_host_and_a_host_needs_a_sender_address() {
        assert!(parse(&[]).unwrap().is_none());
        let missing = parse(&["--smtp-host", "mail.force.police.uk"]).unwrap_err();
        assert!(missing.contains("PILLARS_SMTP_FROM"), "{missing}");
        let bad = parse(&["--smtp-host", "m", "--smtp-from", "not an address"]).unwrap_err();
        assert!(bad.contains("is not an address"), "{bad}");
        let half = parse(&["--smtp-host", "m", "--smtp-from", "p@f.uk", "--smtp-username", "u"]).unwrap_err();
        assert!(half.contains("go together"), "{half}");
        let ok = parse(&[
            "--smtp-host",
            "m",
            "--smtp-from",
            "Pillars <p@f.uk>",
            "--smtp-tls",
            "tls",
        ])
        .unwrap()
        .unwrap();
        assert_eq!((ok.port, ok.timeout.as_secs()), (465, 30));
        assert!(parse(&["--smtp-tls", "ssl"])
            .unwrap_err()
            .contains("none, starttls or tls"));
    }

    #[test]
    fn the_daily_sweep_runs_at_a_time_of_day_or_not_at_all() {
        let at = |t: &str| Config::try_parse_from(["pillars", "--notify-daily-at", t]).map(|c| c.email.notify_daily_at);
        assert_eq!(at("off").unwrap().0, None);
        assert_eq!(at("07:30").unwrap().0, chrono::NaiveTime::from_hms_opt(7, 30, 0));
        assert!(at("25:00").is_err());
    }
}
