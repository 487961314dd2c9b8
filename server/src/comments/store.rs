//! [`CommentStore`] on PostgreSQL and SQLite, with the same SQL. Every
//! change to a comment writes the comment as it is now and appends what
//! happened to the plan's comment record, in one transaction.

use crate::notifications::{Notify, Outbox};
use crate::store::bind;
use crate::store::{postgres_sql, sqlite_sql, DbContext, PgStore, SqliteStore, StoreError};
use chrono::{DateTime, Utc};
use uuid::Uuid;

/// A comment as written when posted.
#[derive(Debug, Clone)]
pub struct NewComment<'a> {
    pub id: Uuid,
    pub plan: Uuid,
    /// The thread's first comment, for a reply.
    pub thread: Option<Uuid>,
    pub author: Uuid,
    /// `plan`, `section`, `range` or `action`.
    pub anchor_kind: &'a str,
    pub section: Option<&'a str>,
    pub action: Option<&'a str>,
    pub range: Option<(&'a [u8], &'a [u8])>,
    pub quote: Option<&'a str>,
    pub body: &'a str,
    pub at: DateTime<Utc>,
}

/// A comment as stored now, with the names of those who acted on it.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct StoredComment {
    pub id: Uuid,
    pub plan_id: Uuid,
    pub thread_id: Option<Uuid>,
    pub author_id: Uuid,
    pub author_name: String,
    pub author_agency: String,
    pub anchor_kind: String,
    pub section: Option<String>,
    pub action_id: Option<String>,
    pub range_start: Option<Vec<u8>>,
    pub range_end: Option<Vec<u8>>,
    pub quote: Option<String>,
    pub body: String,
    pub created_at: DateTime<Utc>,
    pub edited_at: Option<DateTime<Utc>>,
    pub resolved_at: Option<DateTime<Utc>>,
    pub resolved_by_name: Option<String>,
    pub hidden_at: Option<DateTime<Utc>>,
    pub hidden_by_name: Option<String>,
    pub hidden_reason: Option<String>,
}

/// One entry of a plan's comment record.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct CommentEvent {
    pub comment_id: Uuid,
    pub by_id: Uuid,
    pub by_name: String,
    pub by_agency: String,
    pub kind: String,
    pub body: Option<String>,
    pub at: DateTime<Utc>,
}

/// A change to a comment already posted.
#[derive(Debug, Clone, Copy)]
pub enum CommentChange<'a> {
    Edited { body: &'a str },
    Resolved,
    Reopened,
    Hidden { reason: &'a str },
}

#[async_trait::async_trait]
pub trait CommentStore: Send + Sync + 'static {
    /// Posts the comment and writes `notes` in its transaction; the
    /// people told.
    async fn post_comment(&self, comment: &NewComment<'_>, notes: &[Notify<'_>]) -> Result<Vec<Uuid>, StoreError>;
    /// One comment of the plan.
    async fn comment(&self, plan: Uuid, id: Uuid) -> Result<Option<StoredComment>, StoreError>;
    /// The plan's comments, oldest first.
    async fn comments(&self, plan: Uuid) -> Result<Vec<StoredComment>, StoreError>;
    /// Makes `change` to comment `id` of `plan` as `by`, and records it.
    async fn change_comment(
        &self,
        plan: Uuid,
        id: Uuid,
        by: Uuid,
        change: CommentChange<'_>,
        at: DateTime<Utc>,
    ) -> Result<(), StoreError>;
    /// The plan's comment record, oldest first.
    async fn comment_events(&self, plan: Uuid) -> Result<Vec<CommentEvent>, StoreError>;
}

const COMMENTS: &str = "SELECT c.id, c.plan_id, c.thread_id, c.author_id, u.name AS author_name, \
     a.name AS author_agency, c.anchor_kind, c.section, c.action_id, c.range_start, c.range_end, c.quote, \
     c.body, c.created_at, c.edited_at, c.resolved_at, r.name AS resolved_by_name, c.hidden_at, \
     h.name AS hidden_by_name, c.hidden_reason \
     FROM plan_comments c JOIN users u ON u.id = c.author_id JOIN agencies a ON a.id = u.agency_id \
     LEFT JOIN users r ON r.id = c.resolved_by LEFT JOIN users h ON h.id = c.hidden_by WHERE c.plan_id = $1";
const INSERT: &str = "INSERT INTO plan_comments (id, plan_id, thread_id, author_id, anchor_kind, section, \
     action_id, range_start, range_end, quote, body, created_at) \
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)";
const RECORD: &str =
    "INSERT INTO plan_comment_events (plan_id, comment_id, by_user_id, kind, body, at) VALUES ($1, $2, $3, $4, $5, $6)";
