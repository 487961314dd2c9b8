//! Where a plan's versions are read from: checkpoints (every snapshot and
//! log entry is kept), the audit trail's moments, and recorded reviews with
//! their frozen copies. The same SQL on PostgreSQL and SQLite.

use crate::store::bind;
use crate::store::{
    postgres_sql, sqlite_sql, DbContext, LoggedUpdate, PgStore, Snapshot, SqliteStore, StoreError, StoredPlan,
};
use chrono::{DateTime, NaiveDate, Utc};
use plan::access::Change;
use plan::versions::{Moment, ReviewRecord};
use sqlx::types::Json;
use uuid::Uuid;

/// A review to record.
pub struct NewReview<'a> {
    pub plan: Uuid,
    pub by: Uuid,
    pub reviewed_on: NaiveDate,
    pub lro_update: &'a str,
    pub upto_seq: i64,
    pub state: &'a [u8],
}

#[async_trait::async_trait]
pub trait VersionStore: Send + Sync + 'static {
    /// What to apply to have the plan as it was after update `seq`: the
    /// latest snapshot at or before it and the log entries up to it.
    async fn as_at(&self, plan: Uuid, seq: i64) -> Result<StoredPlan, StoreError>;

    /// Every audited update's seq, time and author, oldest first, the last
    /// `limit` of them.
    async fn moments(&self, plan: Uuid, limit: i64) -> Result<Vec<Moment>, StoreError>;

    /// One audited update's time and author.
    async fn moment(&self, plan: Uuid, seq: i64) -> Result<Option<Moment>, StoreError>;

    /// The audited changes of updates `from < seq <= to`: (author, changes).
    async fn changes_between(&self, plan: Uuid, from: i64, to: i64) -> Result<Vec<(String, Vec<Change>)>, StoreError>;

    /// Records a review as the next number; returns it.
    async fn insert_review(&self, review: &NewReview<'_>) -> Result<i32, StoreError>;

    async fn reviews(&self, plan: Uuid) -> Result<Vec<ReviewRecord>, StoreError>;

    /// A review and its frozen copy.
    async fn review(&self, plan: Uuid, number: i32) -> Result<Option<(ReviewRecord, Vec<u8>)>, StoreError>;

    /// `user`'s membership changes on the plan, oldest first (when, and
    /// whether a member afterwards), and when their current membership row
    /// was added (none if not a member).
    async fn membership_of(&self, plan: Uuid, user: Uuid) -> Result<Membership, StoreError>;
}

/// One member's recorded joinings and leavings, and their current row's date.
pub type Membership = (Vec<(DateTime<Utc>, bool)>, Option<DateTime<Utc>>);

const SNAPSHOT_AT: &str = "SELECT upto_seq, state, state_vector FROM plan_snapshots \
     WHERE plan_id = $1 AND upto_seq <= $2 ORDER BY upto_seq DESC LIMIT 1";
const UPDATES_BETWEEN: &str =
    r#"SELECT seq, "update" FROM plan_updates WHERE plan_id = $1 AND seq > $2 AND seq <= $3 ORDER BY seq"#;
const MOMENTS: &str = "SELECT seq, at, name FROM (SELECT c.seq, c.at, u.name FROM plan_changes c \
     JOIN users u ON u.id = c.user_id WHERE c.plan_id = $1 ORDER BY c.seq DESC LIMIT $2) AS latest ORDER BY seq";
const CHANGES: &str = "SELECT u.name, c.changes FROM plan_changes c JOIN users u ON u.id = c.user_id \
     WHERE c.plan_id = $1 AND c.seq > $2 AND c.seq <= $3 ORDER BY c.id";
const REVIEW_COLUMNS: &str = "r.number, r.reviewed_on, r.at, u.name, r.lro_update, r.upto_seq";

type ReviewRow = (i32, NaiveDate, DateTime<Utc>, String, String, i64);

fn record((number, reviewed_on, at, by, lro_update, upto_seq): ReviewRow) -> ReviewRecord {
    ReviewRecord {
        number,
        reviewed_on,
        at,
        by,
        lro_update,
        upto_seq,
    }
}

