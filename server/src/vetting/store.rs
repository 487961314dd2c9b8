//! [`VettingStore`] on PostgreSQL and SQLite, with the same SQL. Who is
//! cleared for which plan is the database's own judgement (the views
//! `plan_vetting`, `vetting_clearances` and `cleared_members`); this store
//! writes the force's settings into it, changes people's and plans'
//! levels (each change recorded in the same transaction) and reads who is
//! shut out.

use crate::store::bind;
use crate::store::{postgres_sql, sqlite_sql, DbContext, PgStore, SqliteStore, StoreError};
use chrono::{DateTime, Utc};
use plan::vetting::{HeldVetting, VettingPolicy};
use uuid::Uuid;

pub use super::records::{
    Clearance, NoSuchPlan, PlanNeeds, PlanRaise, PlanVettingChange, VettingChange, VettingChangeEntry,
};

#[async_trait::async_trait]
pub trait VettingStore: Send + Sync + 'static {
    /// Writes the force's levels and what each marking implies (at start),
    /// replacing what was there, in one transaction.
    async fn configure(&self, policy: &VettingPolicy) -> Result<(), StoreError>;
    /// Sets a person's vetting and records the change, in one transaction;
    /// their vetting before, or `None` (nothing done) if there is no such
    /// person. Nothing is recorded when nothing changes.
    async fn set_vetting(&self, change: VettingChange<'_>) -> Result<Option<HeldVetting>, StoreError>;
    /// Recorded changes of people's vetting, newest first (`user`'s only,
    /// if given), at most `limit`.
    async fn vetting_changes(&self, user: Option<Uuid>, limit: i64) -> Result<Vec<VettingChangeEntry>, StoreError>;
    /// What the plan needs; `None` if there is no such plan.
    async fn plan_needs(&self, plan: Uuid) -> Result<Option<PlanNeeds>, StoreError>;
    /// Sets the level the plan's LRO raised it to and records the change,
    /// in one transaction; the level before, or `Err` (nothing done) if
    /// there is no such plan. Nothing is recorded when nothing changes.
    async fn raise_plan(&self, raise: PlanRaise<'_>) -> Result<Result<Option<String>, NoSuchPlan>, StoreError>;
    /// The plan's recorded raises, oldest first.
    async fn plan_vetting_changes(&self, plan: Uuid) -> Result<Vec<PlanVettingChange>, StoreError>;
    /// Whether `user` is cleared for `plan`; `None` if either is unknown.
    async fn clearance(&self, plan: Uuid, user: Uuid) -> Result<Option<Clearance>, StoreError>;
    /// Members whose vetting shuts them out of their plan now, as (plan,
    /// user): of `plan` only, and `user` only, if given.
    async fn shut_out(&self, plan: Option<Uuid>, user: Option<Uuid>) -> Result<Vec<(Uuid, Uuid)>, StoreError>;
}

const DELETE_MARKINGS: &str = "DELETE FROM vetting_by_marking";
const DELETE_LEVELS: &str = "DELETE FROM vetting_levels";
const INSERT_LEVEL: &str = "INSERT INTO vetting_levels (name, rank) VALUES ($1, $2)";
const INSERT_MARKING: &str = "INSERT INTO vetting_by_marking (marking, level) VALUES ($1, $2)";
const HELD: &str = "SELECT vetting_level, vetting_expires_at FROM users WHERE id = $1";
const SET_HELD: &str = "UPDATE users SET vetting_level = $2, vetting_expires_at = $3 WHERE id = $1";
const RECORD: &str = "INSERT INTO vetting_changes \
     (by_user_id, user_id, old_level, old_expires_at, new_level, new_expires_at) VALUES ($1, $2, $3, $4, $5, $6)";
const CHANGES: &str = "SELECT c.at, b.name || ' (' || ba.name || ')', w.name || ' (' || wa.name || ')', c.user_id, \
     c.old_level, c.old_expires_at, c.new_level, c.new_expires_at FROM vetting_changes c \
     JOIN users b ON b.id = c.by_user_id JOIN agencies ba ON ba.id = b.agency_id \
     JOIN users w ON w.id = c.user_id JOIN agencies wa ON wa.id = w.agency_id \
     WHERE ($1 IS NULL OR c.user_id = $1) ORDER BY c.id DESC LIMIT $2";
const NEEDS: &str = "SELECT p.summary->>'marking' AS marking, p.vetting_level AS raised, l.name AS needs, \
     v.needed_rank > 0 AS needs_any \
     FROM plans p JOIN plan_vetting v ON v.plan_id = p.id LEFT JOIN vetting_levels l ON l.rank = v.needed_rank \
     WHERE p.id = $1";
const RAISED: &str = "SELECT vetting_level FROM plans WHERE id = $1";
const SET_RAISED: &str = "UPDATE plans SET vetting_level = $2 WHERE id = $1";
const RECORD_RAISE: &str =
    "INSERT INTO plan_vetting_changes (plan_id, by_user_id, old_level, new_level) VALUES ($1, $2, $3, $4)";
const RAISES: &str = "SELECT c.at, c.by_user_id AS by_id, u.name AS by_name, a.name AS by_agency, \
     c.old_level, c.new_level FROM plan_vetting_changes c JOIN users u ON u.id = c.by_user_id \
     JOIN agencies a ON a.id = u.agency_id WHERE c.plan_id = $1 ORDER BY c.id";
const CLEARANCE: &str = "SELECT c.cleared, l.name AS needs FROM vetting_clearances c \
     LEFT JOIN vetting_levels l ON l.rank = c.needed_rank WHERE c.plan_id = $1 AND c.user_id = $2";
const SHUT_OUT: &str = "SELECT m.plan_id, m.user_id FROM plan_members m \
     JOIN vetting_clearances c ON c.plan_id = m.plan_id AND c.user_id = m.user_id \
     WHERE NOT c.cleared AND ($1 IS NULL OR m.plan_id = $1) AND ($2 IS NULL OR m.user_id = $2)";

type HeldRow = (Option<String>, Option<DateTime<Utc>>);
type ChangeRow = (
    DateTime<Utc>,
    String,
    String,
    Uuid,
    Option<String>,
    Option<DateTime<Utc>>,
    Option<String>,
    Option<DateTime<Utc>>,
);

fn held((level, expires_at): HeldRow) -> HeldVetting {
    HeldVetting { level, expires_at }
}

fn change_entry((at, by, whom, user, old_level, old_at, new_level, new_at): ChangeRow) -> VettingChangeEntry {
    VettingChangeEntry {
        at,
        by,
        whom,
        user,
        old: held((old_level, old_at)),
        new: held((new_level, new_at)),
    }
}

/// One implementation for both databases: `$sql` adapts the SQL text,
/// `$lock` follows a read of the row about to change (PostgreSQL locks it;
/// SQLite's write transaction already holds the database), `$lock_settings`
/// keeps two nodes starting at once from writing the settings together.
macro_rules! vetting_store {
    ($store:ty, $sql:expr, $lock:expr, $lock_settings:expr) => {
        #[async_trait::async_trait]
        impl VettingStore for $store {
            async fn configure(&self, policy: &VettingPolicy) -> Result<(), StoreError> {
                let mut tx = self.begin_write().await?;
                for statement in [$lock_settings, DELETE_MARKINGS, DELETE_LEVELS]
                    .into_iter()
                    .filter(|s| !s.is_empty())
                {
                    sqlx::query($sql(statement))
                        .execute(&mut *tx)
                        .await
                        .context("clearing the vetting settings")?;
                }
                for (rank, name) in policy.levels.names().iter().enumerate() {
                    bind!(sqlx::query($sql(INSERT_LEVEL)), name, rank as i32)
                        .execute(&mut *tx)
                        .await
                        .context("writing a vetting level")?;
                }
                for (marking, level) in policy.by_marking.pairs() {
                    bind!(sqlx::query($sql(INSERT_MARKING)), marking.as_str(), level)
                        .execute(&mut *tx)
                        .await
                        .context("writing the level a marking implies")?;
                }
                tx.commit().await.context("committing the vetting settings")
            }

            async fn set_vetting(&self, change: VettingChange<'_>) -> Result<Option<HeldVetting>, StoreError> {
                let mut tx = self.begin_write().await?;
                let old: Option<HeldRow> = bind!(sqlx::query_as($sql(&format!("{HELD}{}", $lock))), change.user)
                    .fetch_optional(&mut *tx)
                    .await
                    .context("reading a person's vetting")?;
                let Some(old) = old.map(held) else {
                    return Ok(None);
                };
                if old == *change.new {
                    return Ok(Some(old));
                }
                let new = change.new;
                bind!(
                    sqlx::query($sql(SET_HELD)),
                    change.user,
                    &new.level,
                    new.expires_at
                )
                .execute(&mut *tx)
                .await
                .context("setting a person's vetting")?;
                let record = bind!(
                    sqlx::query($sql(RECORD)),
                    change.by,
                    change.user,
                    &old.level,
                    old.expires_at
                );
                bind!(record, &new.level, new.expires_at)
                    .execute(&mut *tx)
                    .await
                    .context("recording a change of vetting")?;
                tx.commit().await.context("committing a change of vetting")?;
                Ok(Some(old))
            }

            async fn vetting_changes(
                &self,
                user: Option<Uuid>,
                limit: i64,
            ) -> Result<Vec<VettingChangeEntry>, StoreError> {
                let rows: Vec<ChangeRow> = bind!(sqlx::query_as($sql(CHANGES)), user, limit)
                    .fetch_all(self.pool())
                    .await
                    .context("reading changes of vetting")?;
                Ok(rows.into_iter().map(change_entry).collect())
            }

            async fn plan_needs(&self, plan: Uuid) -> Result<Option<PlanNeeds>, StoreError> {
                bind!(sqlx::query_as($sql(NEEDS)), plan)
                    .fetch_optional(self.pool())
                    .await
                    .context("reading the vetting a plan needs")
            }

            async fn raise_plan(&self, raise: PlanRaise<'_>) -> Result<Result<Option<String>, NoSuchPlan>, StoreError> {
                let mut tx = self.begin_write().await?;
                let old: Option<Option<String>> = bind!(
                    sqlx::query_scalar($sql(&format!("{RAISED}{}", $lock))),
                    raise.plan
                )
                .fetch_optional(&mut *tx)
                .await
                .context("reading the vetting a plan needs")?;
                let Some(old) = old else {
                    return Ok(Err(NoSuchPlan));
                };
                if old.as_deref() == raise.level {
                    return Ok(Ok(old));
                }
                bind!(sqlx::query($sql(SET_RAISED)), raise.plan, raise.level)
                    .execute(&mut *tx)
                    .await
                    .context("raising the vetting a plan needs")?;
                bind!(
                    sqlx::query($sql(RECORD_RAISE)),
                    raise.plan,
                    raise.by,
                    &old,
                    raise.level
                )
                .execute(&mut *tx)
                .await
                .context("recording a plan's vetting")?;
                tx.commit().await.context("committing a plan's vetting")?;
                Ok(Ok(old))
            }

            async fn plan_vetting_changes(&self, plan: Uuid) -> Result<Vec<PlanVettingChange>, StoreError> {
                bind!(sqlx::query_as($sql(RAISES)), plan)
                    .fetch_all(self.pool())
                    .await
                    .context("reading a plan's vetting record")
            }

            async fn clearance(&self, plan: Uuid, user: Uuid) -> Result<Option<Clearance>, StoreError> {
                bind!(sqlx::query_as($sql(CLEARANCE)), plan, user)
                    .fetch_optional(self.pool())
                    .await
                    .context("reading a clearance")
            }

            async fn shut_out(&self, plan: Option<Uuid>, user: Option<Uuid>) -> Result<Vec<(Uuid, Uuid)>, StoreError> {
                bind!(sqlx::query_as($sql(SHUT_OUT)), plan, user)
                    .fetch_all(self.pool())
                    .await
                    .context("reading who vetting shuts out")
            }
        }
    };
}

vetting_store!(
    PgStore,
    postgres_sql,
    " FOR UPDATE",
    "LOCK TABLE vetting_levels, vetting_by_marking IN EXCLUSIVE MODE"
);
vetting_store!(SqliteStore, sqlite_sql, "", "");
