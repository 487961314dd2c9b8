//! Where the accounts store keeps what guards credentials: failed log-in
//! counts ([`super::throttle`]), password changes that end sessions, and
//! one-time reset links. Part of [`super::store::AccountStore`]; the same SQL
//! runs on PostgreSQL and SQLite. Times are milliseconds since 1970.

use crate::store::bind;
use crate::store::{postgres_sql, sqlite_sql, DbContext, PgStore, SqliteStore, StoreError};
use sqlx::Row;
use uuid::Uuid;

/// A failed log-in count as stored, by its key.
#[derive(Debug, Clone, PartialEq, Eq)]
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

/// One implementation for both databases; `$sql` adapts the SQL text.
macro_rules! credential_store {
    ($store:ty, $sql:expr) => {
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
                let sql = $sql(&text);
                let mut query = sqlx::query(sql);
                for key in keys {
                    query = query.bind(key.as_slice());
                }
                let rows = query
                    .fetch_all(self.pool())
                    .await
                    .context("reading failed log-ins")?;
                rows.iter()
                    .map(|r| -> Result<StoredCount, sqlx::Error> {
                        Ok(StoredCount {
                            key: r.try_get("key")?,
                            failures: r.try_get("failures")?,
                            last_failure_at: r.try_get("last_failure_at")?,
                        })
                    })
                    .collect::<Result<_, _>>()
                    .context("reading failed log-ins")
            }

            async fn record_login_failure(
                &self,
                keys: &[Vec<u8>],
                now: i64,
                forget_before: i64,
            ) -> Result<(), StoreError> {
                // One statement per key, each atomic, so that nodes counting at
                // once all count; no transaction around them, so that the
                // pruning below never waits on rows another attempt holds.
                let upsert = "INSERT INTO login_failures (key, failures, last_failure_at) VALUES ($1, 1, $2) \
                     ON CONFLICT (key) DO UPDATE SET \
                     failures = CASE WHEN login_failures.last_failure_at < $3 THEN 1 \
                                ELSE login_failures.failures + 1 END, \
                     last_failure_at = $2";
                for key in keys {
                    bind!(sqlx::query($sql(upsert)), key.as_slice(), now, forget_before)
                        .execute(self.pool())
                        .await
                        .context("recording a failed log-in")?;
                }
                let sql = $sql("DELETE FROM login_failures WHERE last_failure_at < $1");
                bind!(sqlx::query(sql), forget_before)
                    .execute(self.pool())
                    .await
                    .context("pruning failed log-ins")?;
                Ok(())
            }

            async fn clear_login_failures(&self, key: &[u8]) -> Result<(), StoreError> {
                let sql = $sql("DELETE FROM login_failures WHERE key = $1");
                bind!(sqlx::query(sql), key)
                    .execute(self.pool())
                    .await
                    .context("clearing failed log-ins")?;
                Ok(())
            }

            async fn password_hash(&self, user: Uuid) -> Result<Option<String>, StoreError> {
                let sql = $sql("SELECT password_hash FROM users WHERE id = $1 AND disabled_at IS NULL");
                bind!(sqlx::query_scalar(sql), user)
                    .fetch_optional(self.pool())
                    .await
                    .context("reading a password hash")
            }

            async fn set_password(
                &self,
                user: Uuid,
                hash: &str,
                keep: Option<&[u8]>,
            ) -> Result<Option<EndedSessions>, StoreError> {
                let mut tx = self.pool().begin().await.context("changing a password")?;
                let sql = $sql("UPDATE users SET password_hash = $2 WHERE id = $1 AND disabled_at IS NULL");
                let done = bind!(sqlx::query(sql), user, hash)
                    .execute(&mut *tx)
                    .await
                    .context("changing a password")?;
                if done.rows_affected() == 0 {
                    return Ok(None);
                }
                let sql = $sql(
                    "DELETE FROM sessions WHERE user_id = $1 AND ($2 IS NULL OR token_hash <> $2) RETURNING token_hash",
                );
                let ended: EndedSessions = bind!(sqlx::query_scalar(sql), user, keep)
                    .fetch_all(&mut *tx)
                    .await
                    .context("ending a user's other sessions")?;
                tx.commit().await.context("changing a password")?;
                Ok(Some(ended))
            }

            async fn end_sessions(&self, user: Uuid) -> Result<EndedSessions, StoreError> {
                let sql = $sql("DELETE FROM sessions WHERE user_id = $1 RETURNING token_hash");
                bind!(sqlx::query_scalar(sql), user)
                    .fetch_all(self.pool())
                    .await
                    .context("ending a user's sessions")
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
                bind!(sqlx::query(sql), user, now)
                    .execute(&mut *tx)
                    .await
                    .context("pruning reset links")?;
                let sql = $sql("INSERT INTO password_resets (token_hash, user_id, expires_at) VALUES ($1, $2, $3)");
                bind!(sqlx::query(sql), token_hash, user, expires_at)
                    .execute(&mut *tx)
                    .await
                    .context("issuing a reset link")?;
                tx.commit().await.context("issuing a reset link")?;
                Ok(())
            }

            async fn use_reset(
                &self,
                token_hash: &[u8],
                hash: &str,
                now: i64,
            ) -> Result<Option<(Uuid, EndedSessions)>, StoreError> {
                let mut tx = self.pool().begin().await.context("using a reset link")?;
                // Marked used by the one statement that finds it usable, so
                // two uses at once cannot both succeed.
                let sql = $sql(
                    "UPDATE password_resets SET used_at = $2 \
                     WHERE token_hash = $1 AND used_at IS NULL AND expires_at > $2 RETURNING user_id",
                );
                let user: Option<Uuid> = bind!(sqlx::query_scalar(sql), token_hash, now)
                    .fetch_optional(&mut *tx)
                    .await
                    .context("using a reset link")?;
                let Some(user) = user else {
                    return Ok(None);
                };
                let sql = $sql("UPDATE users SET password_hash = $2 WHERE id = $1 AND disabled_at IS NULL");
                let done = bind!(sqlx::query(sql), user, hash)
                    .execute(&mut *tx)
                    .await
                    .context("resetting a password")?;
                if done.rows_affected() == 0 {
                    return Ok(None);
                }
                let sql = $sql("DELETE FROM sessions WHERE user_id = $1 RETURNING token_hash");
                let ended: EndedSessions = bind!(sqlx::query_scalar(sql), user)
                    .fetch_all(&mut *tx)
                    .await
                    .context("ending a user's sessions")?;
                tx.commit().await.context("using a reset link")?;
                Ok(Some((user, ended)))
            }
        }
    };
}

credential_store!(PgStore, postgres_sql);
credential_store!(SqliteStore, sqlite_sql);
