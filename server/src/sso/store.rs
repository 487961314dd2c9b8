//! [`SsoStore`] on PostgreSQL and SQLite, with the same SQL: sign-ins in
//! progress, who an account is at each provider, invitations, and which
//! sessions came through a provider. An admission (account, link,
//! invitation used, session) is one transaction: it happens whole or not
//! at all.

use crate::store::bind;
use crate::store::{postgres_sql, sqlite_sql, DbContext, PgStore, SqliteStore, StoreError};
use chrono::{DateTime, Utc};
use uuid::Uuid;

/// A sign-in started and not yet finished.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct Pending {
    /// SHA-256 of the `state` sent to the provider.
    pub state_hash: Vec<u8>,
    /// SHA-256 of the browser's sign-in cookie.
    pub browser_hash: Vec<u8>,
    pub provider: String,
    pub pkce_verifier: String,
    pub nonce: String,
    /// Milliseconds since 1970.
    pub created_at: i64,
}

/// An open invitation to sign in for the first time.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct Invitation {
    pub id: Uuid,
    pub email: String,
    pub agency_id: Uuid,
    /// An existing account to link (an administrator's link), else none:
    /// the first sign-in makes the account.
    pub user_id: Option<Uuid>,
}

/// A new account made by a first sign-in.
#[derive(Debug, Clone)]
pub struct NewAccount<'a> {
    pub id: Uuid,
    pub email: &'a str,
    pub name: &'a str,
    pub agency_id: Uuid,
}

/// Everything a successful sign-in writes, in one transaction.
#[derive(Debug, Clone)]
pub struct Admission<'a> {
    pub user: Uuid,
    /// Made first, when the sign-in is the person's first.
    pub new_account: Option<NewAccount<'a>>,
    /// `(issuer, subject, provider id)` to link, when not yet linked.
    pub link: Option<(&'a str, &'a str, &'a str)>,
    pub invitation: Option<Uuid>,
    /// The new session (SHA-256 of its token).
    pub session: &'a [u8],
    pub issuer: &'a str,
    pub subject: &'a str,
    pub sid: Option<&'a str>,
    pub id_token: &'a str,
    pub now: DateTime<Utc>,
}

#[async_trait::async_trait]
pub trait SsoStore: Send + Sync + 'static {
    /// Records a sign-in started; forgets those started before `forget_before`.
    async fn put_pending(&self, pending: &Pending, forget_before: i64) -> Result<(), StoreError>;
    /// Takes (so nobody can take it again) the sign-in started with this state.
    async fn take_pending(&self, state_hash: &[u8]) -> Result<Option<Pending>, StoreError>;
    /// The account linked to this person at this issuer, and whether it is
    /// disabled.
    async fn linked_account(&self, issuer: &str, subject: &str) -> Result<Option<(Uuid, bool)>, StoreError>;
    /// The open invitation for `email` into `agency`, if any.
    async fn invitation(&self, email: &str, agency: Uuid) -> Result<Option<Invitation>, StoreError>;
    async fn invite(&self, invitation: &Invitation, by: Uuid, at: DateTime<Utc>) -> Result<(), StoreError>;
    /// Writes an admission whole, or nothing.
    async fn admit(&self, admission: &Admission<'_>) -> Result<(), StoreError>;
    /// The sessions a provider knows by this subject or session id.
    async fn provider_sessions(
        &self,
        issuer: &str,
        subject: Option<&str>,
        sid: Option<&str>,
    ) -> Result<Vec<Vec<u8>>, StoreError>;
    /// The ID token a session signed in with, to hint with at log-out.
    async fn session_id_token(&self, session: &[u8]) -> Result<Option<(String, String)>, StoreError>;
    /// Notes a logout token's `jti`; `false` if it was seen (a replay).
    /// Forgets those seen before `forget_before`.
    async fn first_sight_of(&self, issuer: &str, jti: &str, now: i64, forget_before: i64) -> Result<bool, StoreError>;
}

const PENDING_COLUMNS: &str = "state_hash, browser_hash, provider, pkce_verifier, nonce, created_at";
const INSERT_USER: &str = "INSERT INTO users (id, email, name, agency_id, password_hash) VALUES ($1, $2, $3, $4, $5)";
/// The password hash of an account that signs in only through a provider:
/// not a PHC string, so no password ever matches it.
pub const NO_PASSWORD: &str = "!sso";

