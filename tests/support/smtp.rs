//! A real SMTP server for the notification tests: Python's `aiosmtpd`
//! (PyPI, installed by `scripts/dev test` into `tests/smtp/.venv`), run as
//! a child process (`tests/smtp/server.py`). What it receives is read from
//! its standard output as JSON lines; it is told to accept, refuse (451) or
//! hold messages on its standard input, and can be stopped and started
//! again on the same port, as a mail server that goes down for a while.

use crate::PATIENCE;
use serde_json::Value;
use server::notifications::email::SmtpTls;
use server::notifications::settings::DailyAt;
use server::Config;
use std::process::Stdio;
use std::sync::{Arc, Mutex};
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::process::{Child, ChildStdin, Command};
use tokio::sync::watch;

/// Whom every test email comes from.
pub const FROM: &str = "Pillars <pillars@northshire.police.uk>";

/// One message the server accepted.
#[derive(Debug, Clone)]
pub struct Email {
    pub to: Vec<String>,
    /// The whole message as sent: headers, a blank line, the body.
    pub data: String,
}

impl Email {
    /// A header's value (unfolded), if present.
    pub fn header(&self, name: &str) -> Option<String> {
        let head = self.data.split("\r\n\r\n").next().unwrap_or_default();
        let unfolded = head.replace("\r\n ", " ").replace("\r\n\t", " ");
        unfolded.lines().find_map(|line| {
            let (key, value) = line.split_once(':')?;
            key.eq_ignore_ascii_case(name).then(|| value.trim().to_string())
        })
    }

    pub fn subject(&self) -> String {
        self.header("Subject").unwrap_or_default()
    }

    /// The body, as text (quoted-printable soft breaks joined).
    pub fn body(&self) -> String {
        let body = self.data.split_once("\r\n\r\n").map(|(_, b)| b).unwrap_or_default();
        body.replace("=\r\n", "").replace("=3D", "=")
    }

    /// The notification ids it tells of (`X-Pillars-Notifications`), or
    /// empty for a digest.
    pub fn notification_ids(&self) -> Vec<i64> {
        let ids = self.header("X-Pillars-Notifications").unwrap_or_default();
        ids.split(',').filter_map(|id| id.trim().parse().ok()).collect()
    }

    /// Whether it is a digest (`X-Pillars-Notifications: digest-N`).
    pub fn is_digest(&self) -> bool {
        self.header("X-Pillars-Notifications")
            .is_some_and(|h| h.starts_with("digest-"))
    }
}

#[derive(Default)]
struct Inbox {
    messages: Vec<Email>,
    /// Messages that arrived while the server held them.
    held: usize,
}

/// The running server. Dropping it stops it.
pub struct SmtpServer {
    pub port: u16,
    child: Child,
    stdin: ChildStdin,
    inbox: Arc<Mutex<Inbox>>,
    changed: watch::Receiver<u64>,
    changes: Arc<watch::Sender<u64>>,
}

impl SmtpServer {
    /// Starts a server on a free port.
    pub async fn start() -> SmtpServer {
        let inbox = Arc::new(Mutex::new(Inbox::default()));
        let (changes, changed) = watch::channel(0);
        Self::spawn(0, inbox, Arc::new(changes), changed).await
    }

    async fn spawn(
        port: u16,
        inbox: Arc<Mutex<Inbox>>,
        changes: Arc<watch::Sender<u64>>,
        changed: watch::Receiver<u64>,
    ) -> SmtpServer {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/smtp");
        let mut child = Command::new(format!("{dir}/.venv/bin/python"))
            .arg(format!("{dir}/server.py"))
            .arg("--port")
            .arg(port.to_string())
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .kill_on_drop(true)
            .spawn()
            .expect("the test SMTP server starts (scripts/dev test installs aiosmtpd in tests/smtp/.venv)");
        let stdin = child.stdin.take().expect("piped stdin");
        let mut lines = BufReader::new(child.stdout.take().expect("piped stdout")).lines();
        let ready = lines
            .next_line()
            .await
            .expect("reads")
            .expect("the server says it is ready");
        let ready: Value = serde_json::from_str(&ready).unwrap_or_else(|_| panic!("the server printed {ready:?}"));
        let port = ready["port"].as_u64().expect("a port") as u16;
        let (into, told) = (inbox.clone(), changes.clone());
        tokio::spawn(async move {
            while let Ok(Some(line)) = lines.next_line().await {
                let Ok(event) = serde_json::from_str::<Value>(&line) else {
                    continue;
                };
                {
                    let mut inbox = into.lock().unwrap();
                    match event["event"].as_str() {
                        Some("message") => inbox.messages.push(Email {
                            to: serde_json::from_value(event["to"].clone()).unwrap_or_default(),
                            data: event["data"].as_str().unwrap_or_default().to_string(),
                        }),
                        Some("holding") => inbox.held += 1,
                        _ => {}
                    }
                }
                told.send_modify(|n| *n += 1);
            }
        });
        SmtpServer {
            port,
            child,
            stdin,
            inbox,
            changed,
            changes,
        }
    }

