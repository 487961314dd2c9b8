//! [`SqliteStore`]: the SQLite implementation of [`PlanStore`], one file on
//! disk, used when no `DATABASE_URL` is given. Schema: `migrations/sqlite`.
//!
//! Plan ids are stored as 16-byte blobs (how sqlx binds [`Uuid`] for
//! SQLite) and summaries as JSON text.

use super::{CommittedUpdate, DbContext, LoggedUpdate, PlanStore, Snapshot, StoreError, StoredPlan};
use plan::PlanSummary;
use sqlx::sqlite::{
    SqliteConnectOptions, SqliteConnection, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteSynchronous,
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

/// The plans-list summary as of a seq, unless one as of a later seq is kept.
const UPDATE_SUMMARY: &str = "UPDATE plans SET summary = ?2, summary_seq = ?3, \
     updated_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now') WHERE id = ?1 AND summary_seq <= ?3";

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
}

/// Inserts a plan and its first snapshot, as part of the caller's transaction.
pub(crate) async fn insert_plan(
    tx: &mut SqliteConnection,
    id: Uuid,
    snapshot: &Snapshot,
    summary: &PlanSummary,
) -> Result<(), StoreError> {
    sqlx::query("INSERT INTO plans (id, summary) VALUES (?1, ?2)")
        .bind(id)
        .bind(Json(summary))
        .execute(&mut *tx)
        .await
        .context("inserting a plan")?;
    sqlx::query("INSERT INTO plan_snapshots (plan_id, upto_seq, state, state_vector) VALUES (?1, ?2, ?3, ?4)")
        .bind(id)
        .bind(snapshot.upto_seq)
        .bind(&snapshot.state)
        .bind(&snapshot.state_vector)
        .execute(&mut *tx)
        .await
        .context("inserting a plan's first snapshot")?;
    Ok(())
}

fn parse_summary(id: Uuid, json: &str) -> Result<PlanSummary, StoreError> {
    serde_json::from_str(json).map_err(|e| StoreError::Corrupt(id, e))
}

#[async_trait::async_trait]
impl PlanStore for SqliteStore {
    async fn create_plan(&self, id: Uuid, snapshot: &Snapshot, summary: &PlanSummary) -> Result<(), StoreError> {
        let mut tx = self.begin_write().await?;
        insert_plan(&mut tx, id, snapshot, summary).await?;
        tx.commit().await.context("committing a new plan")
    }

    async fn list_plans(&self) -> Result<Vec<PlanSummary>, StoreError> {
        // Timestamps have millisecond resolution; rowid (insertion order)
        // breaks ties between plans created in the same millisecond.
        let rows: Vec<(Uuid, String)> =
            sqlx::query_as("SELECT id, summary FROM plans ORDER BY created_at DESC, rowid DESC")
                .fetch_all(&self.pool)
                .await
                .context("listing plans")?;
        rows.iter().map(|(id, json)| parse_summary(*id, json)).collect()
    }

