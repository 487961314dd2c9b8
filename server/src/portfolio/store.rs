//! Where the portfolio's facts are kept: [`PortfolioStore`], the same SQL on
//! PostgreSQL and SQLite. The portfolio is read with three grouped queries
//! (plans; actions per plan and status; disruptions per plan, date and
//! level), so its cost follows the number of plans, not their size.

use super::fact_writes::{pg_begin, sqlite_begin, writes, MARK_REMOVED, REMOVE_ACTION, UPSERT_ACTION, UPSERT_PLAN};
use super::rows::{assemble, ps_text};
use crate::store::bind;
use crate::store::{postgres_sql, sqlite_sql, DbContext, PgStore, SqliteStore, StoreError};
use chrono::NaiveDate;
use plan::portfolio::{ActionFacts, PlanFacts, PlanFigures};
use uuid::Uuid;

/// Which plans and actions a portfolio read covers.
#[derive(Debug, Clone, Copy)]
pub struct FiguresScope<'a> {
    /// Only this user's plans (`None`: every plan).
    pub member: Option<Uuid>,
    /// Only actions this agency owns (matched without regard to case).
    pub agency: Option<&'a str>,
    pub today: NaiveDate,
    /// Disruptions dated in this window (undated ones always).
    pub window: (NaiveDate, NaiveDate),
}

/// Every fact of a plan as of `seq`, to replace what is kept.
#[derive(Debug, Clone, Copy)]
pub struct AllFacts<'a> {
    pub plan: Uuid,
    pub seq: i64,
    pub facts: &'a PlanFacts,
    /// Every action of the plan: those kept but not here count as removed.
    pub actions: &'a [ActionFacts],
}

/// What one batch of updates touched, as of `seq`.
#[derive(Debug, Clone, Copy)]
pub struct FactsAsOf<'a> {
    pub plan: Uuid,
    pub seq: i64,
    /// The plan's own facts, if the batch touched them.
    pub facts: Option<&'a PlanFacts>,
    pub actions: &'a [ActionFacts],
    /// Ids of the actions the batch deleted.
    pub removed: &'a [String],
}