macro_rules! sso_store {
    ($store:ty, $sql:expr) => {
        #[async_trait::async_trait]
        impl SsoStore for $store {
            async fn put_pending(&self, p: &Pending, forget_before: i64) -> Result<(), StoreError> {
                let mut tx = self.begin_write().await?;
                bind!(
                    sqlx::query($sql("DELETE FROM sso_pending WHERE created_at < $1")),
                    forget_before
                )
                .execute(&mut *tx)
                .await
                .context("forgetting old sign-ins")?;
                let sql = format!("INSERT INTO sso_pending ({PENDING_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6)");
                let query = sqlx::query($sql(&sql));
                bind!(
                    query,
                    &p.state_hash,
                    &p.browser_hash,
                    &p.provider,
                    &p.pkce_verifier,
                    &p.nonce,
                    p.created_at
                )
                .execute(&mut *tx)
                .await
                .context("recording a sign-in")?;
                tx.commit().await.context("recording a sign-in")
            }

            async fn take_pending(&self, state_hash: &[u8]) -> Result<Option<Pending>, StoreError> {
                let sql = format!("DELETE FROM sso_pending WHERE state_hash = $1 RETURNING {PENDING_COLUMNS}");
                bind!(sqlx::query_as($sql(&sql)), state_hash)
                    .fetch_optional(self.pool())
                    .await
                    .context("taking a sign-in")
            }

            async fn linked_account(&self, issuer: &str, subject: &str) -> Result<Option<(Uuid, bool)>, StoreError> {
                let sql = "SELECT u.id, u.disabled_at IS NOT NULL FROM sso_identities i \
                           JOIN users u ON u.id = i.user_id WHERE i.issuer = $1 AND i.subject = $2";
                bind!(sqlx::query_as($sql(sql)), issuer, subject)
                    .fetch_optional(self.pool())
                    .await
                    .context("reading a linked account")
            }

            async fn invitation(&self, email: &str, agency: Uuid) -> Result<Option<Invitation>, StoreError> {
                let sql = "SELECT id, email, agency_id, user_id FROM sso_invitations \
                           WHERE email = $1 AND agency_id = $2 AND used_at IS NULL ORDER BY invited_at DESC";
                bind!(sqlx::query_as($sql(sql)), email, agency)
                    .fetch_optional(self.pool())
                    .await
                    .context("reading an invitation")
            }

            async fn invite(&self, i: &Invitation, by: Uuid, at: DateTime<Utc>) -> Result<(), StoreError> {
                let sql = "INSERT INTO sso_invitations (id, email, agency_id, user_id, invited_by, invited_at) \
                           VALUES ($1, $2, $3, $4, $5, $6)";
                bind!(
                    sqlx::query($sql(sql)),
                    i.id,
                    &i.email,
                    i.agency_id,
                    i.user_id,
                    by,
                    at
                )
                .execute(self.pool())
                .await
                .context("recording an invitation")
                .map(drop)
            }

            async fn admit(&self, a: &Admission<'_>) -> Result<(), StoreError> {
                let mut tx = self.begin_write().await?;
                if let Some(n) = &a.new_account {
                    bind!(
                        sqlx::query($sql(INSERT_USER)),
                        n.id,
                        n.email,
                        n.name,
                        n.agency_id,
                        NO_PASSWORD
                    )
                    .execute(&mut *tx)
                    .await
                    .context("making an account at first sign-in")?;
                }
                if let Some((issuer, subject, provider)) = a.link {
                    let sql = "INSERT INTO sso_identities (issuer, subject, user_id, provider, linked_at) \
                               VALUES ($1, $2, $3, $4, $5)";
                    bind!(sqlx::query($sql(sql)), issuer, subject, a.user, provider, a.now)
                        .execute(&mut *tx)
                        .await
                        .context("linking an account to a provider")?;
                }
                if let Some(id) = a.invitation {
                    let sql = "UPDATE sso_invitations SET used_at = $2 WHERE id = $1";
                    bind!(sqlx::query($sql(sql)), id, a.now)
                        .execute(&mut *tx)
                        .await
                        .context("using an invitation")?;
                }
                let sql =
                    "INSERT INTO sessions (token_hash, user_id, created_at, last_seen_at) VALUES ($1, $2, $3, $3)";
                bind!(sqlx::query($sql(sql)), a.session, a.user, a.now)
                    .execute(&mut *tx)
                    .await
                    .context("starting a session")?;
                let sql =
                    "INSERT INTO sso_sessions (token_hash, issuer, subject, sid, id_token) VALUES ($1, $2, $3, $4, $5)";
                bind!(
                    sqlx::query($sql(sql)),
                    a.session,
                    a.issuer,
                    a.subject,
                    a.sid,
                    a.id_token
                )
                .execute(&mut *tx)
                .await
                .context("noting how a session signed in")?;
                tx.commit().await.context("admitting a sign-in")
            }

            async fn provider_sessions(
                &self,
                issuer: &str,
                subject: Option<&str>,
                sid: Option<&str>,
            ) -> Result<Vec<Vec<u8>>, StoreError> {
                // A token with both names the sessions having both.
                let sql = "SELECT token_hash FROM sso_sessions WHERE issuer = $1 \
                           AND ($2 IS NULL OR subject = $2) AND ($3 IS NULL OR sid = $3)";
                bind!(sqlx::query_scalar($sql(sql)), issuer, subject, sid)
                    .fetch_all(self.pool())
                    .await
                    .context("finding a provider's sessions")
            }

            async fn session_id_token(&self, session: &[u8]) -> Result<Option<(String, String)>, StoreError> {
                let sql = "SELECT issuer, id_token FROM sso_sessions WHERE token_hash = $1";
                bind!(sqlx::query_as($sql(sql)), session)
                    .fetch_optional(self.pool())
                    .await
                    .context("reading how a session signed in")
            }

            async fn first_sight_of(
                &self,
                issuer: &str,
                jti: &str,
                now: i64,
                forget_before: i64,
            ) -> Result<bool, StoreError> {
                let mut tx = self.begin_write().await?;
                bind!(
                    sqlx::query($sql("DELETE FROM sso_logout_tokens WHERE seen_at < $1")),
                    forget_before
                )
                .execute(&mut *tx)
                .await
                .context("forgetting old logout tokens")?;
                let sql =
                    "INSERT INTO sso_logout_tokens (issuer, jti, seen_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING";
                let done = bind!(sqlx::query($sql(sql)), issuer, jti, now)
                    .execute(&mut *tx)
                    .await
                    .context("noting a logout token")?;
                tx.commit().await.context("noting a logout token")?;
                Ok(done.rows_affected() == 1)
            }
        }
    };
}

sso_store!(PgStore, postgres_sql);
sso_store!(SqliteStore, sqlite_sql);
