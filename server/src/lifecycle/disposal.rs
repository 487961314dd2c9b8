//! [`DisposalStore`]: retention reviews of closed plans, and disposal, on
//! PostgreSQL and SQLite. Disposal erases every row of the plan, in every
//! table that names it ([`PLAN_TABLES`]), in one transaction marked as
//! disposing of it (the only place the append-only triggers let its rows
//! go), and leaves a tombstone.

use crate::store::bind;
use crate::store::{postgres_sql, sqlite_sql};
use crate::store::{DbContext, PgStore, SqliteStore, StoreError};
use chrono::{DateTime, NaiveDate, Utc};
use plan::lifecycle::{DueReview, Tombstone};
use uuid::Uuid;

/// Every table with a `plan_id` column, in the order their rows go (those
/// that refer to others first). `tests/it` checks it against the schema.
pub const PLAN_TABLES: [&str; 20] = [
    "notifications",
    "access_log",
    "break_glass_grants",
    "plan_comment_events",
    "plan_comments",
    "plan_suggestions",
    "plan_lifecycle_events",
    "plan_vetting_changes",
    "plan_redactions",
    "plan_reviews",
    "plan_changes",
    "plan_member_changes",
    "plan_clients",
    "plan_invitations",
    "portfolio_actions",
    "portfolio_removed_actions",
    "portfolio_plans",
    "plan_members",
    "plan_updates",
    "plan_snapshots",
];

/// A reviewer's decision on a closed plan: who, why, and on what day (the
/// plan must be due for review by then).
#[derive(Debug, Clone, Copy)]
pub struct Review<'a> {
    pub plan: Uuid,
    pub by: Uuid,
    pub reason: &'a str,
    pub today: NaiveDate,
}

