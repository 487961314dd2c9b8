//! [`PlanStore`](super::PlanStore) for both databases, written once: the
//! plan log and snapshots the rooms read and write. [`plan_log!`] expands
//! to the same SQL and steps for [`super::PgStore`] and
//! [`super::SqliteStore`]; each store gives only what its database does
//! differently (`begin_read`, `begin_write`, `append_batch`,
//! `claim_compaction`, and a few words of SQL).

/// The latest snapshot of a plan. No row: no such plan. A row of NULLs: a
/// plan without a snapshot.
pub(super) const LATEST_SNAPSHOT: &str = "SELECT s.upto_seq, s.state, s.state_vector, p.state FROM plans p \
     LEFT JOIN plan_snapshots s ON s.plan_id = p.id \
       AND s.upto_seq = (SELECT max(upto_seq) FROM plan_snapshots WHERE plan_id = p.id) \
     WHERE p.id = $1";
pub(super) const LOG_AFTER: &str =
    r#"SELECT seq, "update" FROM plan_updates WHERE plan_id = $1 AND seq > $2 ORDER BY seq"#;
pub(super) const CLIENTS: &str = "SELECT client_id, user_id FROM plan_clients WHERE plan_id = $1";
pub(super) const INSERT_PLAN: &str = "INSERT INTO plans (id, summary) VALUES ($1, $2)";
pub(super) const INSERT_SNAPSHOT: &str =
    "INSERT INTO plan_snapshots (plan_id, upto_seq, state, state_vector) VALUES ($1, $2, $3, $4)";
pub(super) const EXISTS: &str = "SELECT EXISTS (SELECT 1 FROM plans WHERE id = $1)";
/// Selecting from `plans` tells an unknown plan (no row) from an empty one.
pub(super) const LOG_STATS: &str = "SELECT (SELECT count(*) FROM plan_updates WHERE plan_id = p.id AND seq > \
       COALESCE((SELECT max(upto_seq) FROM plan_snapshots WHERE plan_id = p.id), 0)), \
     (SELECT count(*) FROM plan_snapshots WHERE plan_id = p.id) \
     FROM plans p WHERE p.id = $1";

/// A stored summary (JSON text, read as text alike from both databases).
pub(super) fn parse_summary(id: uuid::Uuid, json: &str) -> Result<plan::PlanSummary, super::StoreError> {
    serde_json::from_str(json).map_err(|e| super::StoreError::Corrupt(id, e))
}