    async fn plan_exists(&self, id: Uuid) -> Result<bool, StoreError> {
        sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM plans WHERE id = ?1)")
            .bind(id)
            .fetch_one(&self.pool)
            .await
            .context("checking that a plan exists")
    }

    async fn load(&self, id: Uuid) -> Result<StoredPlan, StoreError> {
        // One read transaction, so both reads see the same state: a
        // compaction committing between them would otherwise delete log
        // entries newer than the snapshot already read.
        let mut tx = self.pool.begin().await.context("starting to load a plan")?;
        // No row: no such plan. A row of NULLs: a plan without a snapshot.
        let row: Option<(Option<i64>, Option<Vec<u8>>, Option<Vec<u8>>)> = sqlx::query_as(
            "SELECT s.upto_seq, s.state, s.state_vector FROM plans p \
             LEFT JOIN plan_snapshots s ON s.plan_id = p.id \
               AND s.upto_seq = (SELECT max(upto_seq) FROM plan_snapshots WHERE plan_id = p.id) \
             WHERE p.id = ?1",
        )
        .bind(id)
        .fetch_optional(&mut *tx)
        .await
        .context("loading a plan's latest snapshot")?;
        let snapshot = match row.ok_or(StoreError::NotFound(id))? {
            (Some(upto_seq), Some(state), Some(state_vector)) => Some(Snapshot {
                upto_seq,
                state,
                state_vector,
            }),
            _ => None,
        };
        let after = snapshot.as_ref().map_or(0, |s| s.upto_seq);
        let rows: Vec<(i64, Vec<u8>)> =
            sqlx::query_as(r#"SELECT seq, "update" FROM plan_updates WHERE plan_id = ?1 AND seq > ?2 ORDER BY seq"#)
                .bind(id)
                .bind(after)
                .fetch_all(&mut *tx)
                .await
                .context("loading a plan's update log")?;
        let clients: Vec<(i64, Uuid)> =
            sqlx::query_as("SELECT client_id, user_id FROM plan_clients WHERE plan_id = ?1")
                .bind(id)
                .fetch_all(&mut *tx)
                .await
                .context("loading who owns a plan's client ids")?;
        tx.commit().await.context("finishing loading a plan")?;
        let updates = rows
            .into_iter()
            .map(|(seq, update)| LoggedUpdate { seq, update })
            .collect();
        let clients = clients
            .into_iter()
            .map(|(client, user)| (client as u64, user))
            .collect();
        Ok(StoredPlan {
            snapshot,
            updates,
            clients,
        })
    }

    async fn append_updates(&self, id: Uuid, first_seq: i64, updates: &[&[u8]]) -> Result<(), StoreError> {
        if updates.is_empty() {
            return Ok(());
        }
        // SQLite is in-process, so a row per statement costs no round trips;
        // the prepared statement is cached. The transaction makes the batch
        // all-or-nothing: an error drops `tx`, which rolls back.
        let mut tx = self
            .pool
            .begin_with(BEGIN_WRITE)
            .await
            .context("starting to append updates")?;
        for (seq, update) in (first_seq..).zip(updates) {
            sqlx::query(r#"INSERT INTO plan_updates (plan_id, seq, "update") VALUES (?1, ?2, ?3)"#)
                .bind(id)
                .bind(seq)
                .bind(*update)
                .execute(&mut *tx)
                .await
                .context("appending updates")?;
        }
        tx.commit().await.context("committing appended updates")
    }

    async fn updates_after(&self, id: Uuid, after: i64) -> Result<Vec<CommittedUpdate>, StoreError> {
        let rows = sqlx::query_as(super::sqlite_sql(super::UPDATES_AFTER))
            .bind(id)
            .bind(after)
            .fetch_all(&self.pool)
            .await
            .context("reading a plan's later updates")?;
        Ok(super::committed(rows))
    }

    async fn compact(&self, id: Uuid, snapshot: &Snapshot, summary: &PlanSummary) -> Result<(), StoreError> {
        let mut tx = self
            .pool
            .begin_with(BEGIN_WRITE)
            .await
            .context("starting a compaction")?;
        sqlx::query("INSERT INTO plan_snapshots (plan_id, upto_seq, state, state_vector) VALUES (?1, ?2, ?3, ?4)")
            .bind(id)
            .bind(snapshot.upto_seq)
            .bind(&snapshot.state)
            .bind(&snapshot.state_vector)
            .execute(&mut *tx)
            .await
            .context("inserting a compacted snapshot")?;
        sqlx::query(UPDATE_SUMMARY)
            .bind(id)
            .bind(Json(summary))
            .bind(snapshot.upto_seq)
            .execute(&mut *tx)
            .await
            .context("updating a compacted plan's summary")?;
        tx.commit().await.context("committing a compaction")
    }

    async fn update_summary(&self, id: Uuid, summary: &PlanSummary, seq: i64) -> Result<(), StoreError> {
        let done = sqlx::query(UPDATE_SUMMARY)
            .bind(id)
            .bind(Json(summary))
            .bind(seq)
            .execute(&self.pool)
            .await
            .context("updating a plan's summary")?;
        if done.rows_affected() == 0 {
            let known: bool = sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM plans WHERE id = ?1)")
                .bind(id)
                .fetch_one(&self.pool)
                .await
                .context("looking for a plan")?;
            if !known {
                return Err(StoreError::NotFound(id));
            }
        }
        Ok(())
    }

    async fn log_stats(&self, id: Uuid) -> Result<(i64, i64), StoreError> {
        // Selecting from `plans` tells an unknown plan (no row) from an
        // empty one.
        let row: Option<(i64, i64)> = sqlx::query_as(
            "SELECT (SELECT count(*) FROM plan_updates WHERE plan_id = p.id AND seq > \
                       COALESCE((SELECT max(upto_seq) FROM plan_snapshots WHERE plan_id = p.id), 0)), \
                    (SELECT count(*) FROM plan_snapshots WHERE plan_id = p.id) \
             FROM plans p WHERE p.id = ?1",
        )
        .bind(id)
        .fetch_optional(&self.pool)
        .await
        .context("counting a plan's log entries and snapshots")?;
        row.ok_or(StoreError::NotFound(id))
    }
}
