//! Where the portfolio's facts are kept: [`PortfolioStore`], the same SQL on
//! PostgreSQL and SQLite. The portfolio is read with three grouped queries
//! (plans; actions per plan and status; disruptions per plan, date and
//! level), so its cost follows the number of plans, not their size.

use super::rows::{assemble, plan_facts, ps_text};
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

#[async_trait::async_trait]
pub trait PortfolioStore: Send + Sync + 'static {
    /// Replaces everything kept for the plan, in one transaction. With
    /// `only_if_stale`, does nothing when facts of `version` are already kept
    /// (a room may have written newer ones meanwhile).
    async fn replace_facts(
        &self,
        plan: Uuid,
        version: i32,
        facts: &PlanFacts,
        actions: &[ActionFacts],
        only_if_stale: bool,
    ) -> Result<(), StoreError>;

    /// Writes what one batch of updates touched, in one transaction.
    async fn update_facts(
        &self,
        plan: Uuid,
        facts: Option<&PlanFacts>,
        actions: &[ActionFacts],
        removed: &[String],
    ) -> Result<(), StoreError>;

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
}

const MEMBER: &str = "($1 IS NULL OR plan_id IN (SELECT plan_id FROM plan_members WHERE user_id = $1))";
const AGENCY: &str = "($2 IS NULL OR lower(owner_agency) = lower($2))";
// `->>` reads a JSON field as text alike in PostgreSQL (jsonb) and SQLite.
const MEMBER_PLAN_NAMES: &str = "SELECT p.id, p.summary->>'subject_name', p.summary->>'subject_ref' FROM plans p \
     JOIN plan_members m ON m.plan_id = p.id WHERE m.user_id = $1";
const UPSERT_PLAN: &str = "INSERT INTO portfolio_plans (plan_id, facts_version, subject_kind, tier, next_review, threats) \
     VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (plan_id) DO UPDATE SET facts_version = excluded.facts_version, \
     subject_kind = excluded.subject_kind, tier = excluded.tier, next_review = excluded.next_review, threats = excluded.threats";
const UPSERT_ACTION: &str = "INSERT INTO portfolio_actions \
     (plan_id, action_id, status, action_date, target_date, disruption, owner_agency, ps, submitted, text, owner_name, update_text) \
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) ON CONFLICT (plan_id, action_id) DO UPDATE SET \
     status = excluded.status, action_date = excluded.action_date, target_date = excluded.target_date, \
     disruption = excluded.disruption, owner_agency = excluded.owner_agency, ps = excluded.ps, submitted = excluded.submitted, \
     text = excluded.text, owner_name = excluded.owner_name, update_text = excluded.update_text";

