//! [`SuggestionStore`] on PostgreSQL and SQLite, with the same SQL.

use crate::notifications::{Notify, Outbox};
use crate::store::bind;
use crate::store::{postgres_sql, sqlite_sql, DbContext, PgStore, SqliteStore, StoreError};
use chrono::{DateTime, Utc};
use uuid::Uuid;

/// A suggestion as written.
#[derive(Debug, Clone)]
pub struct NewSuggestion<'a> {
    pub id: Uuid,
    pub plan: Uuid,
    pub author: Uuid,
    pub section: &'a str,
    /// `replace` or `paragraph`.
    pub kind: &'a str,
    pub range: Option<(&'a [u8], &'a [u8])>,
    pub original: Option<&'a str>,
    pub proposed: &'a str,
    pub at: DateTime<Utc>,
}

/// A suggestion as stored, with the names of its author and decider.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct StoredSuggestion {
    pub id: Uuid,
    pub plan_id: Uuid,
    pub author_id: Uuid,
    pub author_name: String,
    pub author_agency: String,
    pub section: String,
    pub kind: String,
    pub range_start: Option<Vec<u8>>,
    pub range_end: Option<Vec<u8>>,
    pub original: Option<String>,
    pub proposed: String,
    pub created_at: DateTime<Utc>,
    pub decision: Option<String>,
    pub decided_by: Option<Uuid>,
    pub decided_by_name: Option<String>,
    pub decided_by_agency: Option<String>,
    pub decided_at: Option<DateTime<Utc>>,
    pub reason: Option<String>,
}

#[async_trait::async_trait]
pub trait SuggestionStore: Send + Sync + 'static {
    /// Records the suggestion and writes `notes` in its transaction; the
    /// people told.
    async fn suggest(&self, suggestion: &NewSuggestion<'_>, notes: &[Notify<'_>]) -> Result<Vec<Uuid>, StoreError>;
    async fn suggestion(&self, plan: Uuid, id: Uuid) -> Result<Option<StoredSuggestion>, StoreError>;
    /// The plan's suggestions, oldest first.
    async fn suggestions(&self, plan: Uuid) -> Result<Vec<StoredSuggestion>, StoreError>;
    /// Records the decision if none was made yet, writing `notes` with
    /// it: the people told; `None` if one was made.
    async fn decide(
        &self,
        plan: Uuid,
        id: Uuid,
        decision: Decision<'_>,
        notes: &[Notify<'_>],
    ) -> Result<Option<Vec<Uuid>>, StoreError>;
    /// Writes notifications on their own (of a change made through the
    /// plan's room, which has a transaction of its own).
    async fn notify(&self, notes: &[Notify<'_>]) -> Result<Vec<Uuid>, StoreError>;
    /// Takes back an acceptance whose change could not be made.
    async fn undecide(&self, plan: Uuid, id: Uuid) -> Result<(), StoreError>;
}

/// A lead's decision on a suggestion.
#[derive(Debug, Clone, Copy)]
pub struct Decision<'a> {
    pub accepted: bool,
    pub by: Uuid,
    pub reason: Option<&'a str>,
    pub at: DateTime<Utc>,
}

const SUGGESTIONS: &str = "SELECT s.id, s.plan_id, s.author_id, u.name AS author_name, a.name AS author_agency, \
     s.section, s.kind, s.range_start, s.range_end, s.original, s.proposed, s.created_at, s.decision, \
     s.decided_by, d.name AS decided_by_name, da.name AS decided_by_agency, s.decided_at, s.reason \
     FROM plan_suggestions s JOIN users u ON u.id = s.author_id JOIN agencies a ON a.id = u.agency_id \
     LEFT JOIN users d ON d.id = s.decided_by LEFT JOIN agencies da ON da.id = d.agency_id WHERE s.plan_id = $1";

macro_rules! suggestion_store {
    ($store:ty, $sql:expr) => {
        #[async_trait::async_trait]
        impl SuggestionStore for $store {
            async fn suggest(&self, s: &NewSuggestion<'_>, notes: &[Notify<'_>]) -> Result<Vec<Uuid>, StoreError> {
                let mut tx = self.begin_write().await?;
                let sql = "INSERT INTO plan_suggestions (id, plan_id, author_id, section, kind, range_start, \
                           range_end, original, proposed, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)";
                let (start, end) = s.range.unzip();
                let query = sqlx::query($sql(sql));
                bind!(query, s.id, s.plan, s.author, s.section, s.kind, start, end, s.original, s.proposed, s.at)
                    .execute(&mut *tx)
                    .await
                    .context("recording a suggestion")?;
                let told = tx.write_notifications(notes, s.at).await?;
                tx.commit().await.context("recording a suggestion")?;
                Ok(told)
            }

            async fn notify(&self, notes: &[Notify<'_>]) -> Result<Vec<Uuid>, StoreError> {
                let mut tx = self.begin_write().await?;
                let told = tx.write_notifications(notes, Utc::now()).await?;
                tx.commit().await.context("notifying of a decision")?;
                Ok(told)
            }

            async fn suggestion(&self, plan: Uuid, id: Uuid) -> Result<Option<StoredSuggestion>, StoreError> {
                let sql = format!("{SUGGESTIONS} AND s.id = $2");
                bind!(sqlx::query_as($sql(&sql)), plan, id)
                    .fetch_optional(self.pool())
                    .await
                    .context("reading a suggestion")
            }

            async fn suggestions(&self, plan: Uuid) -> Result<Vec<StoredSuggestion>, StoreError> {
                let sql = format!("{SUGGESTIONS} ORDER BY s.created_at, s.id");
                bind!(sqlx::query_as($sql(&sql)), plan)
                    .fetch_all(self.pool())
                    .await
                    .context("reading a plan's suggestions")
            }

            async fn decide(
                &self,
                plan: Uuid,
                id: Uuid,
                d: Decision<'_>,
                notes: &[Notify<'_>],
            ) -> Result<Option<Vec<Uuid>>, StoreError> {
                let mut tx = self.begin_write().await?;
                let sql = "UPDATE plan_suggestions SET decision = $3, decided_by = $4, reason = $5, decided_at = $6 \
                           WHERE plan_id = $1 AND id = $2 AND decision IS NULL";
                let decision = if d.accepted { "accepted" } else { "rejected" };
                let done = bind!(sqlx::query($sql(sql)), plan, id, decision, d.by, d.reason, d.at)
                    .execute(&mut *tx)
                    .await
                    .context("deciding on a suggestion")?;
                if done.rows_affected() != 1 {
                    return Ok(None);
                }
                let told = tx.write_notifications(notes, d.at).await?;
                tx.commit().await.context("deciding on a suggestion")?;
                Ok(Some(told))
            }

            async fn undecide(&self, plan: Uuid, id: Uuid) -> Result<(), StoreError> {
                let sql = "UPDATE plan_suggestions SET decision = NULL, decided_by = NULL, reason = NULL, \
                           decided_at = NULL WHERE plan_id = $1 AND id = $2";
                bind!(sqlx::query($sql(sql)), plan, id)
                    .execute(self.pool())
                    .await
                    .context("taking back an acceptance")
                    .map(drop)
            }
        }
    };
}

suggestion_store!(PgStore, postgres_sql);
suggestion_store!(SqliteStore, sqlite_sql);