const EVENTS: &str =
    "SELECT e.comment_id, e.by_user_id AS by_id, u.name AS by_name, a.name AS by_agency, e.kind, e.body, e.at \
     FROM plan_comment_events e JOIN users u ON u.id = e.by_user_id JOIN agencies a ON a.id = u.agency_id \
     WHERE e.plan_id = $1 ORDER BY e.id";

/// A change's update (parameters: plan, comment, then its own), and its
/// record's kind and body.
fn change_sql(change: CommentChange<'_>) -> (&'static str, &'static str, Option<&str>) {
    match change {
        CommentChange::Edited { body } => (
            "UPDATE plan_comments SET body = $3, edited_at = $4 WHERE plan_id = $1 AND id = $2",
            "edited",
            Some(body),
        ),
        CommentChange::Resolved => (
            "UPDATE plan_comments SET resolved_at = $3, resolved_by = $4 WHERE plan_id = $1 AND id = $2",
            "resolved",
            None,
        ),
        CommentChange::Reopened => (
            "UPDATE plan_comments SET resolved_at = NULL, resolved_by = NULL WHERE plan_id = $1 AND id = $2",
            "reopened",
            None,
        ),
        CommentChange::Hidden { reason } => (
            "UPDATE plan_comments SET hidden_at = $3, hidden_by = $4, hidden_reason = $5 \
             WHERE plan_id = $1 AND id = $2",
            "hidden",
            Some(reason),
        ),
    }
}

macro_rules! comment_store {
    ($store:ty, $sql:expr) => {
        #[async_trait::async_trait]
        impl CommentStore for $store {
            async fn post_comment(&self, c: &NewComment<'_>, notes: &[Notify<'_>]) -> Result<Vec<Uuid>, StoreError> {
                let mut tx = self.begin_write().await?;
                let (start, end) = c.range.unzip();
                let query = sqlx::query($sql(INSERT));
                bind!(
                    query,
                    c.id,
                    c.plan,
                    c.thread,
                    c.author,
                    c.anchor_kind,
                    c.section,
                    c.action,
                    start,
                    end,
                    c.quote,
                    c.body,
                    c.at
                )
                .execute(&mut *tx)
                .await
                .context("posting a comment")?;
                bind!(
                    sqlx::query($sql(RECORD)),
                    c.plan,
                    c.id,
                    c.author,
                    "posted",
                    c.body,
                    c.at
                )
                .execute(&mut *tx)
                .await
                .context("recording a comment")?;
                let told = tx.write_notifications(notes, c.at).await?;
                tx.commit().await.context("posting a comment")?;
                Ok(told)
            }

            async fn comment(&self, plan: Uuid, id: Uuid) -> Result<Option<StoredComment>, StoreError> {
                let sql = format!("{COMMENTS} AND c.id = $2");
                bind!(sqlx::query_as($sql(&sql)), plan, id)
                    .fetch_optional(self.pool())
                    .await
                    .context("reading a comment")
            }

            async fn comments(&self, plan: Uuid) -> Result<Vec<StoredComment>, StoreError> {
                let sql = format!("{COMMENTS} ORDER BY c.created_at, c.id");
                bind!(sqlx::query_as($sql(&sql)), plan)
                    .fetch_all(self.pool())
                    .await
                    .context("reading a plan's comments")
            }

            async fn change_comment(
                &self,
                plan: Uuid,
                id: Uuid,
                by: Uuid,
                change: CommentChange<'_>,
                at: DateTime<Utc>,
            ) -> Result<(), StoreError> {
                let (update, kind, body) = change_sql(change);
                let mut tx = self.begin_write().await?;
                let query = sqlx::query($sql(update)).bind(plan).bind(id);
                // Each update takes only the values it names (SQLite
                // refuses a value bound to no parameter).
                let query = match change {
                    CommentChange::Edited { body } => bind!(query, body, at),
                    CommentChange::Resolved => bind!(query, at, by),
                    CommentChange::Reopened => query,
                    CommentChange::Hidden { reason } => bind!(query, at, by, reason),
                };
                query.execute(&mut *tx).await.context("changing a comment")?;
                bind!(sqlx::query($sql(RECORD)), plan, id, by, kind, body, at)
                    .execute(&mut *tx)
                    .await
                    .context("recording a change to a comment")?;
                tx.commit().await.context("changing a comment")
            }

            async fn comment_events(&self, plan: Uuid) -> Result<Vec<CommentEvent>, StoreError> {
                bind!(sqlx::query_as($sql(EVENTS)), plan)
                    .fetch_all(self.pool())
                    .await
                    .context("reading a plan's comment record")
            }
        }
    };
}

comment_store!(PgStore, postgres_sql);
comment_store!(SqliteStore, sqlite_sql);
