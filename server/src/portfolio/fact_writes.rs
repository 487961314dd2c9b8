//! Writing a plan's portfolio facts: the SQL, guarded by the seq each write
//! is as of, a transaction per plan in which one plan's writes take turns,
//! and [`writes!`], the statements for one database, which
//! [`super::store`] expands for each.

use crate::store::bind;
use crate::store::{DbContext, PgStore, SqliteStore, StoreError};
use uuid::Uuid;

// Every write names the seq its facts are as of, and replaces only what was
// kept from that seq or an earlier one.
pub(super) const UPSERT_PLAN: &str = "INSERT INTO portfolio_plans (plan_id, facts_version, subject_kind, tier, next_review, threats, upto_seq) \
     VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (plan_id) DO UPDATE SET facts_version = excluded.facts_version, \
     subject_kind = excluded.subject_kind, tier = excluded.tier, next_review = excluded.next_review, threats = excluded.threats, \
     upto_seq = excluded.upto_seq WHERE portfolio_plans.upto_seq <= excluded.upto_seq";
// An action removed as of a later seq is not written back.
pub(super) const UPSERT_ACTION: &str = "INSERT INTO portfolio_actions \
     (plan_id, action_id, status, action_date, target_date, disruption, owner_agency, ps, submitted, text, owner_name, update_text, upto_seq) \
     SELECT $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13 WHERE NOT EXISTS \
     (SELECT 1 FROM portfolio_removed_actions WHERE plan_id = $1 AND action_id = $2 AND upto_seq > $13) \
     ON CONFLICT (plan_id, action_id) DO UPDATE SET \
     status = excluded.status, action_date = excluded.action_date, target_date = excluded.target_date, \
     disruption = excluded.disruption, owner_agency = excluded.owner_agency, ps = excluded.ps, submitted = excluded.submitted, \
     text = excluded.text, owner_name = excluded.owner_name, update_text = excluded.update_text, upto_seq = excluded.upto_seq \
     WHERE portfolio_actions.upto_seq <= excluded.upto_seq";
pub(super) const REMOVE_ACTION: &str =
    "DELETE FROM portfolio_actions WHERE plan_id = $1 AND action_id = $2 AND upto_seq <= $3";
pub(super) const MARK_REMOVED: &str =
    "INSERT INTO portfolio_removed_actions (plan_id, action_id, upto_seq) VALUES ($1, $2, $3) \
     ON CONFLICT (plan_id, action_id) DO UPDATE SET upto_seq = excluded.upto_seq \
     WHERE portfolio_removed_actions.upto_seq < excluded.upto_seq";

/// A transaction for writing `plan`'s facts. Writes of one plan's facts
/// take turns: each then sees what the one before it committed (a removal
/// in particular), which the seq guards compare against.
pub(super) async fn pg_begin(
    store: &PgStore,
    plan: Uuid,
) -> Result<sqlx::Transaction<'static, sqlx::Postgres>, StoreError> {
    let mut tx = store.pool().begin().await.context("starting a portfolio write")?;
    bind!(
        sqlx::query("SELECT pg_advisory_xact_lock(hashtextextended('pillars facts ' || $1::text, 0))"),
        plan
    )
    .execute(&mut *tx)
    .await
    .context("waiting for a plan's other portfolio writes")?;
    Ok(tx)
}

/// SQLite has one writer at a time already.
pub(super) async fn sqlite_begin(
    store: &SqliteStore,
    _plan: Uuid,
) -> Result<sqlx::Transaction<'static, sqlx::Sqlite>, StoreError> {
    store.begin_write().await
}

macro_rules! writes {
    ($db:ty, $sql:expr) => {
        async fn upsert_plan(
            tx: &mut sqlx::Transaction<'static, $db>,
            plan: Uuid,
            version: i32,
            seq: i64,
            facts: &PlanFacts,
        ) -> Result<(), StoreError> {
            bind!(
                sqlx::query($sql(UPSERT_PLAN)),
                plan,
                version,
                facts.subject_kind.map(|k| k.as_str()),
                facts.tier.map(|t| i32::from(t.get())),
                facts.next_review,
                facts.threats.join(","),
                seq
            )
            .execute(&mut **tx)
            .await
            .context("writing a plan's portfolio facts")?;
            Ok(())
        }

        async fn upsert_action(
            tx: &mut sqlx::Transaction<'static, $db>,
            plan: Uuid,
            seq: i64,
            a: &ActionFacts,
        ) -> Result<(), StoreError> {
            bind!(
                sqlx::query($sql(UPSERT_ACTION)),
                plan,
                &a.id,
                a.status.map(|s| s.as_str()),
                a.date,
                a.target_date,
                a.disruption.map(|d| d.as_str()),
                &a.owner_agency,
                ps_text(a),
                a.submitted,
                &a.text,
                &a.owner_name,
                &a.update,
                seq
            )
            .execute(&mut **tx)
            .await
            .context("writing an action's portfolio facts")?;
            Ok(())
        }

        async fn remove_action(
            tx: &mut sqlx::Transaction<'static, $db>,
            plan: Uuid,
            id: &str,
            seq: i64,
        ) -> Result<(), StoreError> {
            for statement in [REMOVE_ACTION, MARK_REMOVED] {
                bind!(sqlx::query($sql(statement)), plan, id, seq)
                    .execute(&mut **tx)
                    .await
                    .context("removing an action's portfolio facts")?;
            }
            Ok(())
        }
    };
}

pub(super) use writes;
