//! The audit trail: each accepted update is stored together with who made
//! it and what it changed, in one transaction; the trail is read back per
//! plan for its LRO, together with the plan's membership changes (recorded
//! by [`crate::membership`]). Nothing in the app updates or deletes it (and
//! the database refuses to).

use crate::membership::MemberChangeEntry;
use crate::store::{DbContext, PgStore, SqliteStore, StoreError};
use chrono::{DateTime, Utc};
use plan::access::Change;
use serde::Serialize;
use sqlx::types::Json;
use sqlx::Row;
use std::collections::BTreeMap;
use uuid::Uuid;

/// An update to store, with its author and what it changed.
pub struct AuditedUpdate<'a> {
    pub update: &'a [u8],
    pub user: Uuid,
    pub changes: &'a [Change],
    /// Yjs client ids this update was the first to write under: now `user`'s.
    pub claimed: &'a [u64],
}

/// One entry of a plan's history.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct HistoryEntry {
    pub at: DateTime<Utc>,
    pub user_id: Uuid,
    pub user: String,
    pub agency: String,
    pub changes: Vec<Change>,
}

/// A plan's whole history: its edits and its membership changes, merged
/// oldest first.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct History {
    pub entries: Vec<HistoryEntry>,
    /// "Name (Agency)" of each member a membership change names, by its
    /// [`plan::change_label::member_field`] key.
    pub members: BTreeMap<String, String>,
}

impl History {
    /// Merges a plan's edits and membership changes (each oldest first) by
    /// time; at the same instant, edits come first.
    pub fn merge(edits: Vec<HistoryEntry>, memberships: &[MemberChangeEntry]) -> History {
        let members = memberships
            .iter()
            .map(|m| (plan::change_label::member_field(m.member.id), m.member_shown_as()))
            .collect();
        let mut entries = edits;
        entries.extend(memberships.iter().map(MemberChangeEntry::to_history));
        // Stable, so each source keeps its own order.
        entries.sort_by_key(|e| e.at);
        History { entries, members }
    }
}