#[async_trait::async_trait]
pub trait PortfolioStore: Send + Sync + 'static {
    /// Replaces everything kept for the plan with its facts as of `seq`, in
    /// one transaction; facts kept from a later seq stay. With
    /// `only_if_stale`, does nothing when facts of the current version are kept
    /// (a room may have written newer ones meanwhile).
    async fn replace_facts(&self, all: AllFacts<'_>, only_if_stale: bool) -> Result<(), StoreError>;

    /// Writes what one batch of updates touched, as of `seq`, in one
    /// transaction. A row kept from a later seq stays, and an action removed
    /// as of a later seq stays removed: rooms of the plan on other nodes
    /// write too, and their commits may land in any order.
    async fn update_facts(&self, some: FactsAsOf<'_>) -> Result<(), StoreError>;

    /// The version of the facts kept for the plan, if any.
    async fn facts_version(&self, plan: Uuid) -> Result<Option<i32>, StoreError>;

    /// Plans with no facts, or facts older than `version`.
    async fn plans_with_stale_facts(&self, version: i32) -> Result<Vec<Uuid>, StoreError>;

    /// Every plan's figures in the scope.
    async fn figures(&self, scope: FiguresScope<'_>) -> Result<Vec<PlanFigures>, StoreError>;

    /// The plans `user` is a member of: (id, subject name, subject ref).
    async fn member_plan_names(&self, user: Uuid) -> Result<Vec<(Uuid, String, String)>, StoreError>;

    /// The agencies owning actions in the plans of the scope, by name.
    async fn action_agencies(&self, member: Option<Uuid>) -> Result<Vec<String>, StoreError>;

    /// Plans of the scope closed from `from` until `until` (exclusive), by
    /// the outcome they were closed with: (outcome key, how many).
    async fn closed_between(
        &self,
        member: Option<Uuid>,
        from: chrono::DateTime<chrono::Utc>,
        until: chrono::DateTime<chrono::Utc>,
    ) -> Result<Vec<(String, i64)>, StoreError>;
}

// A member shut out by vetting counts as no member (`cleared_members`).
const MEMBER: &str = "($1 IS NULL OR plan_id IN (SELECT plan_id FROM cleared_members WHERE user_id = $1))";
// Closed plans leave the live figures.
const OPEN: &str = "plan_id IN (SELECT id FROM plans WHERE state = 'open')";
const AGENCY: &str = "($2 IS NULL OR lower(owner_agency) = lower($2))";
// A closed plan counts under the outcome of its latest closing.
const CLOSED_BETWEEN: &str = "SELECT COALESCE(e.outcome, 'other'), COUNT(*) FROM plans p \
     JOIN plan_lifecycle_events e ON e.plan_id = p.id AND e.id = \
       (SELECT max(id) FROM plan_lifecycle_events WHERE plan_id = p.id AND event = 'closed') \
     WHERE p.state = 'closed' AND p.closed_at >= $2 AND p.closed_at < $3 \
       AND ($1 IS NULL OR p.id IN (SELECT plan_id FROM cleared_members WHERE user_id = $1)) \
     GROUP BY COALESCE(e.outcome, 'other')";
// `->>` reads a JSON field as text alike in PostgreSQL (jsonb) and SQLite.
const MEMBER_PLAN_NAMES: &str = "SELECT p.id, p.summary->>'subject_name', p.summary->>'subject_ref' FROM plans p \
     JOIN cleared_members m ON m.plan_id = p.id WHERE m.user_id = $1";

macro_rules! portfolio_store {
    ($store:ty, $sql:expr, $begin:expr) => {
        #[async_trait::async_trait]
        impl PortfolioStore for $store {
            async fn replace_facts(&self, all: AllFacts<'_>, only_if_stale: bool) -> Result<(), StoreError> {
                let AllFacts { plan, seq, facts, actions } = all;
                let version = plan::portfolio::FACTS_VERSION;
                let mut tx = $begin(self, plan).await?;
                if only_if_stale {
                    let kept: Option<i32> = bind!(sqlx::query_scalar($sql("SELECT facts_version FROM portfolio_plans WHERE plan_id = $1")), plan)
                        .fetch_optional(&mut *tx)
                        .await
                        .context("reading a plan's portfolio facts")?;
                    if kept.is_some_and(|v| v >= version) {
                        return Ok(());
                    }
                }
                upsert_plan(&mut tx, plan, version, seq, facts).await?;
                // Actions kept but no longer in the plan count as removed.
                let kept: Vec<String> = bind!(sqlx::query_scalar($sql(
                    "SELECT action_id FROM portfolio_actions WHERE plan_id = $1 AND upto_seq <= $2",
                )), plan, seq)
                .fetch_all(&mut *tx)
                .await
                .context("reading a plan's portfolio facts")?;
                let current: std::collections::HashSet<&str> = actions.iter().map(|a| a.id.as_str()).collect();
                for id in kept.iter().filter(|id| !current.contains(id.as_str())) {
                    remove_action(&mut tx, plan, id, seq).await?;
                }
                for action in actions {
                    upsert_action(&mut tx, plan, seq, action).await?;
                }
                tx.commit().await.context("committing a plan's portfolio facts")
            }

            async fn update_facts(&self, some: FactsAsOf<'_>) -> Result<(), StoreError> {
                let FactsAsOf { plan, seq, facts, actions, removed } = some;
                let mut tx = $begin(self, plan).await?;
                if let Some(facts) = facts {
                    upsert_plan(&mut tx, plan, plan::portfolio::FACTS_VERSION, seq, facts).await?;
                }
                for action in actions {
                    upsert_action(&mut tx, plan, seq, action).await?;
                }
                for id in removed {
                    remove_action(&mut tx, plan, id, seq).await?;
                }
                tx.commit().await.context("committing portfolio facts")
            }

            async fn facts_version(&self, plan: Uuid) -> Result<Option<i32>, StoreError> {
                bind!(sqlx::query_scalar($sql("SELECT facts_version FROM portfolio_plans WHERE plan_id = $1")), plan)
                    .fetch_optional(self.pool())
                    .await
                    .context("reading a plan's portfolio facts")
            }

            async fn plans_with_stale_facts(&self, version: i32) -> Result<Vec<Uuid>, StoreError> {
                bind!(sqlx::query_scalar($sql(
                    "SELECT p.id FROM plans p LEFT JOIN portfolio_plans f ON f.plan_id = p.id \
                     WHERE f.plan_id IS NULL OR f.facts_version < $1",
                )), version)
                .fetch_all(self.pool())
                .await
                .context("finding plans without portfolio facts")
            }

            async fn figures(&self, scope: FiguresScope<'_>) -> Result<Vec<PlanFigures>, StoreError> {
                let plans = bind!(sqlx::query_as($sql(&format!(
                    "SELECT plan_id, subject_kind, tier, next_review, threats FROM portfolio_plans WHERE {MEMBER} AND {OPEN}"
                ))), scope.member)
                .fetch_all(self.pool())
                .await
                .context("reading the portfolio's plans")?;
                let statuses: Vec<(Uuid, Option<String>, i64, i64)> = bind!(sqlx::query_as($sql(&format!(
                    "SELECT plan_id, status, COUNT(*), \
                     COALESCE(SUM(CASE WHEN target_date < $3 AND (status IS NULL OR status <> 'GREEN') THEN 1 ELSE 0 END), 0) \
                     FROM portfolio_actions WHERE {MEMBER} AND {OPEN} AND {AGENCY} GROUP BY plan_id, status"
                ))), scope.member, scope.agency, scope.today)
                .fetch_all(self.pool())
                .await
                .context("counting the portfolio's actions")?;
                let disruptions: Vec<(Uuid, Option<NaiveDate>, String, i64)> = bind!(sqlx::query_as($sql(&format!(
                    "SELECT plan_id, action_date, disruption, COUNT(*) FROM portfolio_actions \
                     WHERE {MEMBER} AND {OPEN} AND {AGENCY} AND disruption IS NOT NULL \
                     AND (action_date IS NULL OR action_date BETWEEN $3 AND $4) \
                     GROUP BY plan_id, action_date, disruption"
                ))), scope.member, scope.agency, scope.window.0, scope.window.1)
                .fetch_all(self.pool())
                .await
                .context("counting the portfolio's disruptions")?;
                Ok(assemble(plans, statuses, disruptions))
            }

            async fn member_plan_names(&self, user: Uuid) -> Result<Vec<(Uuid, String, String)>, StoreError> {
                bind!(sqlx::query_as($sql(MEMBER_PLAN_NAMES)), user)
                    .fetch_all(self.pool())
                    .await
                    .context("reading the names of a user's plans")
            }

            async fn closed_between(
                &self,
                member: Option<Uuid>,
                from: chrono::DateTime<chrono::Utc>,
                until: chrono::DateTime<chrono::Utc>,
            ) -> Result<Vec<(String, i64)>, StoreError> {
                bind!(sqlx::query_as($sql(CLOSED_BETWEEN)), member, from, until)
                    .fetch_all(self.pool())
                    .await
                    .context("counting the plans closed in a period")
            }

            async fn action_agencies(&self, member: Option<Uuid>) -> Result<Vec<String>, StoreError> {
                let names: Vec<String> = bind!(sqlx::query_scalar($sql(&format!(
                    "SELECT DISTINCT owner_agency FROM portfolio_actions WHERE {MEMBER} AND owner_agency <> ''"
                ))), member)
                .fetch_all(self.pool())
                .await
                .context("listing the portfolio's agencies")?;
                let mut names = names;
                names.sort_by_key(|n| n.to_lowercase());
                names.dedup_by_key(|n| n.to_lowercase());
                Ok(names)
            }
        }
    };
}

mod pg {
    use super::*;
    writes!(sqlx::Postgres, postgres_sql);
    portfolio_store!(PgStore, postgres_sql, pg_begin);
}

mod lite {
    use super::*;
    writes!(sqlx::Sqlite, sqlite_sql);
    portfolio_store!(SqliteStore, sqlite_sql, sqlite_begin);
}
