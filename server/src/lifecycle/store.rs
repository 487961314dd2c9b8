//! [`LifecycleStore`] on PostgreSQL and SQLite, with the same SQL. A
//! step of a plan's life changes `plans.state` and records the step in
//! `plan_lifecycle_events` in one transaction, or does neither.

use crate::store::bind;
use crate::store::{postgres_sql, sqlite_sql};
use crate::store::{DbContext, PgStore, SqliteStore, StoreError};
use chrono::{DateTime, NaiveDate, Utc};
use plan::lifecycle::{Closing, LifeEvent, Outcome, PlanLife};
use plan::SecurityMarking;
use uuid::Uuid;

#[async_trait::async_trait]
pub trait LifecycleStore: Send + Sync + 'static {
    /// Closes an open plan, with its first retention review on
    /// `review_on`, and records it. `false` (nothing done) if the plan is
    /// not open.
    async fn close_plan(&self, close: Close<'_>) -> Result<bool, StoreError>;
    /// Reopens a closed plan and records why. `false` if it is not closed.
    async fn reopen_plan(&self, plan: Uuid, by: Uuid, reason: &str) -> Result<bool, StoreError>;
    /// Where the plan is in its life; `None` if there is no such plan.
    async fn plan_life(&self, plan: Uuid) -> Result<Option<PlanLife>, StoreError>;
    /// The plan's marking, as its summary holds it.
    async fn plan_marking(&self, plan: Uuid) -> Result<Option<SecurityMarking>, StoreError>;
}

/// A plan's closing by its LRO: what they recorded, and when the plan's
/// first retention review falls.
#[derive(Debug, Clone, Copy)]
pub struct Close<'a> {
    pub plan: Uuid,
    pub by: Uuid,
    pub closing: &'a Closing,
    pub review_on: NaiveDate,
}

const CLOSE: &str = "UPDATE plans SET state = 'closed', closed_at = $2, retention_review_on = $3 \
     WHERE id = $1 AND state = 'open'";
const REOPEN: &str = "UPDATE plans SET state = 'open', closed_at = NULL, retention_review_on = NULL \
     WHERE id = $1 AND state = 'closed'";
const RECORD_CLOSED: &str = "INSERT INTO plan_lifecycle_events \
     (plan_id, at, by_user, event, outcome, summary, disruptions, review_on) \
     VALUES ($1, $2, $3, 'closed', $4, $5, $6, $7)";
const RECORD_REOPENED: &str = "INSERT INTO plan_lifecycle_events \
     (plan_id, at, by_user, event, outcome, summary, disruptions, review_on) \
     VALUES ($1, $2, $3, 'reopened', NULL, $4, '', NULL)";
const STATE: &str = "SELECT state, closed_at, retention_review_on FROM plans WHERE id = $1";
const EVENTS: &str = "SELECT e.at, u.name, e.event, e.outcome, e.summary, e.disruptions, e.review_on \
     FROM plan_lifecycle_events e JOIN users u ON u.id = e.by_user WHERE e.plan_id = $1 ORDER BY e.id";
// `->>` reads a JSON field as text alike in PostgreSQL (jsonb) and SQLite.
const MARKING: &str = "SELECT summary->>'marking' FROM plans WHERE id = $1";

type EventRow = (
    DateTime<Utc>,
    String,
    String,
    Option<String>,
    String,
    String,
    Option<NaiveDate>,
);

fn event((at, by, event, outcome, summary, disruptions, review_on): EventRow) -> LifeEvent {
    LifeEvent {
        at,
        by,
        event,
        outcome: outcome.as_deref().and_then(Outcome::parse),
        summary,
        disruptions,
        review_on,
    }
}

macro_rules! lifecycle_store {
    ($store:ty, $sql:expr) => {
        #[async_trait::async_trait]
        impl LifecycleStore for $store {
            async fn close_plan(&self, close: Close<'_>) -> Result<bool, StoreError> {
                let (plan, by, closing, review_on) = (close.plan, close.by, close.closing, close.review_on);
                let now = Utc::now();
                let mut tx = self.begin_write().await?;
                let done = bind!(sqlx::query($sql(CLOSE)), plan, now, review_on)
                    .execute(&mut *tx)
                    .await
                    .context("closing a plan")?;
                if done.rows_affected() != 1 {
                    return Ok(false);
                }
                let outcome = closing.outcome.key();
                bind!(
                    sqlx::query($sql(RECORD_CLOSED)),
                    plan,
                    now,
                    by,
                    outcome,
                    &closing.summary,
                    &closing.disruptions,
                    review_on
                )
                .execute(&mut *tx)
                .await
                .context("recording a plan's closing")?;
                tx.commit().await.context("closing a plan")?;
                Ok(true)
            }

            async fn reopen_plan(&self, plan: Uuid, by: Uuid, reason: &str) -> Result<bool, StoreError> {
                let now = Utc::now();
                let mut tx = self.begin_write().await?;
                let done = bind!(sqlx::query($sql(REOPEN)), plan)
                    .execute(&mut *tx)
                    .await
                    .context("reopening a plan")?;
                if done.rows_affected() != 1 {
                    return Ok(false);
                }
                bind!(sqlx::query($sql(RECORD_REOPENED)), plan, now, by, reason)
                    .execute(&mut *tx)
                    .await
                    .context("recording a plan's reopening")?;
                tx.commit().await.context("reopening a plan")?;
                Ok(true)
            }

            async fn plan_life(&self, plan: Uuid) -> Result<Option<PlanLife>, StoreError> {
                let state: Option<(String, Option<DateTime<Utc>>, Option<NaiveDate>)> =
                    bind!(sqlx::query_as($sql(STATE)), plan)
                        .fetch_optional(self.pool())
                        .await
                        .context("reading a plan's state")?;
                let Some((state, closed_at, review_on)) = state else {
                    return Ok(None);
                };
                let events: Vec<EventRow> = bind!(sqlx::query_as($sql(EVENTS)), plan)
                    .fetch_all(self.pool())
                    .await
                    .context("reading a plan's life")?;
                Ok(Some(PlanLife {
                    closed: state == "closed",
                    closed_at,
                    review_on,
                    events: events.into_iter().map(event).collect(),
                }))
            }

            async fn plan_marking(&self, plan: Uuid) -> Result<Option<SecurityMarking>, StoreError> {
                let marking: Option<Option<String>> = bind!(sqlx::query_scalar($sql(MARKING)), plan)
                    .fetch_optional(self.pool())
                    .await
                    .context("reading a plan's marking")?;
                Ok(marking.flatten().map(|m| m.parse().unwrap_or_default()))
            }
        }
    };
}

lifecycle_store!(PgStore, postgres_sql);
lifecycle_store!(SqliteStore, sqlite_sql);