macro_rules! portfolio_store {
    ($store:ty, $sql:expr, $begin:expr) => {
        #[async_trait::async_trait]
        impl PortfolioStore for $store {
            async fn replace_facts(
                &self,
                plan: Uuid,
                version: i32,
                facts: &PlanFacts,
                actions: &[ActionFacts],
                only_if_stale: bool,
            ) -> Result<(), StoreError> {
                let mut tx = $begin(self).await?;
                if only_if_stale {
                    let kept: Option<i32> = sqlx::query_scalar($sql("SELECT facts_version FROM portfolio_plans WHERE plan_id = $1"))
                        .bind(plan)
                        .fetch_optional(&mut *tx)
                        .await
                        .context("reading a plan's portfolio facts")?;
                    if kept.is_some_and(|v| v >= version) {
                        return Ok(());
                    }
                }
                upsert_plan(&mut tx, plan, version, facts).await?;
                sqlx::query($sql("DELETE FROM portfolio_actions WHERE plan_id = $1"))
                    .bind(plan)
                    .execute(&mut *tx)
                    .await
                    .context("replacing a plan's portfolio facts")?;
                for action in actions {
                    upsert_action(&mut tx, plan, action).await?;
                }
                tx.commit().await.context("committing a plan's portfolio facts")
            }

            async fn update_facts(
                &self,
                plan: Uuid,
                facts: Option<&PlanFacts>,
                actions: &[ActionFacts],
                removed: &[String],
            ) -> Result<(), StoreError> {
                let mut tx = $begin(self).await?;
                if let Some(facts) = facts {
                    upsert_plan(&mut tx, plan, plan::portfolio::FACTS_VERSION, facts).await?;
                }
                for action in actions {
                    upsert_action(&mut tx, plan, action).await?;
                }
                for id in removed {
                    sqlx::query($sql("DELETE FROM portfolio_actions WHERE plan_id = $1 AND action_id = $2"))
                        .bind(plan)
                        .bind(id)
                        .execute(&mut *tx)
                        .await
                        .context("removing an action's portfolio facts")?;
                }
                tx.commit().await.context("committing portfolio facts")
            }

            async fn facts_version(&self, plan: Uuid) -> Result<Option<i32>, StoreError> {
                sqlx::query_scalar($sql("SELECT facts_version FROM portfolio_plans WHERE plan_id = $1"))
                    .bind(plan)
                    .fetch_optional(self.pool())
                    .await
                    .context("reading a plan's portfolio facts")
            }

            async fn plans_with_stale_facts(&self, version: i32) -> Result<Vec<Uuid>, StoreError> {
                sqlx::query_scalar($sql(
                    "SELECT p.id FROM plans p LEFT JOIN portfolio_plans f ON f.plan_id = p.id \
                     WHERE f.plan_id IS NULL OR f.facts_version < $1",
                ))
                .bind(version)
                .fetch_all(self.pool())
                .await
                .context("finding plans without portfolio facts")
            }

            async fn figures(&self, scope: FiguresScope<'_>) -> Result<Vec<PlanFigures>, StoreError> {
                let plans = sqlx::query($sql(&format!(
                    "SELECT plan_id, subject_kind, tier, next_review, threats FROM portfolio_plans WHERE {MEMBER}"
                )))
                .bind(scope.member)
                .fetch_all(self.pool())
                .await
                .context("reading the portfolio's plans")?
                .iter()
                .map(plan_facts)
                .collect::<Result<Vec<_>, _>>()
                .context("reading the portfolio's plans")?;
                let statuses: Vec<(Uuid, Option<String>, i64, i64)> = sqlx::query_as($sql(&format!(
                    "SELECT plan_id, status, COUNT(*), \
                     COALESCE(SUM(CASE WHEN target_date < $3 AND (status IS NULL OR status <> 'GREEN') THEN 1 ELSE 0 END), 0) \
                     FROM portfolio_actions WHERE {MEMBER} AND {AGENCY} GROUP BY plan_id, status"
                )))
                .bind(scope.member)
                .bind(scope.agency)
                .bind(scope.today)
                .fetch_all(self.pool())
                .await
                .context("counting the portfolio's actions")?;
                let disruptions: Vec<(Uuid, Option<NaiveDate>, String, i64)> = sqlx::query_as($sql(&format!(
                    "SELECT plan_id, action_date, disruption, COUNT(*) FROM portfolio_actions \
                     WHERE {MEMBER} AND {AGENCY} AND disruption IS NOT NULL \
                     AND (action_date IS NULL OR action_date BETWEEN $3 AND $4) \
                     GROUP BY plan_id, action_date, disruption"
                )))
                .bind(scope.member)
                .bind(scope.agency)
                .bind(scope.window.0)
                .bind(scope.window.1)
                .fetch_all(self.pool())
                .await
                .context("counting the portfolio's disruptions")?;
                Ok(assemble(plans, statuses, disruptions))
            }

            async fn member_plan_names(&self, user: Uuid) -> Result<Vec<(Uuid, String, String)>, StoreError> {
                sqlx::query_as($sql(MEMBER_PLAN_NAMES))
                    .bind(user)
                    .fetch_all(self.pool())
                    .await
                    .context("reading the names of a user's plans")
            }

            async fn action_agencies(&self, member: Option<Uuid>) -> Result<Vec<String>, StoreError> {
                let names: Vec<String> = sqlx::query_scalar($sql(&format!(
                    "SELECT DISTINCT owner_agency FROM portfolio_actions WHERE {MEMBER} AND owner_agency <> ''"
                )))
                .bind(member)
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

async fn pg_begin(store: &PgStore) -> Result<sqlx::Transaction<'static, sqlx::Postgres>, StoreError> {
    store.pool().begin().await.context("starting a portfolio write")
}

async fn sqlite_begin(store: &SqliteStore) -> Result<sqlx::Transaction<'static, sqlx::Sqlite>, StoreError> {
    store.begin_write().await
}

macro_rules! writes {
    ($db:ty, $sql:expr, $plan_fn:ident, $action_fn:ident) => {
        async fn $plan_fn(
            tx: &mut sqlx::Transaction<'static, $db>,
            plan: Uuid,
            version: i32,
            facts: &PlanFacts,
        ) -> Result<(), StoreError> {
            sqlx::query($sql(UPSERT_PLAN))
                .bind(plan)
                .bind(version)
                .bind(facts.subject_kind.map(|k| k.as_str()))
                .bind(facts.tier.map(|t| i32::from(t.get())))
                .bind(facts.next_review)
                .bind(facts.threats.join(","))
                .execute(&mut **tx)
                .await
                .context("writing a plan's portfolio facts")?;
            Ok(())
        }

        async fn $action_fn(
            tx: &mut sqlx::Transaction<'static, $db>,
            plan: Uuid,
            a: &ActionFacts,
        ) -> Result<(), StoreError> {
            sqlx::query($sql(UPSERT_ACTION))
                .bind(plan)
                .bind(&a.id)
                .bind(a.status.map(|s| s.as_str()))
                .bind(a.date)
                .bind(a.target_date)
                .bind(a.disruption.map(|d| d.as_str()))
                .bind(&a.owner_agency)
                .bind(ps_text(a))
                .bind(a.submitted)
                .bind(&a.text)
                .bind(&a.owner_name)
                .bind(&a.update)
                .execute(&mut **tx)
                .await
                .context("writing an action's portfolio facts")?;
            Ok(())
        }
    };
}

mod pg {
    use super::*;
    writes!(sqlx::Postgres, postgres_sql, upsert_plan, upsert_action);
    portfolio_store!(PgStore, postgres_sql, pg_begin);
}

mod lite {
    use super::*;
    writes!(sqlx::Sqlite, sqlite_sql, upsert_plan, upsert_action);
    portfolio_store!(SqliteStore, sqlite_sql, sqlite_begin);
}
