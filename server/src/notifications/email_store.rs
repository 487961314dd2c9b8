//! [`EmailStore`]: the outbox's side for senders, on PostgreSQL and SQLite.
//!
//! A sender claims what is due: rows queued to email (and digests), not
//! claimed or whose claim has expired, marked with a claim of its own until
//! a moment (a lease). On PostgreSQL the claim selects the rows `FOR UPDATE
//! SKIP LOCKED`, so senders on several nodes claiming at once each take
//! other rows and never wait for one another; SQLite (one node) claims in
//! one statement under its write lock. Once the mail server has accepted an
//! email, its rows are marked sent under that claim; a failure gives them
//! back, due again after a back-off. A node that dies mid-send leaves its
//! claim to expire, and another sender takes the rows again.

use super::store::VISIBLE;
use crate::store::bind;
use crate::store::{postgres_sql, sqlite_sql, DbContext, PgStore, SqliteStore, StoreError};
use chrono::{DateTime, Utc};
use uuid::Uuid;

/// One claim: who claims, as of when, until when, how many rows at most.
#[derive(Debug, Clone, Copy)]
pub struct Claim {
    pub id: Uuid,
    pub now: DateTime<Utc>,
    pub until: DateTime<Utc>,
    pub limit: i64,
}

/// A claimed notification: its id, person, their address, its kind, and
/// how often it has been tried (this try included).
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct ClaimedRow {
    pub id: i64,
    pub user_id: Uuid,
    pub address: String,
    pub kind: String,
    pub attempts: i32,
    /// Whether its person may still open its plan (else it is withheld).
    pub visible: bool,
}

/// Which table an email's rows are in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outgoing {
    /// The rows of one person's at-once notifications.
    AtOnce,
    /// One digest.
    Digest,
}

impl Outgoing {
    fn table(self) -> &'static str {
        match self {
            Outgoing::AtOnce => "notifications",
            Outgoing::Digest => "notification_digests",
        }
    }
}

#[async_trait::async_trait]
pub trait EmailStore: Send + Sync + 'static {
    /// Claims due at-once notifications, saying of each whether its person
    /// may still open its plan.
    async fn claim_at_once(&self, claim: Claim) -> Result<Vec<ClaimedRow>, StoreError>;
    /// A claimed notification whose person may no longer open its plan is
    /// not emailed.
    async fn withhold(&self, claim: Uuid, id: i64) -> Result<(), StoreError>;
    /// Claims due digests (`kind` is empty).
    async fn claim_digests(&self, claim: Claim) -> Result<Vec<ClaimedRow>, StoreError>;
    /// What a digest counts: each kind and how many.
    async fn digest_counts(&self, digest: i64) -> Result<Vec<(String, i64)>, StoreError>;
    /// The mail server accepted the email of `user`'s rows under `claim`
    /// (of a digest: `user` is its person): marks them sent.
    async fn sent(&self, what: Outgoing, claim: Uuid, user: Uuid, now: DateTime<Utc>) -> Result<u64, StoreError>;
    /// Sending failed: gives the rows back, due again at `due`.
    async fn retry(&self, what: Outgoing, claim: Uuid, user: Uuid, due: DateTime<Utc>) -> Result<u64, StoreError>;
}

const WITHHOLD: &str = "UPDATE notifications SET email = 'withheld', email_claim = NULL, email_claimed_until = NULL \
     WHERE id = $2 AND email_claim = $1 AND email = 'queued'";

/// `{lock}`: PostgreSQL's `FOR UPDATE SKIP LOCKED`, nothing on SQLite.
const CLAIM_AT_ONCE: &str = "UPDATE notifications SET email_claim = $1, email_claimed_until = $3, \
     email_attempts = email_attempts + 1 WHERE id IN (SELECT n.id FROM notifications n \
     WHERE n.email = 'queued' AND n.email_due_at <= $2 \
     AND (n.email_claimed_until IS NULL OR n.email_claimed_until < $2) \
     ORDER BY n.email_due_at, n.id LIMIT $4{lock}) \
     RETURNING id, user_id, (SELECT u.email FROM users u WHERE u.id = user_id) AS address, kind, \
     email_attempts AS attempts, {visible} AS visible";

