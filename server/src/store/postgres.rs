//! [`PgStore`]: the PostgreSQL implementation of [`PlanStore`], the
//! production store. Schema: `migrations/postgres`.

use super::{CommittedUpdate, DbContext, LoggedUpdate, PlanStore, Snapshot, StoreError, StoredPlan};
use plan::PlanSummary;
use sqlx::postgres::{PgConnection, PgPool, PgPoolOptions};
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

/// The plans-list summary as of a seq, unless one as of a later seq is kept.
const UPDATE_SUMMARY: &str =
    "UPDATE plans SET summary = $2, summary_seq = $3, updated_at = now() WHERE id = $1 AND summary_seq <= $3";

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
}

/// Inserts a plan and its first snapshot, as part of the caller's transaction.
pub(crate) async fn insert_plan(
    tx: &mut PgConnection,
    id: Uuid,
    snapshot: &Snapshot,
    summary: &PlanSummary,
) -> Result<(), StoreError> {
    sqlx::query("INSERT INTO plans (id, summary) VALUES ($1, $2)")
        .bind(id)
        .bind(Json(summary))
        .execute(&mut *tx)
        .await
        .context("inserting a plan")?;
    sqlx::query("INSERT INTO plan_snapshots (plan_id, upto_seq, state, state_vector) VALUES ($1, $2, $3, $4)")
        .bind(id)
        .bind(snapshot.upto_seq)
        .bind(&snapshot.state)
        .bind(&snapshot.state_vector)
        .execute(&mut *tx)
        .await
        .context("inserting a plan's first snapshot")?;
    Ok(())
}

fn parse_summary(id: Uuid, json: serde_json::Value) -> Result<PlanSummary, StoreError> {
    serde_json::from_value(json).map_err(|e| StoreError::Corrupt(id, e))
}

#[async_trait::async_trait]
impl PlanStore for PgStore {
    async fn create_plan(&self, id: Uuid, snapshot: &Snapshot, summary: &PlanSummary) -> Result<(), StoreError> {
        let mut tx = self.pool.begin().await.context("starting to create a plan")?;
        insert_plan(&mut tx, id, snapshot, summary).await?;
        tx.commit().await.context("committing a new plan")
    }

    async fn list_plans(&self) -> Result<Vec<PlanSummary>, StoreError> {
        // `id` breaks ties so the order is stable between calls.
        let rows: Vec<(Uuid, serde_json::Value)> =
            sqlx::query_as("SELECT id, summary FROM plans ORDER BY created_at DESC, id DESC")
                .fetch_all(&self.pool)
                .await
                .context("listing plans")?;
        rows.into_iter().map(|(id, json)| parse_summary(id, json)).collect()
    }

    async fn plan_exists(&self, id: Uuid) -> Result<bool, StoreError> {
        sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM plans WHERE id = $1)")
            .bind(id)
            .fetch_one(&self.pool)
            .await
            .context("checking that a plan exists")
    }

    async fn load(&self, id: Uuid) -> Result<StoredPlan, StoreError> {
        // Both reads must see the same state: a compaction committing between
        // them would otherwise delete log entries newer than the snapshot
        // already read.
        let mut tx = self
            .pool
            .begin_with("BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            .await
            .context("starting to load a plan")?;
        // No row: no such plan. A row of NULLs: a plan without a snapshot.
        let row: Option<(Option<i64>, Option<Vec<u8>>, Option<Vec<u8>>)> = sqlx::query_as(
            "SELECT s.upto_seq, s.state, s.state_vector FROM plans p \
             LEFT JOIN plan_snapshots s ON s.plan_id = p.id \
               AND s.upto_seq = (SELECT max(upto_seq) FROM plan_snapshots WHERE plan_id = p.id) \
             WHERE p.id = $1",
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
            sqlx::query_as(r#"SELECT seq, "update" FROM plan_updates WHERE plan_id = $1 AND seq > $2 ORDER BY seq"#)
                .bind(id)
                .bind(after)
                .fetch_all(&mut *tx)
                .await
                .context("loading a plan's update log")?;
        let clients: Vec<(i64, Uuid)> =
            sqlx::query_as("SELECT client_id, user_id FROM plan_clients WHERE plan_id = $1")
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
        // The hot path: one multi-row INSERT, so one round trip. A single
        // statement is its own transaction: a duplicate seq or an unknown
        // plan fails it as a whole and nothing is written.
        sqlx::query(
            r#"INSERT INTO plan_updates (plan_id, seq, "update")
               SELECT $1, $2 + u.ord - 1, u.data
               FROM UNNEST($3::bytea[]) WITH ORDINALITY AS u(data, ord)"#,
        )
        .bind(id)
        .bind(first_seq)
        .bind(updates)
        .execute(&self.pool)
        .await
        .context("appending updates")?;
        Ok(())
    }

    async fn updates_after(&self, id: Uuid, after: i64) -> Result<Vec<CommittedUpdate>, StoreError> {
        let rows = sqlx::query_as(super::postgres_sql(super::UPDATES_AFTER))
            .bind(id)
            .bind(after)
            .fetch_all(&self.pool)
            .await
            .context("reading updates logged by other nodes")?;
        Ok(super::committed(rows))
    }

    async fn compact(&self, id: Uuid, snapshot: &Snapshot, summary: &PlanSummary) -> Result<(), StoreError> {
        let mut tx = self.pool.begin().await.context("starting a compaction")?;
        // One node compacts a plan at a time; the others skip their turn.
        let ours: bool = sqlx::query_scalar(
            "SELECT pg_try_advisory_xact_lock(hashtextextended('pillars compact ' || $1::text, 0))              AND NOT EXISTS (SELECT 1 FROM plan_snapshots WHERE plan_id = $1 AND upto_seq >= $2)",
        )
        .bind(id)
        .bind(snapshot.upto_seq)
        .fetch_one(&mut *tx)
        .await
        .context("taking a plan's compaction lock")?;
        if !ours {
            tracing::debug!(plan = %id, upto = snapshot.upto_seq, "another node compacts this plan, or has compacted it as far");
            return Ok(());
        }
        sqlx::query("INSERT INTO plan_snapshots (plan_id, upto_seq, state, state_vector) VALUES ($1, $2, $3, $4)")
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
            let known: bool = sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM plans WHERE id = $1)")
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

    fn shared_with_nodes(&self) -> Option<(PgPool, Uuid)> {
        Some((self.pool.clone(), self.node))
    }

    async fn log_stats(&self, id: Uuid) -> Result<(i64, i64), StoreError> {
        // Selecting from `plans` tells an unknown plan (no row) from an
        // empty one.
        let row: Option<(i64, i64)> = sqlx::query_as(
            "SELECT (SELECT count(*) FROM plan_updates WHERE plan_id = p.id AND seq > \
                       COALESCE((SELECT max(upto_seq) FROM plan_snapshots WHERE plan_id = p.id), 0)), \
                    (SELECT count(*) FROM plan_snapshots WHERE plan_id = p.id) \
             FROM plans p WHERE p.id = $1",
        )
        .bind(id)
        .fetch_optional(&self.pool)
        .await
        .context("counting a plan's log entries and snapshots")?;
        row.ok_or(StoreError::NotFound(id))
    }
}
