//! Where a redaction rewrites a plan: every stored copy of its text, in one
//! transaction. The document's log, snapshots and recorded reviews are
//! yrs updates, rewritten by [`plan::versions::redact`]; the audit trail's
//! old and new values, the plans list's summary, the portfolio's action
//! texts and the disruption returns naming the plan keep plain copies,
//! scrubbed. The same SQL on PostgreSQL and SQLite; each marks the
//! transaction as redacting the plan, the only place where the database
//! lets the append-only tables be updated.

use crate::store::bind;
use crate::store::{postgres_sql, sqlite_sql, DbContext, PgStore, SqliteStore, StoreError};
use plan::versions::redact::RedactError;
use sqlx::types::Json;
use uuid::Uuid;

/// How a stored copy is rewritten: `None` when it holds nothing to mask.
pub trait Rewrite: Send + Sync {
    fn update(&self, bytes: &[u8]) -> Result<Option<Vec<u8>>, RedactError>;
    fn text(&self, text: &str) -> Option<String>;
    fn json(&self, value: &mut serde_json::Value) -> bool;
}

/// The audit entry of a redaction: never the passage.
pub struct RedactionEntry<'a> {
    pub by: Uuid,
    pub field: &'a str,
    pub version: &'a str,
    pub reason: &'a str,
    /// As the plan's history shows it (the shape of `plan_changes.changes`).
    pub changes: serde_json::Value,
}

#[derive(Debug, thiserror::Error)]
pub enum RedactStoreError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Rewrite(#[from] RedactError),
}

#[async_trait::async_trait]
pub trait RedactionStore: Send + Sync + 'static {
    /// Rewrites every stored copy of the plan's text with `rewrite`, and
    /// records `entry` if given, all in one transaction that appends and
    /// compactions of the plan wait for. Returns how many rows changed.
    async fn redact(
        &self,
        plan: Uuid,
        rewrite: &dyn Rewrite,
        entry: Option<&RedactionEntry<'_>>,
    ) -> Result<usize, RedactStoreError>;
}

