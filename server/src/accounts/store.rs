//! Where agencies, users and sessions are kept, and plan members read:
//! [`AccountStore`], with the same SQL run on PostgreSQL and SQLite
//! (numbered parameters are `$1` in one and `?1` in the other; ids, times
//! and flags bind alike in both). Memberships change only through
//! [`crate::membership::MembershipStore`], which audits every change.

use super::session_store::SessionStore;
pub use super::session_store::StoredSession;
use super::user_rows::{user_from, USER_COLUMNS};
use super::{Agency, User};
use crate::store::bind;
use crate::store::{postgres_sql, sqlite_sql, DbContext, PgStore, SqliteStore, StoreError};
use chrono::{DateTime, Utc};
use plan::access::Role;
use sqlx::Row;
use uuid::Uuid;

/// A user's row, with what is needed to check a password.
pub struct Credentials {
    pub user: User,
    pub password_hash: String,
}

#[async_trait::async_trait]
pub trait AccountStore: super::credentials::CredentialStore + SessionStore + Send + Sync + 'static {
    /// `Ok(None)` when the name is taken.
    async fn insert_agency(&self, agency: &Agency) -> Result<Option<()>, StoreError>;
    async fn agencies(&self) -> Result<Vec<Agency>, StoreError>;
    async fn agency_by_name(&self, name: &str) -> Result<Option<Agency>, StoreError>;
    /// `Ok(None)` when the email is taken.
    async fn insert_user(&self, user: &User, password_hash: &str) -> Result<Option<()>, StoreError>;
    async fn credentials(&self, email: &str) -> Result<Option<Credentials>, StoreError>;
    async fn user_by_email(&self, email: &str) -> Result<Option<User>, StoreError>;
    /// Every user, by name.
    async fn users(&self) -> Result<Vec<User>, StoreError>;
    /// Disables an account and ends its sessions; `false` if no such user.
    async fn disable_user(&self, user: Uuid, now: DateTime<Utc>) -> Result<bool, StoreError>;
    /// Sets the "strategic lead" flag; `false` if no such user.
    async fn set_strategic_lead(&self, user: Uuid, on: bool) -> Result<bool, StoreError>;
    /// Sets the "may lead plans" flag; `false` if no such user.
    async fn set_may_lead_plans(&self, user: Uuid, on: bool) -> Result<bool, StoreError>;
    /// Whether `user` is an active account that may create plans.
    async fn may_lead_plans(&self, user: Uuid) -> Result<bool, StoreError>;
    async fn member_role(&self, plan: Uuid, user: Uuid) -> Result<Option<Role>, StoreError>;
    /// The plan's members, by name.
    async fn members(&self, plan: Uuid) -> Result<Vec<Member>, StoreError>;
    /// The plans `user` is a member of.
    async fn member_plans(&self, user: Uuid) -> Result<Vec<Uuid>, StoreError>;
}

/// A plan's member. Not serialisable: answers carry a view of it, never
/// the whole account (whose flags are for `/admin` only).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Member {
    pub user: User,
    pub role: Role,
}

fn role_from(text: &str) -> Result<Role, sqlx::Error> {
    Role::parse(text).ok_or_else(|| sqlx::Error::Decode(format!("unknown role {text:?}").into()))
}

fn is_unique_violation(e: &sqlx::Error) -> bool {
    matches!(e, sqlx::Error::Database(db) if db.is_unique_violation())
}