#[async_trait::async_trait]
pub trait DisposalStore: Send + Sync + 'static {
    /// Closed plans whose retention review falls on or before `today`.
    async fn retention_due(&self, today: NaiveDate) -> Result<Vec<DueReview>, StoreError>;
    /// Records a decision to keep a closed plan whose review is due, until
    /// `next`. `false` (nothing done) unless the plan is closed and due.
    async fn retain_plan(&self, review: Review<'_>, next: NaiveDate) -> Result<bool, StoreError>;
    /// Erases a closed plan whose review is due and leaves its tombstone;
    /// `None` (nothing done) unless it is closed and due.
    async fn dispose_plan(&self, review: Review<'_>) -> Result<Option<Tombstone>, StoreError>;
}

const DUE: &str = "SELECT p.id, p.summary->>'subject_ref', p.closed_at, p.retention_review_on FROM plans p \
     WHERE p.state = 'closed' AND p.retention_review_on <= $1 ORDER BY p.retention_review_on, p.id";
const RETAIN: &str = "UPDATE plans SET retention_review_on = $2 \
     WHERE id = $1 AND state = 'closed' AND retention_review_on <= $3";
const RECORD_RETAINED: &str = "INSERT INTO plan_lifecycle_events (plan_id, at, by_user, event, summary, review_on) \
     VALUES ($1, $2, $3, 'retained', $4, $5)";
const DUE_ONE: &str = "SELECT p.summary->>'subject_ref', p.created_at, p.closed_at FROM plans p \
     WHERE p.id = $1 AND p.state = 'closed' AND p.retention_review_on <= $2";
const RETURNS: &str = "SELECT id, plan_ids, rows_json FROM disruption_returns WHERE plan_ids LIKE $1";
const TOMBSTONE: &str = "INSERT INTO plan_tombstones \
     (plan_id, subject_ref, opened_at, closed_at, disposed_at, decided_by, reason) VALUES ($1, $2, $3, $4, $5, $6, $7)";

/// PostgreSQL: the mark the triggers look for, for this transaction only.
const PG_MARK: &str = "SELECT set_config('pillars.disposing', $1::text, true)";
/// SQLite: the mark is a row, gone before the transaction ends.
const SQLITE_MARK: &str = "INSERT INTO disposing (plan_id) VALUES ($1)";
const SQLITE_UNMARK: [&str; 1] = ["DELETE FROM disposing WHERE plan_id = $1"];
const PG_UNMARK: [&str; 0] = [];

/// A disruption return's plans and rows without `plan`'s: `None` when it
/// named that plan alone (it goes whole).
fn without(plan: Uuid, plan_ids: &str, rows_json: &str) -> Result<Option<(String, String)>, sqlx::Error> {
    let id = plan.to_string();
    let left: Vec<&str> = plan_ids.split(',').filter(|p| *p != id).collect();
    if left.is_empty() {
        return Ok(None);
    }
    let mut content: serde_json::Value =
        serde_json::from_str(rows_json).map_err(|e| sqlx::Error::Decode(Box::new(e)))?;
    if let Some(rows) = content.get_mut("rows").and_then(|r| r.as_array_mut()) {
        rows.retain(|row| row.get("plan_id").and_then(|p| p.as_str()) != Some(id.as_str()));
    }
    Ok(Some((left.join(","), content.to_string())))
}

macro_rules! disposal_store {
    ($store:ty, $sql:expr, $mark:expr, $unmark:expr) => {
        #[async_trait::async_trait]
        impl DisposalStore for $store {
            async fn retention_due(&self, today: NaiveDate) -> Result<Vec<DueReview>, StoreError> {
                let rows: Vec<(Uuid, Option<String>, Option<DateTime<Utc>>, NaiveDate)> =
                    bind!(sqlx::query_as($sql(DUE)), today)
                        .fetch_all(self.pool())
                        .await
                        .context("listing retention reviews due")?;
                Ok(rows
                    .into_iter()
                    .map(|(plan, subject_ref, closed_at, review_on)| DueReview {
                        plan,
                        subject_ref: subject_ref.unwrap_or_default(),
                        closed_at,
                        review_on,
                    })
                    .collect())
            }

            async fn retain_plan(&self, review: Review<'_>, next: NaiveDate) -> Result<bool, StoreError> {
                let (plan, by, reason, today) = (review.plan, review.by, review.reason, review.today);
                let mut tx = self.begin_write().await?;
                let done = bind!(sqlx::query($sql(RETAIN)), plan, next, today)
                    .execute(&mut *tx)
                    .await
                    .context("retaining a plan")?;
                if done.rows_affected() != 1 {
                    return Ok(false);
                }
                bind!(
                    sqlx::query($sql(RECORD_RETAINED)),
                    plan,
                    Utc::now(),
                    by,
                    reason,
                    next
                )
                .execute(&mut *tx)
                .await
                .context("recording a retention decision")?;
                tx.commit().await.context("retaining a plan")?;
                Ok(true)
            }

            async fn dispose_plan(&self, review: Review<'_>) -> Result<Option<Tombstone>, StoreError> {
                let (plan, by, reason, today) = (review.plan, review.by, review.reason, review.today);
                let mut tx = self.begin_write().await?;
                let due: Option<(Option<String>, DateTime<Utc>, Option<DateTime<Utc>>)> =
                    bind!(sqlx::query_as($sql(DUE_ONE)), plan, today)
                        .fetch_optional(&mut *tx)
                        .await
                        .context("reading a plan to dispose of")?;
                let Some((subject_ref, opened_at, closed_at)) = due else {
                    return Ok(None);
                };
                bind!(sqlx::query($sql($mark)), plan)
                    .execute(&mut *tx)
                    .await
                    .context("marking a disposal")?;
                let returns: Vec<(Uuid, String, String)> = bind!(sqlx::query_as($sql(RETURNS)), format!("%{plan}%"))
                    .fetch_all(&mut *tx)
                    .await
                    .context("reading the disruption returns that name a plan")?;
                for (id, plan_ids, rows_json) in returns {
                    match without(plan, &plan_ids, &rows_json).context("rewriting a disruption return")? {
                        None => bind!(
                            sqlx::query($sql("DELETE FROM disruption_returns WHERE id = $1")),
                            id
                        ),
                        Some((ids, rows)) => bind!(
                            sqlx::query($sql(
                                "UPDATE disruption_returns SET plan_ids = $2, rows_json = $3 WHERE id = $1"
                            )),
                            id,
                            ids,
                            rows
                        ),
                    }
                    .execute(&mut *tx)
                    .await
                    .context("erasing a plan from a disruption return")?;
                }
                for table in PLAN_TABLES {
                    // The table names are this file's own constants.
                    let sql = $sql(&format!("DELETE FROM {table} WHERE plan_id = $1"));
                    bind!(sqlx::query(sql), plan)
                        .execute(&mut *tx)
                        .await
                        .context("erasing a plan's rows")?;
                }
                bind!(sqlx::query($sql("DELETE FROM plans WHERE id = $1")), plan)
                    .execute(&mut *tx)
                    .await
                    .context("erasing a plan")?;
                let tombstone = Tombstone {
                    plan,
                    subject_ref: subject_ref.unwrap_or_default(),
                    opened_at,
                    closed_at,
                    disposed_at: Utc::now(),
                    reason: reason.to_string(),
                };
                let t = &tombstone;
                bind!(
                    sqlx::query($sql(TOMBSTONE)),
                    plan,
                    &t.subject_ref,
                    t.opened_at,
                    t.closed_at,
                    t.disposed_at,
                    by,
                    reason
                )
                .execute(&mut *tx)
                .await
                .context("leaving a plan's tombstone")?;
                for unmark in $unmark {
                    bind!(sqlx::query($sql(unmark)), plan)
                        .execute(&mut *tx)
                        .await
                        .context("ending a disposal")?;
                }
                tx.commit().await.context("disposing of a plan")?;
                Ok(Some(tombstone))
            }
        }
    };
}

disposal_store!(PgStore, postgres_sql, PG_MARK, PG_UNMARK);
disposal_store!(SqliteStore, sqlite_sql, SQLITE_MARK, SQLITE_UNMARK);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_return_of_several_plans_loses_only_the_disposed_ones_rows() {
        let (a, b) = (Uuid::new_v4(), Uuid::new_v4());
        let rows = serde_json::json!({ "marking": "OFFICIAL-SENSITIVE", "rows": [
            { "plan_id": a.to_string(), "text": "gone" }, { "plan_id": b.to_string(), "text": "kept" }
        ]})
        .to_string();
        let (ids, left) = without(a, &format!("{a},{b}"), &rows).unwrap().unwrap();
        assert_eq!(ids, b.to_string());
        assert!(left.contains("kept") && !left.contains("gone"));
        assert!(
            without(a, &a.to_string(), &rows).unwrap().is_none(),
            "a return of it alone goes"
        );
    }
}