/// Stored yrs updates: (table, key column, bytes column).
const UPDATES: [(&str, &str, &str); 3] = [
    ("plan_updates", "seq", r#""update""#),
    ("plan_snapshots", "upto_seq", "state"),
    ("plan_reviews", "number", "state"),
];

/// Plain texts: (table, key column, text column).
const TEXTS: [(&str, &str, &str); 4] = [
    ("plan_reviews", "number", "lro_update"),
    ("portfolio_actions", "action_id", "text"),
    ("portfolio_actions", "action_id", "owner_name"),
    ("portfolio_actions", "action_id", "update_text"),
];

const RECORD: &str = "INSERT INTO plan_redactions (plan_id, by_user_id, field, version, reason, changes) \
     VALUES ($1, $2, $3, $4, $5, $6)";

macro_rules! redaction_store {
    ($store:ty, $sql:expr, $mark:expr, $unmark:expr) => {
        #[async_trait::async_trait]
        impl RedactionStore for $store {
            async fn redact(
                &self,
                plan: Uuid,
                rewrite: &dyn Rewrite,
                entry: Option<&RedactionEntry<'_>>,
            ) -> Result<usize, RedactStoreError> {
                let mut tx = self.begin_write().await?;
                for statement in $mark {
                    bind!(sqlx::query($sql(statement)), plan, plan.to_string())
                        .execute(&mut *tx)
                        .await
                        .context("marking a redaction")?;
                }
                let mut changed = 0;
                for (table, key, column) in UPDATES {
                    let rows: Vec<(i64, Vec<u8>)> = bind!(
                        sqlx::query_as($sql(&format!(
                            "SELECT CAST({key} AS BIGINT), {column} FROM {table} WHERE plan_id = $1"
                        ))),
                        plan
                    )
                    .fetch_all(&mut *tx)
                    .await
                    .context("reading stored updates to redact")?;
                    for (k, bytes) in rows {
                        let Some(masked) = rewrite.update(&bytes)? else {
                            continue;
                        };
                        bind!(
                            sqlx::query($sql(&format!(
                                "UPDATE {table} SET {column} = $3 WHERE plan_id = $1 AND {key} = $2"
                            ))),
                            plan,
                            k,
                            masked
                        )
                        .execute(&mut *tx)
                        .await
                        .context("storing a redacted update")?;
                        changed += 1;
                    }
                }
                for (table, key, column) in TEXTS {
                    let rows: Vec<(String, String)> = bind!(
                        sqlx::query_as($sql(&format!(
                            "SELECT CAST({key} AS TEXT), {column} FROM {table} WHERE plan_id = $1"
                        ))),
                        plan
                    )
                    .fetch_all(&mut *tx)
                    .await
                    .context("reading stored texts to redact")?;
                    for (k, text) in rows {
                        let Some(masked) = rewrite.text(&text) else {
                            continue;
                        };
                        bind!(
                            sqlx::query($sql(&format!(
                                "UPDATE {table} SET {column} = $3 WHERE plan_id = $1 AND CAST({key} AS TEXT) = $2"
                            ))),
                            plan,
                            k,
                            masked
                        )
                        .execute(&mut *tx)
                        .await
                        .context("storing a redacted text")?;
                        changed += 1;
                    }
                }
                // The audit trail's changes (old and new values).
                let rows: Vec<(i64, Json<serde_json::Value>)> = bind!(
                    sqlx::query_as($sql("SELECT id, changes FROM plan_changes WHERE plan_id = $1")),
                    plan
                )
                .fetch_all(&mut *tx)
                .await
                .context("reading the audit trail to redact")?;
                for (id, Json(mut value)) in rows {
                    if rewrite.json(&mut value) {
                        bind!(
                            sqlx::query($sql("UPDATE plan_changes SET changes = $2 WHERE id = $1")),
                            id,
                            Json(value)
                        )
                        .execute(&mut *tx)
                        .await
                        .context("storing a redacted audit entry")?;
                        changed += 1;
                    }
                }
                // The plans list's summary.
                let summary: Option<Json<serde_json::Value>> = bind!(
                    sqlx::query_scalar($sql("SELECT summary FROM plans WHERE id = $1")),
                    plan
                )
                .fetch_optional(&mut *tx)
                .await
                .context("reading a summary to redact")?;
                if let Some(Json(mut value)) = summary {
                    if rewrite.json(&mut value) {
                        bind!(
                            sqlx::query($sql("UPDATE plans SET summary = $2 WHERE id = $1")),
                            plan,
                            Json(value)
                        )
                        .execute(&mut *tx)
                        .await
                        .context("storing a redacted summary")?;
                        changed += 1;
                    }
                }
                // Disruption returns that counted the plan (JSON in a text column).
                let rows: Vec<(Uuid, String)> = bind!(
                    sqlx::query_as($sql(
                        "SELECT id, rows_json FROM disruption_returns WHERE plan_ids LIKE $1",
                    )),
                    format!("%{plan}%")
                )
                .fetch_all(&mut *tx)
                .await
                .context("reading disruption returns to redact")?;
                for (id, text) in rows {
                    let Ok(mut value) = serde_json::from_str::<serde_json::Value>(&text) else {
                        // Not JSON after all: scrubbed as plain text.
                        if let Some(masked) = rewrite.text(&text) {
                            bind!(
                                sqlx::query($sql("UPDATE disruption_returns SET rows_json = $2 WHERE id = $1")),
                                id,
                                masked
                            )
                            .execute(&mut *tx)
                            .await
                            .context("storing a redacted disruption return")?;
                            changed += 1;
                        }
                        continue;
                    };
                    if rewrite.json(&mut value) {
                        bind!(
                            sqlx::query($sql("UPDATE disruption_returns SET rows_json = $2 WHERE id = $1")),
                            id,
                            value.to_string()
                        )
                        .execute(&mut *tx)
                        .await
                        .context("storing a redacted disruption return")?;
                        changed += 1;
                    }
                }
                if let Some(entry) = entry {
                    bind!(
                        sqlx::query($sql(RECORD)),
                        plan,
                        entry.by,
                        entry.field,
                        entry.version,
                        entry.reason,
                        Json(&entry.changes)
                    )
                    .execute(&mut *tx)
                    .await
                    .context("recording a redaction")?;
                }
                for statement in $unmark {
                    bind!(sqlx::query($sql(statement)), plan)
                        .execute(&mut *tx)
                        .await
                        .context("ending a redaction")?;
                }
                tx.commit().await.context("committing a redaction")?;
                Ok(changed)
            }
        }
    };
}

/// PostgreSQL: the plan's append and compaction locks (appends and
/// compactions wait, or give up, until it commits), then the mark the
/// append-only triggers look for. Each statement is bound the plan's id
/// and its text.
const PG_MARK: [&str; 3] = [
    "SELECT pg_advisory_xact_lock(hashtextextended('pillars append ' || $1::text, 0)), $2",
    "SELECT pg_advisory_xact_lock(hashtextextended('pillars compact ' || $1::text, 0)), $2",
    "SELECT set_config('pillars.redacting', $2, true), $1",
];
/// SQLite: the writer's lock is held already; the mark is a row.
const SQLITE_MARK: [&str; 1] = ["INSERT INTO redacting (plan_id) SELECT $1 WHERE $2 IS NOT NULL"];
const SQLITE_UNMARK: [&str; 1] = ["DELETE FROM redacting WHERE plan_id = $1"];
const PG_UNMARK: [&str; 0] = [];

redaction_store!(PgStore, postgres_sql, PG_MARK, PG_UNMARK);
redaction_store!(SqliteStore, sqlite_sql, SQLITE_MARK, SQLITE_UNMARK);