const CLAIM_DIGESTS: &str = "UPDATE notification_digests SET email_claim = $1, email_claimed_until = $3, \
     email_attempts = email_attempts + 1 WHERE id IN (SELECT d.id FROM notification_digests d \
     WHERE d.email = 'queued' AND d.email_due_at <= $2 \
     AND (d.email_claimed_until IS NULL OR d.email_claimed_until < $2) \
     ORDER BY d.email_due_at, d.id LIMIT $4{lock}) \
     RETURNING id, user_id, (SELECT u.email FROM users u WHERE u.id = user_id) AS address, '' AS kind, \
     email_attempts AS attempts, 1 = 1 AS visible";

const COUNTS: &str = "SELECT kind, COUNT(*) FROM notifications WHERE digest_id = $1 GROUP BY kind ORDER BY kind";

const SENT: &str = "UPDATE {table} SET email = 'sent', email_sent_at = $3, email_claim = NULL, \
     email_claimed_until = NULL WHERE email_claim = $1 AND user_id = $2 AND email = 'queued'";

const RETRY: &str = "UPDATE {table} SET email_due_at = $3, email_claim = NULL, email_claimed_until = NULL \
     WHERE email_claim = $1 AND user_id = $2 AND email = 'queued'";

macro_rules! email_store {
    ($store:ty, $sql:path, $lock:expr) => {
        #[async_trait::async_trait]
        impl EmailStore for $store {
            async fn claim_at_once(&self, claim: Claim) -> Result<Vec<ClaimedRow>, StoreError> {
                let visible = VISIBLE.replace("n.", "notifications.");
                let sql = CLAIM_AT_ONCE
                    .replace("{lock}", $lock)
                    .replace("{visible}", &visible);
                bind!(
                    sqlx::query_as($sql(&sql)),
                    claim.id,
                    claim.now,
                    claim.until,
                    claim.limit
                )
                .fetch_all(self.pool())
                .await
                .context("claiming notifications to email")
            }

            async fn withhold(&self, claim: Uuid, id: i64) -> Result<(), StoreError> {
                bind!(sqlx::query($sql(WITHHOLD)), claim, id)
                    .execute(self.pool())
                    .await
                    .context("withholding a notification of a plan closed to its person")?;
                Ok(())
            }

            async fn claim_digests(&self, claim: Claim) -> Result<Vec<ClaimedRow>, StoreError> {
                let sql = CLAIM_DIGESTS.replace("{lock}", $lock);
                bind!(
                    sqlx::query_as($sql(&sql)),
                    claim.id,
                    claim.now,
                    claim.until,
                    claim.limit
                )
                .fetch_all(self.pool())
                .await
                .context("claiming digests to email")
            }

            async fn digest_counts(&self, digest: i64) -> Result<Vec<(String, i64)>, StoreError> {
                bind!(sqlx::query_as($sql(COUNTS)), digest)
                    .fetch_all(self.pool())
                    .await
                    .context("counting a digest")
            }

            async fn sent(
                &self,
                what: Outgoing,
                claim: Uuid,
                user: Uuid,
                now: DateTime<Utc>,
            ) -> Result<u64, StoreError> {
                let sql = SENT.replace("{table}", what.table());
                let done = bind!(sqlx::query($sql(&sql)), claim, user, now)
                    .execute(self.pool())
                    .await
                    .context("marking an email sent")?;
                Ok(done.rows_affected())
            }

            async fn retry(
                &self,
                what: Outgoing,
                claim: Uuid,
                user: Uuid,
                due: DateTime<Utc>,
            ) -> Result<u64, StoreError> {
                let sql = RETRY.replace("{table}", what.table());
                let done = bind!(sqlx::query($sql(&sql)), claim, user, due)
                    .execute(self.pool())
                    .await
                    .context("giving back an email to retry")?;
                Ok(done.rows_affected())
            }
        }
    };
}

email_store!(PgStore, postgres_sql, " FOR UPDATE SKIP LOCKED");
email_store!(SqliteStore, sqlite_sql, "");
