//! [`InvitationStore`] on PostgreSQL and SQLite, with the same SQL: a
//! plan's invitations of people who have no account yet.

use crate::store::bind;
use crate::store::{postgres_sql, sqlite_sql, DbContext, PgStore, SqliteStore, StoreError};
use chrono::{DateTime, Utc};
use uuid::Uuid;

/// An LRO's invitation onto a plan, as written.
#[derive(Debug, Clone)]
pub struct NewInvitation<'a> {
    pub plan: Uuid,
    /// Lower-cased.
    pub email: &'a str,
    pub agency: Uuid,
    /// The role's key (`partner`).
    pub role: &'a str,
    pub by: Uuid,
    pub at: DateTime<Utc>,
}

/// An open invitation, as the plan's LRO sees it.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct OpenInvitation {
    pub email: String,
    pub agency: String,
    pub role: String,
    pub invited_by: String,
    pub invited_at: DateTime<Utc>,
}

/// An open invitation, as a first sign-in takes it up.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct Waiting {
    pub id: Uuid,
    pub plan_id: Uuid,
    pub role: String,
    pub invited_by: Uuid,
}

#[async_trait::async_trait]
pub trait InvitationStore: Send + Sync + 'static {
    /// Opens the invitation, or changes the open one of that email on the
    /// plan to this agency and role.
    async fn invite_to_plan(&self, invitation: &NewInvitation<'_>) -> Result<(), StoreError>;
    /// The plan's open invitations, oldest first.
    async fn open_invitations(&self, plan: Uuid) -> Result<Vec<OpenInvitation>, StoreError>;
    /// Withdraws the open invitation of `email`; `false` if there was none.
    async fn withdraw_invitation(
        &self,
        plan: Uuid,
        email: &str,
        by: Uuid,
        at: DateTime<Utc>,
    ) -> Result<bool, StoreError>;
    /// Whether anyone invited `email` of `agency` onto a plan.
    async fn invited_to_a_plan(&self, email: &str, agency: Uuid) -> Result<bool, StoreError>;
    /// The open invitations of `email` of `agency`, oldest first.
    async fn waiting_for(&self, email: &str, agency: Uuid) -> Result<Vec<Waiting>, StoreError>;
    /// Marks an invitation taken up.
    async fn joined(&self, id: Uuid, at: DateTime<Utc>) -> Result<(), StoreError>;
}

const OPEN: &str = "joined_at IS NULL AND withdrawn_at IS NULL";

macro_rules! invitation_store {
    ($store:ty, $sql:expr) => {
        #[async_trait::async_trait]
        impl InvitationStore for $store {
            async fn invite_to_plan(&self, i: &NewInvitation<'_>) -> Result<(), StoreError> {
                let sql = format!(
                    "INSERT INTO plan_invitations (id, plan_id, email, agency_id, role, invited_by, invited_at) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (plan_id, email) WHERE {OPEN} \
                     DO UPDATE SET agency_id = excluded.agency_id, role = excluded.role, \
                     invited_by = excluded.invited_by, invited_at = excluded.invited_at"
                );
                let query = sqlx::query($sql(&sql));
                bind!(
                    query,
                    Uuid::new_v4(),
                    i.plan,
                    i.email,
                    i.agency,
                    i.role,
                    i.by,
                    i.at
                )
                .execute(self.pool())
                .await
                .context("inviting onto a plan")
                .map(drop)
            }

            async fn open_invitations(&self, plan: Uuid) -> Result<Vec<OpenInvitation>, StoreError> {
                let sql = format!(
                    "SELECT i.email, a.name AS agency, i.role, u.name AS invited_by, i.invited_at \
                     FROM plan_invitations i JOIN agencies a ON a.id = i.agency_id \
                     JOIN users u ON u.id = i.invited_by WHERE i.plan_id = $1 AND {OPEN} ORDER BY i.invited_at"
                );
                bind!(sqlx::query_as($sql(&sql)), plan)
                    .fetch_all(self.pool())
                    .await
                    .context("reading a plan's invitations")
            }

            async fn withdraw_invitation(
                &self,
                plan: Uuid,
                email: &str,
                by: Uuid,
                at: DateTime<Utc>,
            ) -> Result<bool, StoreError> {
                let sql = format!(
                    "UPDATE plan_invitations SET withdrawn_by = $3, withdrawn_at = $4 \
                     WHERE plan_id = $1 AND email = $2 AND {OPEN}"
                );
                let done = bind!(sqlx::query($sql(&sql)), plan, email, by, at)
                    .execute(self.pool())
                    .await
                    .context("withdrawing an invitation")?;
                Ok(done.rows_affected() > 0)
            }

            async fn invited_to_a_plan(&self, email: &str, agency: Uuid) -> Result<bool, StoreError> {
                let sql =
                    format!("SELECT count(*) FROM plan_invitations WHERE email = $1 AND agency_id = $2 AND {OPEN}");
                let count: i64 = bind!(sqlx::query_scalar($sql(&sql)), email, agency)
                    .fetch_one(self.pool())
                    .await
                    .context("looking for invitations")?;
                Ok(count > 0)
            }

            async fn waiting_for(&self, email: &str, agency: Uuid) -> Result<Vec<Waiting>, StoreError> {
                let sql = format!(
                    "SELECT id, plan_id, role, invited_by FROM plan_invitations \
                     WHERE email = $1 AND agency_id = $2 AND {OPEN} ORDER BY invited_at"
                );
                bind!(sqlx::query_as($sql(&sql)), email, agency)
                    .fetch_all(self.pool())
                    .await
                    .context("reading invitations to take up")
            }

            async fn joined(&self, id: Uuid, at: DateTime<Utc>) -> Result<(), StoreError> {
                let sql = "UPDATE plan_invitations SET joined_at = $2 WHERE id = $1";
                bind!(sqlx::query($sql(sql)), id, at)
                    .execute(self.pool())
                    .await
                    .context("taking up an invitation")
                    .map(drop)
            }
        }
    };
}

invitation_store!(PgStore, postgres_sql);
invitation_store!(SqliteStore, sqlite_sql);
