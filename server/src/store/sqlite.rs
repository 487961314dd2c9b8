//! [`SqliteStore`]: the SQLite implementation of [`PlanStore`], one file on
//! disk, used when no `DATABASE_URL` is given. Schema: `migrations/sqlite`.
//!
//! Plan ids are stored as 16-byte blobs (how sqlx binds [`Uuid`] for
//! SQLite) and summaries as JSON text.

use super::bind;
use super::{CommittedUpdate, DbContext, LoggedUpdate, PlanStore, Snapshot, StoreError, StoredPlan};
use plan::PlanSummary;
use sqlx::sqlite::{
    Sqlite, SqliteConnectOptions, SqliteConnection, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteSynchronous,
};
use sqlx::types::Json;
use std::path::Path;
use std::time::Duration;
use uuid::Uuid;

/// SQLite runs one writer at a time; extra connections only let reads
/// proceed while a write is in progress (WAL).
const MAX_CONNECTIONS: u32 = 4;

/// How long a statement waits for another connection's write lock.
const BUSY_TIMEOUT: Duration = Duration::from_secs(5);

/// Writing transactions take the write lock up front, so they queue on the
/// busy timeout instead of failing when a read lock cannot be upgraded.
const BEGIN_WRITE: &str = "BEGIN IMMEDIATE";

/// Plans stored in one SQLite file.
#[derive(Debug, Clone)]
pub struct SqliteStore {
    pool: SqlitePool,
}

impl SqliteStore {
    /// Opens (creating it and its directory if needed) the database at
    /// `path` and brings its schema up to date.
    pub async fn open(path: &Path) -> Result<Self, StoreError> {
        if let Some(dir) = path.parent() {
            // Blocking, but only once at start-up (and tokio's `fs` feature is
            // not enabled). StoreError has no I/O variant; sqlx's own covers it.
            std::fs::create_dir_all(dir)
                .map_err(sqlx::Error::Io)
                .context("creating the SQLite database's directory")?;
        }
        let options = SqliteConnectOptions::new()
            .filename(path)
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            // FULL (not NORMAL) because append_updates promises durability
            // when it returns, even across a power cut.
            .synchronous(SqliteSynchronous::Full)
            .foreign_keys(true)
            .busy_timeout(BUSY_TIMEOUT);
        let pool = SqlitePoolOptions::new()
            .max_connections(MAX_CONNECTIONS)
            .connect_with(options)
            .await
            .context("opening the SQLite database")?;
        sqlx::migrate!("../migrations/sqlite").run(&pool).await?;
        Ok(SqliteStore { pool })
    }

    /// A transaction that takes the write lock up front.
    pub(crate) async fn begin_write(&self) -> Result<sqlx::Transaction<'static, sqlx::Sqlite>, StoreError> {
        self.pool.begin_with(BEGIN_WRITE).await.context("starting a write")
    }

    pub fn pool(&self) -> &SqlitePool {
        &self.pool
    }

    /// A read transaction: every read in it sees one state.
    async fn begin_read(&self) -> Result<sqlx::Transaction<'static, Sqlite>, StoreError> {
        self.pool.begin().await.context("starting to read")
    }

    /// SQLite is in-process, so a row per statement costs no round trips;
    /// the prepared statement is cached. The transaction makes the batch
    /// all-or-nothing: an error drops `tx`, which rolls back.
    async fn append_batch(&self, id: Uuid, first_seq: i64, updates: &[&[u8]]) -> Result<(), StoreError> {
        let mut tx = self.begin_write().await?;
        for (seq, update) in (first_seq..).zip(updates) {
            bind!(
                sqlx::query(r#"INSERT INTO plan_updates (plan_id, seq, "update") VALUES (?1, ?2, ?3)"#),
                id,
                seq,
                *update
            )
            .execute(&mut *tx)
            .await
            .context("appending updates")?;
        }
        tx.commit().await.context("committing appended updates")
    }

    /// One process holds the file, and writers queue on its write lock.
    async fn claim_compaction(_tx: &mut SqliteConnection, _id: Uuid, _upto: i64) -> Result<bool, StoreError> {
        Ok(true)
    }

    /// Only one server can hold a SQLite file.
    fn nodes_sharing(&self) -> Option<(sqlx::PgPool, Uuid)> {
        None
    }
}

// Timestamps have millisecond resolution; rowid (insertion order) breaks
// ties between plans created in the same millisecond.
super::plan_log::plan_log!(
    SqliteStore,
    SqliteConnection,
    super::sqlite_sql,
    order: "rowid DESC",
    now: "strftime('%Y-%m-%dT%H:%M:%fZ', 'now')"
);
