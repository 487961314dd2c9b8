//! [`MembershipStore`] on PostgreSQL and SQLite, with the same SQL (`$1`
//! parameters become `?1` on SQLite).
//!
//! A change runs in one transaction: read the plan's member rows, decide,
//! write the membership, record it. On PostgreSQL the read locks the rows
//! (`FOR UPDATE`, in a fixed order so two changes cannot deadlock), so a
//! concurrent change waits and then decides on what this one committed. On
//! SQLite the transaction takes the database's write lock up front
//! (`BEGIN IMMEDIATE`), which serialises writers.
//!
//! The member a change concerns is notified in the same transaction
//! ([`told_of`]): added to the plan, or their role changed.

use super::{decide, MemberChange, MemberChangeEntry, MembershipStore, Person, Refusal};
use crate::notifications::{Notify, Outbox, Recipients};
use crate::store::bind;
use crate::store::{postgres_sql, sqlite_sql, DbContext, NewStoredPlan, PgStore, SqliteStore, StoreError};
use chrono::{DateTime, Utc};
use plan::access::Role;
use uuid::Uuid;

const MEMBERS: &str = "SELECT user_id, role FROM plan_members WHERE plan_id = $1 ORDER BY user_id";

const UPSERT: &str = "INSERT INTO plan_members (plan_id, user_id, role) VALUES ($1, $2, $3) \
     ON CONFLICT (plan_id, user_id) DO UPDATE SET role = excluded.role";

const REMOVE: &str = "DELETE FROM plan_members WHERE plan_id = $1 AND user_id = $2";

const RECORD: &str =
    "INSERT INTO plan_member_changes (plan_id, by_user_id, user_id, old_role, new_role) VALUES ($1, $2, $3, $4, $5)";

const HISTORY: &str = "SELECT c.at, c.by_user_id, b.name AS by_name, ba.name AS by_agency, \
     c.user_id, m.name AS member_name, ma.name AS member_agency, c.old_role, c.new_role \
     FROM plan_member_changes c \
     JOIN users b ON b.id = c.by_user_id JOIN agencies ba ON ba.id = b.agency_id \
     JOIN users m ON m.id = c.user_id JOIN agencies ma ON ma.id = m.agency_id \
     WHERE c.plan_id = $1 ORDER BY c.id";

/// What the member a change concerns is told of it, if anything: being
/// added, or a new role (never a removal: the plan is gone from them, and
/// never what they did themselves).
pub(super) fn told_of(change: &MemberChange, old: Option<Role>) -> Option<plan::notifications::Kind> {
    use plan::notifications::Kind;
    match (old, change.role) {
        _ if change.by == change.user => None,
        (None, Some(_)) => Some(Kind::AddedToPlan),
        (Some(old), Some(new)) if old != new => Some(Kind::RoleChanged),
        _ => None,
    }
}

fn role_from(text: &str) -> Result<Role, sqlx::Error> {
    Role::parse(text).ok_or_else(|| sqlx::Error::Decode(format!("unknown role {text:?}").into()))
}

/// A row of [`HISTORY`].
#[derive(sqlx::FromRow)]
struct ChangeRow {
    at: DateTime<Utc>,
    by_user_id: Uuid,
    by_name: String,
    by_agency: String,
    member_name: String,
    member_agency: String,
    old_role: Option<String>,
    new_role: Option<String>,
    user_id: Uuid,
}

impl TryFrom<ChangeRow> for MemberChangeEntry {
    type Error = sqlx::Error;

    fn try_from(row: ChangeRow) -> Result<Self, sqlx::Error> {
        let role = |text: Option<String>| text.as_deref().map(role_from).transpose();
        Ok(MemberChangeEntry {
            at: row.at,
            by: Person {
                id: row.by_user_id,
                name: row.by_name,
                agency: row.by_agency,
            },
            member: Person {
                id: row.user_id,
                name: row.member_name,
                agency: row.member_agency,
            },
            old: role(row.old_role)?,
            new: role(row.new_role)?,
        })
    }
}

