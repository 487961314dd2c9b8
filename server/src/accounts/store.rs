//! Where agencies, users and sessions are kept, and plan members read:
//! [`AccountStore`], with the same SQL run on PostgreSQL and SQLite
//! (numbered parameters are `$1` in one and `?1` in the other; ids, times
//! and flags bind alike in both). Memberships change only through
//! [`crate::membership::MembershipStore`], which audits every change.

use super::session_store::SessionStore;
pub use super::session_store::StoredSession;
use super::user_rows::{agency, run, AgencyRow, AGENCY_COLUMNS, USER_COLUMNS};
use super::{Agency, User};
use crate::store::bind;
use crate::store::{postgres_sql, sqlite_sql, DbContext, PgStore, SqliteStore, StoreError};
use app::admin::AccountFlag;
use chrono::{DateTime, Utc};
use plan::access::Role;
use plan::vetting::Lapse;
use uuid::Uuid;

/// A user's row, with what is needed to check a password.
#[derive(sqlx::FromRow)]
pub struct Credentials {
    #[sqlx(flatten)]
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
    async fn set_flag(&self, user: Uuid, flag: AccountFlag, on: bool) -> Result<bool, StoreError>;
    /// Whether `user` is an active account that may create plans.
    async fn may_lead_plans(&self, user: Uuid) -> Result<bool, StoreError>;
    /// `user`'s role on the plan, if they are a member whose vetting
    /// clears them for it now (`cleared_members`): `None` alike for a
    /// non-member and for a member shut out by vetting.
    async fn member_role(&self, plan: Uuid, user: Uuid) -> Result<Option<Role>, StoreError>;
    /// The plan's members, by name: all of them, each with why their
    /// vetting shuts them out, if it does.
    async fn members(&self, plan: Uuid) -> Result<Vec<Member>, StoreError>;
    /// The plans `user` is a member of and cleared for.
    async fn member_plans(&self, user: Uuid) -> Result<Vec<Uuid>, StoreError>;
    /// Whether `user` is listed among the plan's members, whatever their
    /// vetting (for the access log's record of a refusal only: access is
    /// [`AccountStore::member_role`]'s).
    async fn is_listed_member(&self, plan: Uuid, user: Uuid) -> Result<bool, StoreError>;
}

/// A plan's member. Not serialisable: answers carry a view of it, never
/// the whole account (whose flags are for `/admin` only).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Member {
    pub user: User,
    pub role: Role,
    /// Why their vetting shuts them out of the plan (`None`: it does not).
    pub lapse: Option<Lapse>,
}

/// A member's row: the user, the role as stored, and their clearance
/// (`vetting_clearances`).
#[derive(sqlx::FromRow)]
struct MemberRow {
    #[sqlx(flatten)]
    user: User,
    role: String,
    cleared: bool,
    expired: bool,
    below: bool,
    needed: Option<String>,
}

impl MemberRow {
    fn member(self) -> Result<Member, sqlx::Error> {
        let lapse = (!self.cleared).then(|| Lapse {
            expired_on: self
                .user
                .vetting
                .expires_at
                .filter(|_| self.expired)
                .map(|at| at.date_naive()),
            needs: self.needed.filter(|_| self.below),
        });
        Ok(Member {
            role: role_from(&self.role)?,
            user: self.user,
            lapse,
        })
    }
}

fn role_from(text: &str) -> Result<Role, sqlx::Error> {
    Role::parse(text).ok_or_else(|| sqlx::Error::Decode(format!("unknown role {text:?}").into()))
}

/// An insert's outcome: `None` when a unique key was taken.
fn unless_taken<T>(result: Result<T, sqlx::Error>) -> Result<Option<()>, StoreError> {
    match result {
        Ok(_) => Ok(Some(())),
        Err(sqlx::Error::Database(db)) if db.is_unique_violation() => Ok(None),
        Err(e) => Err(e).context("writing an account"),
    }
}

/// The users of both tables joined as `u` and `a`.
const USERS: &str = "users u JOIN agencies a ON a.id = u.agency_id";

/// One implementation for both databases; `$sql` adapts the SQL text.
/// The column that holds a flag: a closed set, so safe to put in SQL.
fn flag_column(flag: AccountFlag) -> &'static str {
    match flag {
        AccountFlag::StrategicLead => "strategic_lead",
        AccountFlag::MayLeadPlans => "may_lead_plans",
        AccountFlag::Auditor => "auditor",
        AccountFlag::VettingOfficer => "vetting_officer",
    }
}