#[async_trait::async_trait]
pub trait AuditStore: Send + Sync + 'static {
    /// Appends updates with the next consecutive seqs of the plan, their
    /// audit entries and the client ids they claimed, all or nothing, and
    /// returns the first seq used. Seqs are assigned here, under a lock on
    /// the plan, so server nodes appending to one plan never clash and
    /// commit in seq order; on PostgreSQL the commit also notifies the
    /// other nodes ([`crate::cluster`]). Appending nothing returns 0.
    async fn append_audited(&self, plan: Uuid, updates: &[AuditedUpdate<'_>]) -> Result<i64, StoreError>;
    /// The plan's history, oldest first.
    async fn history(&self, plan: Uuid) -> Result<Vec<HistoryEntry>, StoreError>;
}

/// Each client id claimed in `updates`, with its new owner.
fn claims<'a>(updates: &'a [AuditedUpdate<'_>]) -> impl Iterator<Item = (i64, Uuid)> + 'a {
    updates
        .iter()
        .flat_map(|u| u.claimed.iter().map(move |c| (*c as i64, u.user)))
}

fn json(changes: &[Change]) -> serde_json::Value {
    serde_json::to_value(changes).unwrap_or(serde_json::Value::Null)
}

fn entry<R: Row>(row: &R) -> Result<HistoryEntry, sqlx::Error>
where
    for<'r> Uuid: sqlx::Decode<'r, R::Database> + sqlx::Type<R::Database>,
    for<'r> String: sqlx::Decode<'r, R::Database> + sqlx::Type<R::Database>,
    for<'r> DateTime<Utc>: sqlx::Decode<'r, R::Database> + sqlx::Type<R::Database>,
    for<'r> Json<Vec<Change>>: sqlx::Decode<'r, R::Database> + sqlx::Type<R::Database>,
    for<'r> &'r str: sqlx::ColumnIndex<R>,
{
    Ok(HistoryEntry {
        at: row.try_get("at")?,
        user_id: row.try_get("user_id")?,
        user: row.try_get("name")?,
        agency: row.try_get("agency")?,
        changes: row.try_get::<Json<Vec<Change>>, _>("changes")?.0,
    })
}

const HISTORY: &str = "SELECT c.at, c.user_id, u.name, a.name AS agency, c.changes FROM plan_changes c \
     JOIN users u ON u.id = c.user_id JOIN agencies a ON a.id = u.agency_id WHERE c.plan_id = $1 ORDER BY c.id";

#[async_trait::async_trait]
impl AuditStore for PgStore {
    async fn append_audited(&self, plan: Uuid, updates: &[AuditedUpdate<'_>]) -> Result<i64, StoreError> {
        if updates.is_empty() {
            return Ok(0);
        }
        let mut tx = self.pool().begin().await.context("starting to append updates")?;
        // Appends to one plan take turns: the next seq is read after the
        // lock is held, in a statement of its own, so it sees every append
        // committed before. NO KEY UPDATE leaves other tables' references
        // to the plan (facts, members) free to be written meanwhile.
        let found: Option<i32> = sqlx::query_scalar("SELECT 1 FROM plans WHERE id = $1 FOR NO KEY UPDATE")
            .bind(plan)
            .fetch_optional(&mut *tx)
            .await
            .context("locking a plan to append to it")?;
        if found.is_none() {
            return Err(StoreError::NotFound(plan));
        }
        // One statement for the log, the audit trail, the claims and the
        // notice, which PostgreSQL delivers only once this commits.
        let first_seq: i64 = sqlx::query_scalar(
            r#"WITH base AS (
                   SELECT COALESCE(MAX(seq), 0) AS seq FROM plan_updates WHERE plan_id = $1
               ), logged AS (
                   INSERT INTO plan_updates (plan_id, seq, "update")
                   SELECT $1, base.seq + u.ord, u.data FROM base, UNNEST($2::bytea[]) WITH ORDINALITY AS u(data, ord)
               ), claimed AS (
                   INSERT INTO plan_clients (plan_id, client_id, user_id)
                   SELECT $1, c.client_id, c.user_id FROM UNNEST($5::bigint[], $6::uuid[]) AS c(client_id, user_id)
               ), audited AS (
                   INSERT INTO plan_changes (plan_id, seq, user_id, changes)
                   SELECT $1, base.seq + c.ord, c.user_id, c.changes
                   FROM base, UNNEST($3::uuid[], $4::jsonb[]) WITH ORDINALITY AS c(user_id, changes, ord)
               )
               SELECT base.seq + 1 FROM base, LATERAL (SELECT pg_notify($7, $8 || ' ' || (base.seq + cardinality($2::bytea[]))::text)) AS n"#,
        )
        .bind(plan)
        .bind(updates.iter().map(|u| u.update).collect::<Vec<_>>())
        .bind(updates.iter().map(|u| u.user).collect::<Vec<_>>())
        .bind(updates.iter().map(|u| json(u.changes)).collect::<Vec<_>>())
        .bind(claims(updates).map(|(client, _)| client).collect::<Vec<_>>())
        .bind(claims(updates).map(|(_, user)| user).collect::<Vec<_>>())
        .bind(crate::cluster::UPDATES_CHANNEL)
        .bind(crate::cluster::update_notice_prefix(self.node(), plan))
        .fetch_one(&mut *tx)
        .await
        .context("appending audited updates")?;
        tx.commit().await.context("committing audited updates")?;
        Ok(first_seq)
    }

    async fn history(&self, plan: Uuid) -> Result<Vec<HistoryEntry>, StoreError> {
        let rows = sqlx::query(HISTORY)
            .bind(plan)
            .fetch_all(self.pool())
            .await
            .context("reading history")?;
        rows.iter()
            .map(entry)
            .collect::<Result<_, _>>()
            .context("reading history")
    }
}

#[async_trait::async_trait]
impl AuditStore for SqliteStore {
    async fn append_audited(&self, plan: Uuid, updates: &[AuditedUpdate<'_>]) -> Result<i64, StoreError> {
        if updates.is_empty() {
            return Ok(0);
        }
        // SQLite takes one writer at a time, so the next seq read inside
        // the write transaction is the plan's own.
        let mut tx = self.begin_write().await?;
        let last: Option<i64> = sqlx::query_scalar("SELECT MAX(seq) FROM plan_updates WHERE plan_id = ?1")
            .bind(plan)
            .fetch_one(&mut *tx)
            .await
            .context("reading a plan's last seq")?;
        let first_seq = last.unwrap_or(0) + 1;
        for (seq, u) in (first_seq..).zip(updates) {
            sqlx::query(r#"INSERT INTO plan_updates (plan_id, seq, "update") VALUES (?1, ?2, ?3)"#)
                .bind(plan)
                .bind(seq)
                .bind(u.update)
                .execute(&mut *tx)
                .await
                .context("appending updates")?;
            sqlx::query("INSERT INTO plan_changes (plan_id, seq, user_id, changes) VALUES (?1, ?2, ?3, ?4)")
                .bind(plan)
                .bind(seq)
                .bind(u.user)
                .bind(json(u.changes).to_string())
                .execute(&mut *tx)
                .await
                .context("recording the audit trail")?;
        }
        for (client, user) in claims(updates) {
            sqlx::query("INSERT INTO plan_clients (plan_id, client_id, user_id) VALUES (?1, ?2, ?3)")
                .bind(plan)
                .bind(client)
                .bind(user)
                .execute(&mut *tx)
                .await
                .context("recording who owns a client id")?;
        }
        tx.commit().await.context("committing audited updates")?;
        Ok(first_seq)
    }

    async fn history(&self, plan: Uuid) -> Result<Vec<HistoryEntry>, StoreError> {
        let sql = sqlx::AssertSqlSafe(HISTORY.replace('$', "?"));
        let rows = sqlx::query(sql)
            .bind(plan)
            .fetch_all(self.pool())
            .await
            .context("reading history")?;
        rows.iter()
            .map(entry)
            .collect::<Result<_, _>>()
            .context("reading history")
    }
}
