//! Where the accounts store keeps what guards credentials: failed log-in
//! counts ([`super::throttle`]), password changes that end sessions, and
//! one-time reset links. Part of [`super::store::AccountStore`]; the same SQL
//! runs on PostgreSQL and SQLite. Times are milliseconds since 1970.

use super::user_rows::run;
use crate::store::bind;
use crate::store::{postgres_sql, sqlite_sql, DbContext, PgStore, SqliteStore, StoreError};
use uuid::Uuid;

/// A failed log-in count as stored, by its key.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct StoredCount {
    pub key: Vec<u8>,
    pub failures: i64,
    pub last_failure_at: i64,
}

/// The sessions a change ended (their keys, the SHA-256 of their tokens).
pub type EndedSessions = Vec<Vec<u8>>;

#[async_trait::async_trait]
pub trait CredentialStore: Send + Sync + 'static {
    /// The counts of those `keys` that have any.
    async fn login_counts(&self, keys: &[Vec<u8>]) -> Result<Vec<StoredCount>, StoreError>;
    /// Adds a failure to each of `keys` at `now`, first forgetting any whose
    /// last failure was before `forget_before`, and prunes every such row.
    async fn record_login_failure(&self, keys: &[Vec<u8>], now: i64, forget_before: i64) -> Result<(), StoreError>;
    async fn clear_login_failures(&self, key: &[u8]) -> Result<(), StoreError>;
    /// The password hash of an active account.
    async fn password_hash(&self, user: Uuid) -> Result<Option<String>, StoreError>;
    /// Sets an active account's password and ends its sessions, all but
    /// `keep` if given; `None` if there is no such active account.
    async fn set_password(
        &self,
        user: Uuid,
        hash: &str,
        keep: Option<&[u8]>,
    ) -> Result<Option<EndedSessions>, StoreError>;
    /// Ends every session of `user`.
    async fn end_sessions(&self, user: Uuid) -> Result<EndedSessions, StoreError>;
    /// Keeps a new reset link for `user` in place of any earlier one, and
    /// prunes links that can no longer be used.
    async fn insert_reset(&self, token_hash: &[u8], user: Uuid, expires_at: i64, now: i64) -> Result<(), StoreError>;
    /// Uses a reset link, if it is unused and unexpired at `now` and its
    /// account active: sets the password and ends every session, at once.
    async fn use_reset(
        &self,
        token_hash: &[u8],
        hash: &str,
        now: i64,
    ) -> Result<Option<(Uuid, EndedSessions)>, StoreError>;
}

// Each failed log-in is counted by one statement, atomic, so that nodes
// counting at once all count; a count older than the window starts again.
const COUNT_FAILURE: &str = "INSERT INTO login_failures (key, failures, last_failure_at) VALUES ($1, 1, $2) \
     ON CONFLICT (key) DO UPDATE SET \
     failures = CASE WHEN login_failures.last_failure_at < $3 THEN 1 \
                ELSE login_failures.failures + 1 END, \
     last_failure_at = $2";
const SET_PASSWORD: &str = "UPDATE users SET password_hash = $2 WHERE id = $1 AND disabled_at IS NULL";
/// Ends a user's sessions, all but the one whose key is `$2` (if not null).
const END_SESSIONS: &str =
    "DELETE FROM sessions WHERE user_id = $1 AND ($2 IS NULL OR token_hash <> $2) RETURNING token_hash";
// Marked used by the one statement that finds it usable, so two uses at
// once cannot both succeed.
const END_ALL_SESSIONS: &str = "DELETE FROM sessions WHERE user_id = $1 RETURNING token_hash";
const USE_RESET: &str = "UPDATE password_resets SET used_at = $2 \
     WHERE token_hash = $1 AND used_at IS NULL AND expires_at > $2 RETURNING user_id";