/// One implementation for both databases: `$sql` adapts the SQL text,
/// `$lock` is appended to the read of the member rows, `$insert_plan`
/// inserts a plan within a transaction (the store's `begin_write`).
macro_rules! membership_store {
    ($store:ty, $sql:expr, $lock:expr, $insert_plan:path) => {
        #[async_trait::async_trait]
        impl MembershipStore for $store {
            async fn create_plan_with_lro(&self, plan: NewStoredPlan<'_>, lro: Uuid) -> Result<(), StoreError> {
                let NewStoredPlan {
                    id,
                    snapshot,
                    summary,
                } = plan;
                let mut tx = self.begin_write().await?;
                $insert_plan(&mut *tx, id, snapshot, summary).await?;
                bind!(sqlx::query($sql(UPSERT)), id, lro, Role::Lro.key())
                    .execute(&mut *tx)
                    .await
                    .context("making a new plan's creator its LRO")?;
                bind!(
                    sqlx::query($sql(RECORD)),
                    id,
                    lro,
                    lro,
                    None::<&str>,
                    Role::Lro.key()
                )
                .execute(&mut *tx)
                .await
                .context("recording a new plan's LRO")?;
                tx.commit().await.context("committing a new plan")
            }

            async fn change_members(
                &self,
                changes: &[MemberChange],
            ) -> Result<Result<Vec<Option<Role>>, Refusal>, StoreError> {
                let Some(plan) = changes.first().map(|c| c.plan) else {
                    return Ok(Ok(Vec::new()));
                };
                // One plan's members are locked and decided on at a time.
                if changes.iter().any(|c| c.plan != plan) {
                    return Ok(Err(Refusal::PlanNotFound));
                }
                let mut tx = self.begin_write().await?;
                let rows: Vec<(Uuid, String)> = bind!(sqlx::query_as($sql(&format!("{MEMBERS}{}", $lock))), plan)
                    .fetch_all(&mut *tx)
                    .await
                    .context("reading a plan's members to change them")?;
                let mut members = rows
                    .into_iter()
                    .map(|(user, role)| Ok((user, role_from(&role)?)))
                    .collect::<Result<Vec<_>, sqlx::Error>>()
                    .context("reading a plan's members to change them")?;
                let mut olds = Vec::with_capacity(changes.len());
                for change in changes {
                    let old = match decide(&members, change) {
                        Ok(old) => old,
                        // Dropping `tx` rolls back, releasing the locks.
                        Err(refusal) => return Ok(Err(refusal)),
                    };
                    olds.push(old);
                    if old == change.role {
                        continue;
                    }
                    members.retain(|(user, _)| *user != change.user);
                    match change.role {
                        Some(role) => {
                            members.push((change.user, role));
                            bind!(sqlx::query($sql(UPSERT)), change.plan, change.user, role.key())
                                .execute(&mut *tx)
                                .await
                                .context("writing a plan member")?
                        }
                        None => bind!(sqlx::query($sql(REMOVE)), change.plan, change.user)
                            .execute(&mut *tx)
                            .await
                            .context("removing a plan member")?,
                    };
                    bind!(
                        sqlx::query($sql(RECORD)),
                        change.plan,
                        change.by,
                        change.user,
                        old.map(Role::key),
                        change.role.map(Role::key)
                    )
                    .execute(&mut *tx)
                    .await
                    .context("recording a membership change")?;
                    if let Some(kind) = told_of(change, old) {
                        let link = plan::notifications::plan_link(change.plan);
                        let note = Notify {
                            kind,
                            plan: change.plan,
                            link: &link,
                            to: Recipients::Member(change.user),
                            by: Some(change.by),
                            event: None,
                        };
                        tx.write_notifications(&[note], chrono::Utc::now()).await?;
                    }
                }
                tx.commit().await.context("committing a membership change")?;
                Ok(Ok(olds))
            }

            async fn member_changes(&self, plan: Uuid) -> Result<Vec<MemberChangeEntry>, StoreError> {
                let rows: Vec<ChangeRow> = bind!(sqlx::query_as($sql(HISTORY)), plan)
                    .fetch_all(self.pool())
                    .await
                    .context("reading membership history")?;
                let entries = rows.into_iter().map(MemberChangeEntry::try_from);
                entries
                    .collect::<Result<_, _>>()
                    .context("reading membership history")
            }
        }
    };
}

membership_store!(
    PgStore,
    postgres_sql,
    " FOR UPDATE",
    crate::store::postgres::insert_plan
);
membership_store!(SqliteStore, sqlite_sql, "", crate::store::sqlite::insert_plan);
