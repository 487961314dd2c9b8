//! The sender: emails what the outbox holds, on every node that has an SMTP
//! server configured. Each round claims what is due ([`EmailStore`]),
//! groups a person's notifications into one email, sends, and marks each
//! email's rows sent once the server has accepted it. A failure (the server
//! down, refusing, too slow) gives the rows back with an exponential
//! back-off (1 s, 2 s, 4 s… up to `PILLARS_EMAIL_RETRY_MAX_SECS`). Rows are
//! marked sent only under this sender's claim, so an email the server
//! accepted is never sent again by this sender; the one way to a second
//! copy is a node dying between the server's acceptance and the mark
//! (its claim then expires and another node sends again): at least once,
//! never lost.
//!
//! The sender wakes when a bell rings (something was written, on any node)
//! and otherwise every `poll`, for retries, other nodes' expired claims and
//! digests.

use super::email::{compose, count, Counts, SmtpSettings, Telling};
use super::email_store::{Claim, ClaimedRow, EmailStore, Outgoing};
use super::smtp::Smtp;
use crate::plan_events::{Notice, PlanEvents};
use crate::store::StoreError;
use chrono::{DateTime, NaiveDate, Utc};
use futures_util::StreamExt;
use lettre::message::Mailbox;
use lettre::Message;
use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::Duration;
use uuid::Uuid;

/// Rows claimed per round, and emails in flight at once (each on a
/// connection of its own, kept for the next).
const CLAIM_LIMIT: i64 = 200;
const IN_FLIGHT: usize = 4;

/// How the sender runs (from `Config`).
#[derive(Debug, Clone)]
pub struct SenderSettings {
    pub smtp: SmtpSettings,
    /// Where links in emails lead (the public origin).
    pub origin: String,
    /// How long a claim holds before another sender may take its rows.
    pub lease: Duration,
    /// The longest back-off between tries.
    pub retry_max: Duration,
    /// How often an idle sender looks anyway.
    pub poll: Duration,
}

/// One email to send, with the rows it stands for.
struct Email {
    what: Outgoing,
    user: Uuid,
    message: Message,
    /// Tries so far (the most of its rows').
    attempts: i32,
}

#[derive(Clone)]
pub struct Sender {
    store: Arc<dyn EmailStore>,
    smtp: Arc<Smtp>,
    from: Mailbox,
    settings: Arc<SenderSettings>,
}

/// What a round did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Round {
    pub sent: usize,
    pub failed: usize,
}

impl Sender {
    pub fn new(store: Arc<dyn EmailStore>, settings: SenderSettings) -> Result<Sender, String> {
        // The TLS settings are checked now, not at the first email.
        if settings.smtp.tls != super::email::SmtpTls::None {
            lettre::transport::smtp::client::TlsParameters::new(settings.smtp.host.clone())
                .map_err(|e| format!("the SMTP server's TLS settings: {e}"))?;
        }
        Ok(Sender {
            store,
            smtp: Arc::new(Smtp::new(settings.smtp.clone())),
            from: settings.smtp.from.clone(),
            settings: Arc::new(settings),
        })
    }

    /// Sends until the server stops, woken by `events`' bells.
    pub fn spawn(self, events: PlanEvents) -> tokio::task::JoinHandle<()> {
        tokio::spawn(async move {
            let mut watcher = events.watch();
            loop {
                let round = self.round(Utc::now()).await;
                let wait = match round {
                    // More may be waiting: go on at once.
                    Ok(r) if r.sent > 0 && r.failed == 0 => continue,
                    Ok(r) if r.failed > 0 => self.settings.poll.min(Duration::from_secs(1)),
                    Ok(_) => self.settings.poll,
                    Err(e) => {
                        tracing::error!(error = ?e, "the email sender could not reach the outbox; trying again");
                        self.settings.poll
                    }
                };
                let woken = async {
                    loop {
                        match watcher.next().await {
                            Some(Notice::Bell(_) | Notice::BellPlan(_) | Notice::Many) => return true,
                            Some(_) => {}
                            None => return false,
                        }
                    }
                };
                tokio::select! {
                    going_on = woken => if !going_on { return },
                    _ = tokio::time::sleep(wait) => {}
                }
            }
        })
    }