/// One implementation for both databases; `$sql` adapts the SQL text.
macro_rules! account_store {
    ($store:ty, $sql:expr) => {
        #[async_trait::async_trait]
        impl AccountStore for $store {
            async fn insert_agency(&self, agency: &Agency) -> Result<Option<()>, StoreError> {
                let sql = $sql("INSERT INTO agencies (id, name, kind) VALUES ($1, $2, $3)");
                let result = bind!(sqlx::query(sql), agency.id, &agency.name, &agency.kind)
                    .execute(self.pool())
                    .await;
                match result {
                    Ok(_) => Ok(Some(())),
                    Err(e) if is_unique_violation(&e) => Ok(None),
                    Err(e) => Err(e).context("writing an account"),
                }
            }

            async fn agencies(&self) -> Result<Vec<Agency>, StoreError> {
                let rows = sqlx::query("SELECT id, name, kind FROM agencies ORDER BY lower(name)")
                    .fetch_all(self.pool())
                    .await
                    .context("reading or writing accounts")?;
                let agency = |r: &_| -> Result<Agency, sqlx::Error> {
                    Ok(Agency {
                        id: Row::try_get(r, "id")?,
                        name: Row::try_get(r, "name")?,
                        kind: Row::try_get(r, "kind")?,
                    })
                };
                rows.iter()
                    .map(agency)
                    .collect::<Result<_, _>>()
                    .context("reading agencies")
            }

            async fn agency_by_name(&self, name: &str) -> Result<Option<Agency>, StoreError> {
                let sql = $sql("SELECT id, name, kind FROM agencies WHERE lower(name) = lower($1)");
                let row = bind!(sqlx::query(sql), name.trim())
                    .fetch_optional(self.pool())
                    .await
                    .context("reading or writing accounts")?;
                Ok(row
                    .map(|r| -> Result<Agency, sqlx::Error> {
                        Ok(Agency {
                            id: r.try_get("id")?,
                            name: r.try_get("name")?,
                            kind: r.try_get("kind")?,
                        })
                    })
                    .transpose()
                    .context("reading accounts")?)
            }

            async fn insert_user(&self, user: &User, password_hash: &str) -> Result<Option<()>, StoreError> {
                let sql = $sql(
                    "INSERT INTO users (id, email, name, agency_id, password_hash, is_admin, strategic_lead, \
                     may_lead_plans) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
                );
                let result = bind!(sqlx::query(sql), user.id, &user.email, &user.name, user.agency_id, password_hash, user.is_admin, user.strategic_lead, user.may_lead_plans)
                    .execute(self.pool())
                    .await;
                match result {
                    Ok(_) => Ok(Some(())),
                    Err(e) if is_unique_violation(&e) => Ok(None),
                    Err(e) => Err(e).context("writing an account"),
                }
            }

            async fn credentials(&self, email: &str) -> Result<Option<Credentials>, StoreError> {
                let sql = $sql(&format!(
                    "SELECT {USER_COLUMNS}, u.password_hash FROM users u \
                     JOIN agencies a ON a.id = u.agency_id WHERE u.email = $1 AND u.disabled_at IS NULL"
                ));
                let row = bind!(sqlx::query(sql), email)
                    .fetch_optional(self.pool())
                    .await
                    .context("reading or writing accounts")?;
                Ok(row
                    .map(|r| -> Result<Credentials, sqlx::Error> {
                        Ok(Credentials {
                            user: user_from(&r)?,
                            password_hash: r.try_get("password_hash")?,
                        })
                    })
                    .transpose()
                    .context("reading accounts")?)
            }

            async fn user_by_email(&self, email: &str) -> Result<Option<User>, StoreError> {
                let sql = $sql(&format!(
                    "SELECT {USER_COLUMNS} FROM users u JOIN agencies a ON a.id = u.agency_id WHERE u.email = $1"
                ));
                let row = bind!(sqlx::query(sql), email.trim().to_lowercase())
                    .fetch_optional(self.pool())
                    .await
                    .context("reading a user")?;
                row.map(|r| user_from(&r)).transpose().context("reading a user")
            }

            async fn users(&self) -> Result<Vec<User>, StoreError> {
                let sql = $sql(&format!(
                    "SELECT {USER_COLUMNS} FROM users u JOIN agencies a ON a.id = u.agency_id ORDER BY lower(u.name)"
                ));
                let rows = sqlx::query(sql).fetch_all(self.pool()).await.context("reading users")?;
                rows.iter().map(|r| user_from(r)).collect::<Result<_, _>>().context("reading users")
            }

            async fn disable_user(&self, user: Uuid, now: DateTime<Utc>) -> Result<bool, StoreError> {
                let mut tx = self.pool().begin().await.context("starting to disable a user")?;
                let sql = $sql("UPDATE users SET disabled_at = $2 WHERE id = $1 AND disabled_at IS NULL");
                let done = bind!(sqlx::query(sql), user, now).execute(&mut *tx).await
                    .context("disabling a user")?;
                let sql = $sql("DELETE FROM sessions WHERE user_id = $1");
                bind!(sqlx::query(sql), user).execute(&mut *tx).await.context("ending a user's sessions")?;
                tx.commit().await.context("committing a disabled user")?;
                Ok(done.rows_affected() > 0)
            }

            async fn set_strategic_lead(&self, user: Uuid, on: bool) -> Result<bool, StoreError> {
                let sql = $sql("UPDATE users SET strategic_lead = $2 WHERE id = $1");
                let done = bind!(sqlx::query(sql), user, on).execute(self.pool()).await
                    .context("setting a user's strategic lead flag")?;
                Ok(done.rows_affected() > 0)
            }

            async fn set_may_lead_plans(&self, user: Uuid, on: bool) -> Result<bool, StoreError> {
                let sql = $sql("UPDATE users SET may_lead_plans = $2 WHERE id = $1");
                let done = bind!(sqlx::query(sql), user, on).execute(self.pool()).await
                    .context("setting a user's may-lead-plans flag")?;
                Ok(done.rows_affected() > 0)
            }

            async fn may_lead_plans(&self, user: Uuid) -> Result<bool, StoreError> {
                let sql = $sql("SELECT may_lead_plans FROM users WHERE id = $1 AND disabled_at IS NULL");
                let on: Option<bool> = bind!(sqlx::query_scalar(sql), user)
                    .fetch_optional(self.pool())
                    .await
                    .context("reading a user's may-lead-plans flag")?;
                Ok(on.unwrap_or(false))
            }

            async fn member_role(&self, plan: Uuid, user: Uuid) -> Result<Option<Role>, StoreError> {
                let sql = $sql("SELECT role FROM plan_members WHERE plan_id = $1 AND user_id = $2");
                let role: Option<String> = bind!(sqlx::query_scalar(sql), plan, user)
                    .fetch_optional(self.pool())
                    .await
                    .context("reading a plan member")?;
                role.map(|r| role_from(&r))
                    .transpose()
                    .context("reading a plan member")
            }

            async fn members(&self, plan: Uuid) -> Result<Vec<Member>, StoreError> {
                let sql = $sql(&format!(
                    "SELECT {USER_COLUMNS}, m.role FROM plan_members m JOIN users u ON u.id = m.user_id \
                     JOIN agencies a ON a.id = u.agency_id WHERE m.plan_id = $1 ORDER BY lower(u.name)"
                ));
                let rows = bind!(sqlx::query(sql), plan)
                    .fetch_all(self.pool())
                    .await
                    .context("reading plan members")?;
                rows.iter()
                    .map(|r| -> Result<Member, sqlx::Error> {
                        let role: String = r.try_get("role")?;
                        Ok(Member {
                            user: user_from(r)?,
                            role: role_from(&role)?,
                        })
                    })
                    .collect::<Result<_, _>>()
                    .context("reading plan members")
            }

            async fn member_plans(&self, user: Uuid) -> Result<Vec<Uuid>, StoreError> {
                let sql = $sql("SELECT plan_id FROM plan_members WHERE user_id = $1");
                bind!(sqlx::query_scalar(sql), user)
                    .fetch_all(self.pool())
                    .await
                    .context("reading a user's plans")
            }
        }
    };
}

account_store!(PgStore, postgres_sql);
account_store!(SqliteStore, sqlite_sql);
