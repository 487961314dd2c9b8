//! [`PgStore`]: PostgreSQL, the production store. Schema:
//! `migrations/postgres`. Its [`PlanStore`] is [`super::plan_log`]'s, with
//! what PostgreSQL does its own way: one multi-row insert per batch, and
//! one node compacting a plan at a time.

use super::bind;
use super::{CommittedUpdate, DbContext, LoggedUpdate, PlanStore, Snapshot, StoreError, StoredPlan};
use plan::PlanSummary;
use sqlx::postgres::{PgConnection, PgPool, PgPoolOptions, Postgres};
use sqlx::types::Json;
use std::time::Duration;
use uuid::Uuid;

/// Connections kept by [`PgStore::connect`] unless configured
/// (`PILLARS_DB_CONNECTIONS`). Every open plan's room commits each batch
/// through the pool, so with many plans open at once commits wait for a
/// connection: 1,000 plans at one update a second each had a p50 of 1.6 s
/// from arrival to relay with 16 connections, 0.1 s with 48.
pub const DEFAULT_CONNECTIONS: u32 = 48;

/// How long a request waits for a free connection before failing.
const ACQUIRE_TIMEOUT: Duration = Duration::from_secs(10);

/// Plans stored in PostgreSQL.
#[derive(Debug, Clone)]
pub struct PgStore {
    pool: PgPool,
    /// This server node, as named in the notices its appends send (so it
    /// can tell its own from other nodes').
    node: Uuid,
}

impl PgStore {
    /// Connects to `url` with up to `connections` connections and brings
    /// the schema up to date.
    pub async fn connect(url: &str, connections: u32) -> Result<Self, StoreError> {
        let pool = PgPoolOptions::new()
            .max_connections(connections.max(2))
            .acquire_timeout(ACQUIRE_TIMEOUT)
            .connect(url)
            .await
            .context("connecting to PostgreSQL")?;
        Self::migrate(&pool).await?;
        Ok(Self::from_pool(pool))
    }

    /// Wraps a pool whose schema is already migrated.
    pub fn from_pool(pool: PgPool) -> Self {
        PgStore {
            pool,
            node: Uuid::new_v4(),
        }
    }

    /// This node's id (new at each start).
    pub fn node(&self) -> Uuid {
        self.node
    }

    /// Applies every migration in `migrations/postgres` not yet applied.
    pub async fn migrate(pool: &PgPool) -> Result<(), StoreError> {
        sqlx::migrate!("../migrations/postgres").run(pool).await?;
        Ok(())
    }

    pub fn pool(&self) -> &PgPool {
        &self.pool
    }

    /// A transaction whose reads all see one state.
    async fn begin_read(&self) -> Result<sqlx::Transaction<'static, Postgres>, StoreError> {
        self.pool
            .begin_with("BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            .await
            .context("starting to read")
    }

    /// A writing transaction.
    pub(crate) async fn begin_write(&self) -> Result<sqlx::Transaction<'static, Postgres>, StoreError> {
        self.pool.begin().await.context("starting a write")
    }

    /// The hot path: one multi-row INSERT, so one round trip. A single
    /// statement is its own transaction: a duplicate seq or an unknown plan
    /// fails it as a whole and nothing is written.
    async fn append_batch(&self, id: Uuid, first_seq: i64, updates: &[&[u8]]) -> Result<(), StoreError> {
        bind!(
            sqlx::query(
                r#"INSERT INTO plan_updates (plan_id, seq, "update")
               SELECT $1, $2 + u.ord - 1, u.data
               FROM UNNEST($3::bytea[]) WITH ORDINALITY AS u(data, ord)"#,
            ),
            id,
            first_seq,
            updates
        )
        .execute(&self.pool)
        .await
        .context("appending updates")?;
        Ok(())
    }

    /// Whether this transaction compacts the plan up to `upto`: one node
    /// compacts a plan at a time, and none again as far as another did.
    async fn claim_compaction(tx: &mut PgConnection, id: Uuid, upto: i64) -> Result<bool, StoreError> {
        bind!(
            sqlx::query_scalar(
                "SELECT pg_try_advisory_xact_lock(hashtextextended('pillars compact ' || $1::text, 0)) \
             AND NOT EXISTS (SELECT 1 FROM plan_snapshots WHERE plan_id = $1 AND upto_seq >= $2)",
            ),
            id,
            upto
        )
        .fetch_one(&mut *tx)
        .await
        .context("taking a plan's compaction lock")
    }

    fn nodes_sharing(&self) -> Option<(PgPool, Uuid)> {
        Some((self.pool.clone(), self.node))
    }
}

super::plan_log::plan_log!(PgStore, PgConnection, super::postgres_sql, order: "id DESC", now: "now()");