macro_rules! version_store {
    ($store:ty, $sql:expr) => {
        #[async_trait::async_trait]
        impl VersionStore for $store {
            async fn as_at(&self, plan: Uuid, seq: i64) -> Result<StoredPlan, StoreError> {
                let snapshot: Option<(i64, Vec<u8>, Vec<u8>)> = bind!(sqlx::query_as($sql(SNAPSHOT_AT)), plan, seq)
                    .fetch_optional(self.pool())
                    .await
                    .context("reading a plan's checkpoint")?;
                let snapshot = snapshot.map(|(upto_seq, state, state_vector)| Snapshot {
                    upto_seq,
                    state,
                    state_vector,
                });
                if snapshot.is_none() && !crate::store::PlanStore::plan_exists(self, plan).await? {
                    return Err(StoreError::NotFound(plan));
                }
                let after = snapshot.as_ref().map_or(0, |s| s.upto_seq);
                let updates: Vec<(i64, Vec<u8>)> = bind!(sqlx::query_as($sql(UPDATES_BETWEEN)), plan, after, seq)
                    .fetch_all(self.pool())
                    .await
                    .context("reading a plan's log up to a version")?;
                Ok(StoredPlan {
                    snapshot,
                    updates: updates
                        .into_iter()
                        .map(|(seq, update)| LoggedUpdate { seq, update })
                        .collect(),
                    clients: Vec::new(),
                    // A version is read, never edited.
                    closed: false,
                })
            }

            async fn moments(&self, plan: Uuid, limit: i64) -> Result<Vec<Moment>, StoreError> {
                let rows: Vec<(i64, DateTime<Utc>, String)> = bind!(sqlx::query_as($sql(MOMENTS)), plan, limit)
                    .fetch_all(self.pool())
                    .await
                    .context("reading a plan's moments")?;
                Ok(rows
                    .into_iter()
                    .map(|(seq, at, by)| Moment { seq, at, by })
                    .collect())
            }

            async fn moment(&self, plan: Uuid, seq: i64) -> Result<Option<Moment>, StoreError> {
                let row: Option<(i64, DateTime<Utc>, String)> = bind!(sqlx::query_as($sql(
                    "SELECT c.seq, c.at, u.name FROM plan_changes c JOIN users u ON u.id = c.user_id \
                     WHERE c.plan_id = $1 AND c.seq = $2",
                )), plan, seq)
                .fetch_optional(self.pool())
                .await
                .context("reading a moment")?;
                Ok(row.map(|(seq, at, by)| Moment { seq, at, by }))
            }

            async fn changes_between(
                &self,
                plan: Uuid,
                from: i64,
                to: i64,
            ) -> Result<Vec<(String, Vec<Change>)>, StoreError> {
                let rows: Vec<(String, Json<Vec<Change>>)> = bind!(sqlx::query_as($sql(CHANGES)), plan, from, to)
                    .fetch_all(self.pool())
                    .await
                    .context("reading changes between versions")?;
                Ok(rows.into_iter().map(|(by, changes)| (by, changes.0)).collect())
            }

            async fn insert_review(&self, review: &NewReview<'_>) -> Result<i32, StoreError> {
                let mut tx = self.begin_write().await?;
                let sql = $sql("SELECT max(number) FROM plan_reviews WHERE plan_id = $1");
                let last: Option<i32> = bind!(sqlx::query_scalar(sql), review.plan)
                        .fetch_one(&mut *tx)
                        .await
                        .context("numbering a review")?;
                let number = last.unwrap_or(0) + 1;
                let sql = $sql(
                    "INSERT INTO plan_reviews (plan_id, number, reviewed_on, by_user, lro_update, upto_seq, state) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7)",
                );
                let r = review;
                bind!(sqlx::query(sql), r.plan, number, r.reviewed_on, r.by, r.lro_update, r.upto_seq, r.state)
                .execute(&mut *tx)
                .await
                .context("recording a review")?;
                tx.commit().await.context("committing a review")?;
                Ok(number)
            }

            async fn reviews(&self, plan: Uuid) -> Result<Vec<ReviewRecord>, StoreError> {
                let rows: Vec<ReviewRow> = bind!(sqlx::query_as($sql(&format!(
                    "SELECT {REVIEW_COLUMNS} FROM plan_reviews r JOIN users u ON u.id = r.by_user \
                     WHERE r.plan_id = $1 ORDER BY r.number"
                ))), plan)
                .fetch_all(self.pool())
                .await
                .context("reading a plan's reviews")?;
                Ok(rows.into_iter().map(record).collect())
            }

            async fn review(&self, plan: Uuid, number: i32) -> Result<Option<(ReviewRecord, Vec<u8>)>, StoreError> {
                let row: Option<(i32, NaiveDate, DateTime<Utc>, String, String, i64, Vec<u8>)> =
                    bind!(sqlx::query_as($sql(&format!(
                        "SELECT {REVIEW_COLUMNS}, r.state FROM plan_reviews r JOIN users u ON u.id = r.by_user \
                     WHERE r.plan_id = $1 AND r.number = $2"
                    ))), plan, number)
                    .fetch_optional(self.pool())
                    .await
                    .context("reading a review")?;
                Ok(row.map(|(n, on, at, by, text, seq, state)| (record((n, on, at, by, text, seq)), state)))
            }

            async fn membership_of(&self, plan: Uuid, user: Uuid) -> Result<Membership, StoreError> {
                let changes: Vec<(DateTime<Utc>, Option<String>)> = bind!(sqlx::query_as($sql(
                    "SELECT at, new_role FROM plan_member_changes WHERE plan_id = $1 AND user_id = $2 ORDER BY id",
                )), plan, user)
                .fetch_all(self.pool())
                .await
                .context("reading a member's membership changes")?;
                let since: Option<DateTime<Utc>> = bind!(sqlx::query_scalar($sql(
                    "SELECT added_at FROM plan_members WHERE plan_id = $1 AND user_id = $2",
                )), plan, user)
                .fetch_optional(self.pool())
                .await
                .context("reading when a member was added")?;
                Ok((
                    changes
                        .into_iter()
                        .map(|(at, role)| (at, role.is_some()))
                        .collect(),
                    since,
                ))
            }
        }
    };
}

version_store!(PgStore, postgres_sql);
version_store!(SqliteStore, sqlite_sql);