/// One implementation for both databases (`$db`); `$sql` adapts the SQL
/// text.
macro_rules! credential_store {
    ($store:ty, $db:ty, $sql:expr) => {
        #[async_trait::async_trait]
        impl CredentialStore for $store {
            async fn login_counts(&self, keys: &[Vec<u8>]) -> Result<Vec<StoredCount>, StoreError> {
                if keys.is_empty() {
                    return Ok(Vec::new());
                }
                let marks: Vec<String> = (1..=keys.len()).map(|i| format!("${i}")).collect();
                let text = format!(
                    "SELECT key, failures, last_failure_at FROM login_failures WHERE key IN ({})",
                    marks.join(", ")
                );
                let mut query = sqlx::query_as($sql(&text));
                for key in keys {
                    query = query.bind(key.as_slice());
                }
                run!(fetch_all(query) on self.pool(), "reading failed log-ins")
            }

            async fn record_login_failure(
                &self,
                keys: &[Vec<u8>],
                now: i64,
                forget_before: i64,
            ) -> Result<(), StoreError> {
                // No transaction around the counts, so that the pruning
                // below never waits on rows another attempt holds.
                for key in keys {
                    let query = bind!(sqlx::query($sql(COUNT_FAILURE)), key.as_slice(), now, forget_before);
                    run!(execute(query) on self.pool(), "recording a failed log-in")?;
                }
                let sql = $sql("DELETE FROM login_failures WHERE last_failure_at < $1");
                run!(execute(sqlx::query(sql), forget_before) on self.pool(), "pruning failed log-ins").map(drop)
            }

            async fn clear_login_failures(&self, key: &[u8]) -> Result<(), StoreError> {
                let sql = $sql("DELETE FROM login_failures WHERE key = $1");
                run!(execute(sqlx::query(sql), key) on self.pool(), "clearing failed log-ins").map(drop)
            }

            async fn password_hash(&self, user: Uuid) -> Result<Option<String>, StoreError> {
                let sql = $sql("SELECT password_hash FROM users WHERE id = $1 AND disabled_at IS NULL");
                run!(fetch_optional(sqlx::query_scalar(sql), user) on self.pool(), "reading a password hash")
            }

            async fn set_password(
                &self,
                user: Uuid,
                hash: &str,
                keep: Option<&[u8]>,
            ) -> Result<Option<EndedSessions>, StoreError> {
                let mut tx = self.pool().begin().await.context("changing a password")?;
                let Some(ended) = Self::replace_password(&mut tx, user, hash, keep).await? else {
                    return Ok(None);
                };
                tx.commit().await.context("changing a password")?;
                Ok(Some(ended))
            }

            async fn end_sessions(&self, user: Uuid) -> Result<EndedSessions, StoreError> {
                let query = sqlx::query_scalar($sql(END_ALL_SESSIONS));
                run!(fetch_all(query, user) on self.pool(), "ending a user's sessions")
            }

            async fn insert_reset(
                &self,
                token_hash: &[u8],
                user: Uuid,
                expires_at: i64,
                now: i64,
            ) -> Result<(), StoreError> {
                let mut tx = self.pool().begin().await.context("issuing a reset link")?;
                let sql =
                    $sql("DELETE FROM password_resets WHERE user_id = $1 OR used_at IS NOT NULL OR expires_at <= $2");
                run!(execute(sqlx::query(sql), user, now) on &mut *tx, "pruning reset links")?;
                let sql = $sql("INSERT INTO password_resets (token_hash, user_id, expires_at) VALUES ($1, $2, $3)");
                let query = sqlx::query(sql);
                run!(execute(query, token_hash, user, expires_at) on &mut *tx, "issuing a reset link")?;
                tx.commit().await.context("issuing a reset link")
            }

            async fn use_reset(
                &self,
                token_hash: &[u8],
                hash: &str,
                now: i64,
            ) -> Result<Option<(Uuid, EndedSessions)>, StoreError> {
                let mut tx = self.pool().begin().await.context("using a reset link")?;
                let query = sqlx::query_scalar($sql(USE_RESET));
                let used: Option<Uuid> =
                    run!(fetch_optional(query, token_hash, now) on &mut *tx, "using a reset link")?;
                let Some(user) = used else {
                    return Ok(None);
                };
                // No such active account: dropping `tx` leaves the link unused.
                let Some(ended) = Self::replace_password(&mut tx, user, hash, None).await? else {
                    return Ok(None);
                };
                tx.commit().await.context("using a reset link")?;
                Ok(Some((user, ended)))
            }
        }

        impl $store {
            /// In `tx`: sets an active account's password and ends its
            /// sessions, all but `keep` if given; `None` if there is no
            /// such active account.
            async fn replace_password(
                tx: &mut sqlx::Transaction<'static, $db>,
                user: Uuid,
                hash: &str,
                keep: Option<&[u8]>,
            ) -> Result<Option<EndedSessions>, StoreError> {
                let query = sqlx::query($sql(SET_PASSWORD));
                let done = run!(execute(query, user, hash) on &mut **tx, "changing a password")?;
                if done.rows_affected() == 0 {
                    return Ok(None);
                }
                let query = sqlx::query_scalar($sql(END_SESSIONS));
                let ended = run!(fetch_all(query, user, keep) on &mut **tx, "ending a user's sessions")?;
                Ok(Some(ended))
            }
        }
    };
}

credential_store!(PgStore, sqlx::Postgres, postgres_sql);
credential_store!(SqliteStore, sqlx::Sqlite, sqlite_sql);
