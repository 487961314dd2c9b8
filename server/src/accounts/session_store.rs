//! Where the accounts store keeps log-in sessions, by the SHA-256 of their
//! tokens. Part of [`super::store::AccountStore`]; the same SQL runs on
//! PostgreSQL and SQLite.

use super::agencies_and_users::User;
use super::user_rows::{run, USER_COLUMNS};
use crate::store::{postgres_sql, sqlite_sql, DbContext, PgStore, SqliteStore, StoreError};
use chrono::{DateTime, Utc};
use uuid::Uuid;

/// A session as stored.
#[derive(sqlx::FromRow)]
pub struct StoredSession {
    #[sqlx(flatten)]
    pub user: User,
    pub created_at: DateTime<Utc>,
    pub last_seen_at: DateTime<Utc>,
}

#[async_trait::async_trait]
pub trait SessionStore: Send + Sync + 'static {
    async fn insert_session(&self, token_hash: &[u8], user: Uuid, now: DateTime<Utc>) -> Result<(), StoreError>;
    async fn session(&self, token_hash: &[u8]) -> Result<Option<StoredSession>, StoreError>;
    async fn touch_session(&self, token_hash: &[u8], now: DateTime<Utc>) -> Result<(), StoreError>;
    async fn delete_session(&self, token_hash: &[u8]) -> Result<(), StoreError>;
}

// Every failure says the same: sessions are read on each request.
const CONTEXT: &str = "reading or writing accounts";

/// One implementation for both databases; `$sql` adapts the SQL text.
macro_rules! session_store {
    ($store:ty, $sql:expr) => {
        #[async_trait::async_trait]
        impl SessionStore for $store {
            async fn insert_session(
                &self,
                token_hash: &[u8],
                user: Uuid,
                now: DateTime<Utc>,
            ) -> Result<(), StoreError> {
                let sql = $sql(
                    "INSERT INTO sessions (token_hash, user_id, created_at, last_seen_at) VALUES ($1, $2, $3, $3)",
                );
                run!(execute(sqlx::query(sql), token_hash, user, now) on self.pool(), CONTEXT).map(drop)
            }

            async fn session(&self, token_hash: &[u8]) -> Result<Option<StoredSession>, StoreError> {
                let sql = $sql(&format!(
                    "SELECT {USER_COLUMNS}, s.created_at, s.last_seen_at FROM sessions s \
                     JOIN users u ON u.id = s.user_id JOIN agencies a ON a.id = u.agency_id \
                     WHERE s.token_hash = $1 AND u.disabled_at IS NULL"
                ));
                run!(fetch_optional(sqlx::query_as(sql), token_hash) on self.pool(), CONTEXT)
            }

            async fn touch_session(&self, token_hash: &[u8], now: DateTime<Utc>) -> Result<(), StoreError> {
                let sql = $sql("UPDATE sessions SET last_seen_at = $2 WHERE token_hash = $1");
                run!(execute(sqlx::query(sql), token_hash, now) on self.pool(), CONTEXT).map(drop)
            }

            async fn delete_session(&self, token_hash: &[u8]) -> Result<(), StoreError> {
                let sql = $sql("DELETE FROM sessions WHERE token_hash = $1");
                run!(execute(sqlx::query(sql), token_hash) on self.pool(), CONTEXT).map(drop)
            }
        }
    };
}

session_store!(PgStore, postgres_sql);
session_store!(SqliteStore, sqlite_sql);