    /// One round: claims what is due as of `now` and sends it.
    pub async fn round(&self, now: DateTime<Utc>) -> Result<Round, StoreError> {
        let claim = Claim {
            id: Uuid::new_v4(),
            now,
            until: now + self.settings.lease,
            limit: CLAIM_LIMIT,
        };
        let mut emails = Vec::new();
        let rows = self.store.claim_at_once(claim).await?;
        let mut by_user: BTreeMap<Uuid, Vec<ClaimedRow>> = BTreeMap::new();
        for row in rows {
            if row.visible {
                by_user.entry(row.user_id).or_default().push(row);
            } else {
                self.store.withhold(claim.id, row.id).await?;
            }
        }
        for (user, rows) in by_user {
            let ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
            let counts = count(rows.iter().map(|r| (r.kind.as_str(), 1)));
            let telling = Telling::AtOnce { ids: &ids };
            emails.extend(self.email(Outgoing::AtOnce, user, &rows, telling, &counts));
        }
        for digest in self.store.claim_digests(claim).await? {
            let counts = self.store.digest_counts(digest.id).await?;
            let counts = count(counts.iter().map(|(k, n)| (k.as_str(), *n as usize)));
            let day: NaiveDate = now.date_naive();
            let telling = Telling::Digest { id: digest.id, day };
            emails.extend(self.email(
                Outgoing::Digest,
                digest.user_id,
                std::slice::from_ref(&digest),
                telling,
                &counts,
            ));
        }
        let results: Vec<Result<bool, StoreError>> = futures_util::stream::iter(emails)
            .map(|email| self.send(claim.id, email))
            .buffer_unordered(IN_FLIGHT)
            .collect()
            .await;
        let mut round = Round::default();
        for result in results {
            match result? {
                true => round.sent += 1,
                false => round.failed += 1,
            }
        }
        Ok(round)
    }

    /// The email of one person's rows; `None` (logged) if it cannot be
    /// written (an account's address that is no address).
    fn email(
        &self,
        what: Outgoing,
        user: Uuid,
        rows: &[ClaimedRow],
        telling: Telling<'_>,
        counts: &Counts,
    ) -> Option<Email> {
        let address = &rows.first()?.address;
        match compose(&self.from, address, &self.settings.origin, telling, counts) {
            Ok(message) => Some(Email {
                what,
                user,
                message,
                attempts: rows.iter().map(|r| r.attempts).max().unwrap_or(1),
            }),
            Err(e) => {
                tracing::error!(%user, error = %e, "cannot email this person; their notifications stay in the app");
                None
            }
        }
    }

    /// Sends one email; marks it sent once the server has accepted it
    /// (`true`), or gives it back to be tried again (`false`).
    async fn send(&self, claim: Uuid, email: Email) -> Result<bool, StoreError> {
        match self.smtp.send(&email.message).await {
            Ok(_) => {
                let marked = self.store.sent(email.what, claim, email.user, Utc::now()).await?;
                if marked == 0 {
                    // The claim expired mid-send and another sender took it.
                    tracing::warn!(user = %email.user, "an email went out after its claim expired");
                }
                Ok(true)
            }
            Err(e) => {
                let backoff = backoff(email.attempts, self.settings.retry_max);
                tracing::warn!(user = %email.user, error = %e, attempts = email.attempts, ?backoff,
                    "the mail server did not take an email; trying again later");
                let due = Utc::now() + backoff;
                self.store.retry(email.what, claim, email.user, due).await?;
                Ok(false)
            }
        }
    }
}

/// 1 s after the first failure, doubling, at most `max`.
pub fn backoff(attempts: i32, max: Duration) -> Duration {
    let doublings = attempts.saturating_sub(1).clamp(0, 20) as u32;
    Duration::from_secs(1u64 << doublings).min(max)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_back_off_doubles_up_to_its_most() {
        let max = Duration::from_secs(300);
        let waits: Vec<u64> = (1..=10).map(|a| backoff(a, max).as_secs()).collect();
        assert_eq!(waits, [1, 2, 4, 8, 16, 32, 64, 128, 256, 300]);
        assert_eq!(backoff(0, max), Duration::from_secs(1));
        assert_eq!(backoff(1000, Duration::from_millis(500)), Duration::from_millis(500));
    }
}