macro_rules! account_store {
    ($store:ty, $sql:expr) => {
        #[async_trait::async_trait]
        impl AccountStore for $store {
            async fn insert_agency(&self, agency: &Agency) -> Result<Option<()>, StoreError> {
                let sql = $sql("INSERT INTO agencies (id, name, kind) VALUES ($1, $2, $3)");
                let query = bind!(sqlx::query(sql), agency.id, &agency.name, &agency.kind);
                unless_taken(query.execute(self.pool()).await)
            }

            async fn agencies(&self) -> Result<Vec<Agency>, StoreError> {
                let sql = $sql(&format!("SELECT {AGENCY_COLUMNS} FROM agencies ORDER BY lower(name)"));
                let rows: Vec<AgencyRow> =
                    run!(fetch_all(sqlx::query_as(sql)) on self.pool(), "reading or writing accounts")?;
                Ok(rows.into_iter().map(agency).collect())
            }

            async fn agency_by_name(&self, name: &str) -> Result<Option<Agency>, StoreError> {
                let sql = $sql(&format!("SELECT {AGENCY_COLUMNS} FROM agencies WHERE lower(name) = lower($1)"));
                let query = sqlx::query_as(sql);
                let row: Option<AgencyRow> =
                    run!(fetch_optional(query, name.trim()) on self.pool(), "reading or writing accounts")?;
                Ok(row.map(agency))
            }

            async fn insert_user(&self, user: &User, password_hash: &str) -> Result<Option<()>, StoreError> {
                let sql = $sql(
                    "INSERT INTO users (id, email, name, agency_id, password_hash, is_admin, strategic_lead, \
                     may_lead_plans, auditor) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
                );
                let u = user;
                let query = bind!(sqlx::query(sql), u.id, &u.email, &u.name, u.agency_id, password_hash);
                let query = bind!(query, u.is_admin, u.strategic_lead, u.may_lead_plans, u.auditor);
                unless_taken(query.execute(self.pool()).await)
            }

            async fn credentials(&self, email: &str) -> Result<Option<Credentials>, StoreError> {
                let sql = $sql(&format!(
                    "SELECT {USER_COLUMNS}, u.password_hash FROM {USERS} WHERE u.email = $1 AND u.disabled_at IS NULL"
                ));
                run!(fetch_optional(sqlx::query_as(sql), email) on self.pool(), "reading or writing accounts")
            }

            async fn user_by_email(&self, email: &str) -> Result<Option<User>, StoreError> {
                let sql = $sql(&format!("SELECT {USER_COLUMNS} FROM {USERS} WHERE u.email = $1"));
                let email = email.trim().to_lowercase();
                run!(fetch_optional(sqlx::query_as(sql), email) on self.pool(), "reading a user")
            }

            async fn users(&self) -> Result<Vec<User>, StoreError> {
                let sql = $sql(&format!("SELECT {USER_COLUMNS} FROM {USERS} ORDER BY lower(u.name)"));
                run!(fetch_all(sqlx::query_as(sql)) on self.pool(), "reading users")
            }

            async fn disable_user(&self, user: Uuid, now: DateTime<Utc>) -> Result<bool, StoreError> {
                let mut tx = self.pool().begin().await.context("starting to disable a user")?;
                let sql = $sql("UPDATE users SET disabled_at = $2 WHERE id = $1 AND disabled_at IS NULL");
                let done = run!(execute(sqlx::query(sql), user, now) on &mut *tx, "disabling a user")?;
                let sql = $sql("DELETE FROM sessions WHERE user_id = $1");
                run!(execute(sqlx::query(sql), user) on &mut *tx, "ending a user's sessions")?;
                tx.commit().await.context("committing a disabled user")?;
                Ok(done.rows_affected() > 0)
            }

            async fn set_flag(&self, user: Uuid, flag: AccountFlag, on: bool) -> Result<bool, StoreError> {
                let sql = $sql(&format!("UPDATE users SET {} = $2 WHERE id = $1", flag_column(flag)));
                let done = run!(execute(sqlx::query(sql), user, on) on self.pool(), "setting an account flag")?;
                Ok(done.rows_affected() > 0)
            }

            async fn may_lead_plans(&self, user: Uuid) -> Result<bool, StoreError> {
                let sql = $sql("SELECT may_lead_plans FROM users WHERE id = $1 AND disabled_at IS NULL");
                let query = sqlx::query_scalar(sql);
                let on: Option<bool> =
                    run!(fetch_optional(query, user) on self.pool(), "reading a user's may-lead-plans flag")?;
                Ok(on.unwrap_or(false))
            }

            async fn member_role(&self, plan: Uuid, user: Uuid) -> Result<Option<Role>, StoreError> {
                let sql = $sql("SELECT role FROM cleared_members WHERE plan_id = $1 AND user_id = $2");
                let role: Option<String> =
                    run!(fetch_optional(sqlx::query_scalar(sql), plan, user) on self.pool(), "reading a plan member")?;
                role.map(|r| role_from(&r)).transpose().context("reading a plan member")
            }

            async fn members(&self, plan: Uuid) -> Result<Vec<Member>, StoreError> {
                let sql = $sql(&format!(
                    "SELECT {USER_COLUMNS}, m.role, c.cleared, c.expired, c.user_rank < c.needed_rank AS below, \
                     l.name AS needed FROM plan_members m JOIN users u ON u.id = m.user_id \
                     JOIN agencies a ON a.id = u.agency_id \
                     JOIN vetting_clearances c ON c.plan_id = m.plan_id AND c.user_id = m.user_id \
                     LEFT JOIN vetting_levels l ON l.rank = c.needed_rank \
                     WHERE m.plan_id = $1 ORDER BY lower(u.name)"
                ));
                let rows: Vec<MemberRow> =
                    run!(fetch_all(sqlx::query_as(sql), plan) on self.pool(), "reading plan members")?;
                rows.into_iter()
                    .map(MemberRow::member)
                    .collect::<Result<_, _>>()
                    .context("reading plan members")
            }

            async fn member_plans(&self, user: Uuid) -> Result<Vec<Uuid>, StoreError> {
                let sql = $sql("SELECT plan_id FROM cleared_members WHERE user_id = $1");
                run!(fetch_all(sqlx::query_scalar(sql), user) on self.pool(), "reading a user's plans")
            }

            async fn is_listed_member(&self, plan: Uuid, user: Uuid) -> Result<bool, StoreError> {
                let sql = $sql("SELECT count(*) FROM plan_members WHERE plan_id = $1 AND user_id = $2");
                let n: i64 = run!(fetch_one(sqlx::query_scalar(sql), plan, user) on self.pool(), "reading a plan member")?;
                Ok(n > 0)
            }
        }
    };
}

account_store!(PgStore, postgres_sql);
account_store!(SqliteStore, sqlite_sql);