/// Implements `PlanStore` for `$store`, whose connection type is `$conn`:
/// `$sql` adapts the SQL text, `$order` breaks ties between plans created
/// in the same instant, `$now` is the database's "now" as stored text.
macro_rules! plan_log {
    ($store:ty, $conn:ty, $sql:path, order: $order:literal, now: $now:literal) => {
        use super::plan_log::{
            parse_summary, CLIENTS, EXISTS, INSERT_PLAN, INSERT_SNAPSHOT, LATEST_SNAPSHOT, LOG_AFTER, LOG_STATS,
        };

        /// The plans-list summary as of a seq, unless one as of a later seq is kept.
        const UPDATE_SUMMARY: &str = concat!(
            "UPDATE plans SET summary = $2, summary_seq = $3, updated_at = ",
            $now,
            " WHERE id = $1 AND summary_seq <= $3"
        );

        /// Inserts a plan and its first snapshot, as part of the caller's transaction.
        pub(crate) async fn insert_plan(
            tx: &mut $conn,
            id: Uuid,
            snapshot: &Snapshot,
            summary: &PlanSummary,
        ) -> Result<(), StoreError> {
            bind!(sqlx::query($sql(INSERT_PLAN)), id, Json(summary))
                .execute(&mut *tx)
                .await
                .context("inserting a plan")?;
            insert_snapshot(tx, id, snapshot).await
        }

        async fn insert_snapshot(tx: &mut $conn, id: Uuid, snapshot: &Snapshot) -> Result<(), StoreError> {
            bind!(sqlx::query($sql(INSERT_SNAPSHOT)), id, snapshot.upto_seq, &snapshot.state, &snapshot.state_vector)
                .execute(&mut *tx)
                .await
                .context("inserting a plan's snapshot")?;
            Ok(())
        }

        #[async_trait::async_trait]
        impl PlanStore for $store {
            async fn create_plan(
                &self,
                id: Uuid,
                snapshot: &Snapshot,
                summary: &PlanSummary,
            ) -> Result<(), StoreError> {
                let mut tx = self.begin_write().await?;
                insert_plan(&mut tx, id, snapshot, summary).await?;
                tx.commit().await.context("committing a new plan")
            }

            async fn list_plans(&self) -> Result<Vec<PlanSummary>, StoreError> {
                let sql = concat!("SELECT id, CAST(summary AS TEXT) FROM plans ORDER BY created_at DESC, ", $order);
                let rows: Vec<(Uuid, String)> = sqlx::query_as($sql(sql))
                    .fetch_all(self.pool())
                    .await
                    .context("listing plans")?;
                rows.iter().map(|(id, json)| parse_summary(*id, json)).collect()
            }

            async fn plan_exists(&self, id: Uuid) -> Result<bool, StoreError> {
                bind!(sqlx::query_scalar($sql(EXISTS)), id)
                    .fetch_one(self.pool())
                    .await
                    .context("checking that a plan exists")
            }

            async fn load(&self, id: Uuid) -> Result<StoredPlan, StoreError> {
                // One read transaction, so every read sees the same state: a
                // compaction committing between them would otherwise make
                // the log and the snapshot disagree.
                let mut tx = self.begin_read().await?;
                type Row = (Option<i64>, Option<Vec<u8>>, Option<Vec<u8>>, String);
                let row: Option<Row> = bind!(sqlx::query_as($sql(LATEST_SNAPSHOT)), id)
                    .fetch_optional(&mut *tx)
                    .await
                    .context("loading a plan's latest snapshot")?;
                let (upto_seq, state, state_vector, life) = row.ok_or(StoreError::NotFound(id))?;
                let snapshot = match (upto_seq, state, state_vector) {
                    (Some(upto_seq), Some(state), Some(state_vector)) => Some(Snapshot {
                        upto_seq,
                        state,
                        state_vector,
                    }),
                    _ => None,
                };
                let after = snapshot.as_ref().map_or(0, |s| s.upto_seq);
                let rows: Vec<(i64, Vec<u8>)> = bind!(sqlx::query_as($sql(LOG_AFTER)), id, after)
                    .fetch_all(&mut *tx)
                    .await
                    .context("loading a plan's update log")?;
                let clients: Vec<(i64, Uuid)> = bind!(sqlx::query_as($sql(CLIENTS)), id)
                    .fetch_all(&mut *tx)
                    .await
                    .context("loading who owns a plan's client ids")?;
                tx.commit().await.context("finishing loading a plan")?;
                Ok(StoredPlan {
                    snapshot,
                    updates: rows.into_iter().map(|(seq, update)| LoggedUpdate { seq, update }).collect(),
                    clients: clients.into_iter().map(|(client, user)| (client as u64, user)).collect(),
                    closed: life == "closed",
                })
            }

            async fn append_updates(&self, id: Uuid, first_seq: i64, updates: &[&[u8]]) -> Result<(), StoreError> {
                if updates.is_empty() {
                    return Ok(());
                }
                self.append_batch(id, first_seq, updates).await
            }

            async fn updates_after(&self, id: Uuid, after: i64) -> Result<Vec<CommittedUpdate>, StoreError> {
                let rows = bind!(sqlx::query_as($sql(super::UPDATES_AFTER)), id, after)
                    .fetch_all(self.pool())
                    .await
                    .context("reading a plan's later updates")?;
                Ok(super::committed(rows))
            }

            async fn compact(&self, id: Uuid, snapshot: &Snapshot, summary: &PlanSummary) -> Result<(), StoreError> {
                let mut tx = self.begin_write().await?;
                if !Self::claim_compaction(&mut tx, id, snapshot.upto_seq).await? {
                    let upto = snapshot.upto_seq;
                    tracing::debug!(plan = %id, upto, "another node compacts this plan, or has compacted it as far");
                    return Ok(());
                }
                insert_snapshot(&mut tx, id, snapshot).await?;
                bind!(sqlx::query($sql(UPDATE_SUMMARY)), id, Json(summary), snapshot.upto_seq)
                    .execute(&mut *tx)
                    .await
                    .context("updating a compacted plan's summary")?;
                tx.commit().await.context("committing a compaction")
            }

            async fn update_summary(&self, id: Uuid, summary: &PlanSummary, seq: i64) -> Result<(), StoreError> {
                let done = bind!(sqlx::query($sql(UPDATE_SUMMARY)), id, Json(summary), seq)
                    .execute(self.pool())
                    .await
                    .context("updating a plan's summary")?;
                if done.rows_affected() == 0 && !self.plan_exists(id).await? {
                    return Err(StoreError::NotFound(id));
                }
                Ok(())
            }

            async fn log_stats(&self, id: Uuid) -> Result<(i64, i64), StoreError> {
                let row: Option<(i64, i64)> = bind!(sqlx::query_as($sql(LOG_STATS)), id)
                    .fetch_optional(self.pool())
                    .await
                    .context("counting a plan's log entries and snapshots")?;
                row.ok_or(StoreError::NotFound(id))
            }

            fn shared_with_nodes(&self) -> Option<(sqlx::PgPool, Uuid)> {
                self.nodes_sharing()
            }
        }
    };
}

pub(super) use plan_log;