    /// The settings of a node that emails through this server: no TLS,
    /// quick retries and looks, claims that expire after `claim_secs`, and
    /// no daily sweep by itself (tests run it).
    pub fn configure(&self, config: &mut Config) {
        config.email.smtp_host = Some("127.0.0.1".into());
        config.email.smtp_port = Some(self.port);
        config.email.smtp_tls = SmtpTls::None;
        config.email.smtp_from = Some(FROM.into());
        config.email.email_retry_max_secs = 1;
        config.email.email_poll_secs = 1;
        config.email.email_claim_secs = 6;
        config.email.notify_daily_at = DailyAt(None);
    }

    /// [`SmtpServer::configure`] as a node process's environment.
    pub fn env(&self) -> Vec<(&'static str, String)> {
        vec![
            ("PILLARS_SMTP_HOST", "127.0.0.1".into()),
            ("PILLARS_SMTP_PORT", self.port.to_string()),
            ("PILLARS_SMTP_TLS", "none".into()),
            ("PILLARS_SMTP_FROM", FROM.into()),
            ("PILLARS_EMAIL_RETRY_MAX_SECS", "1".into()),
            ("PILLARS_EMAIL_POLL_SECS", "1".into()),
            ("PILLARS_EMAIL_CLAIM_SECS", "6".into()),
            ("PILLARS_NOTIFY_DAILY_AT", "off".into()),
        ]
    }

    /// Everything accepted so far.
    pub fn messages(&self) -> Vec<Email> {
        self.inbox.lock().unwrap().messages.clone()
    }

    /// Waits (bounded by `patience`) until what was received satisfies
    /// `ready`; panics naming `what` if it never does.
    pub async fn wait_within(
        &self,
        patience: std::time::Duration,
        what: &str,
        ready: impl Fn(&[Email]) -> bool,
    ) -> Vec<Email> {
        let mut changed = self.changed.clone();
        let waited = tokio::time::timeout(patience, async {
            loop {
                let messages = self.messages();
                if ready(&messages) {
                    return messages;
                }
                changed.changed().await.expect("the reader lives as long as the server");
            }
        })
        .await;
        waited.unwrap_or_else(|_| panic!("the mail server never received {what}: {:#?}", self.messages()))
    }

    pub async fn wait_for(&self, what: &str, ready: impl Fn(&[Email]) -> bool) -> Vec<Email> {
        self.wait_within(PATIENCE, what, ready).await
    }

    /// Waits until a message arrives while the server holds messages.
    pub async fn wait_holding(&self) {
        let mut changed = self.changed.clone();
        tokio::time::timeout(PATIENCE, async {
            while self.inbox.lock().unwrap().held == 0 {
                changed.changed().await.expect("the reader lives");
            }
        })
        .await
        .expect("a message reached the holding server");
    }

    /// `accept`, `refuse`, `hold` or `release`.
    pub async fn set(&mut self, mode: &str) {
        self.stdin.write_all(format!("{mode}\n").as_bytes()).await.unwrap();
        self.stdin.flush().await.unwrap();
    }

    /// Stops the server (as a crash would: no goodbye); what it received
    /// is kept. [`SmtpServer::restart`] starts it again.
    pub async fn stop(&mut self) {
        let _ = self.child.kill().await;
    }

    /// Starts the server again on its port, keeping what it received.
    pub async fn restart(self) -> SmtpServer {
        let (port, inbox, changes, changed) = (
            self.port,
            self.inbox.clone(),
            self.changes.clone(),
            self.changed.clone(),
        );
        drop(self);
        Self::spawn(port, inbox, changes, changed).await
    }
}
