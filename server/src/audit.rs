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
    /// Appends updates with consecutive seqs from `first_seq`, their audit
    /// entries and the client ids they claimed, all or nothing. If another
    /// server node has taken `first_seq` (or a later one of them), nothing
    /// is written and [`StoreError::SeqTaken`] says so: the caller reads
    /// what that node appended and tries again after it. A room appends
    /// seq s + 1 only once it holds s, so seqs never clash and never leave
    /// a gap. On PostgreSQL the commit also notifies the other nodes
    /// ([`crate::cluster`]).
    async fn append_audited(&self, plan: Uuid, first_seq: i64, updates: &[AuditedUpdate<'_>])
        -> Result<(), StoreError>;
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
    async fn append_audited(
        &self,
        plan: Uuid,
        first_seq: i64,
        updates: &[AuditedUpdate<'_>],
    ) -> Result<(), StoreError> {
        if updates.is_empty() {
            return Ok(());
        }
        // One statement, so one round trip and one transaction: the log, the
        // audit trail, the claims, and the notice to other nodes, which
        // PostgreSQL delivers only once this commits.
        let appended = sqlx::query(
            r#"WITH logged AS (
                   INSERT INTO plan_updates (plan_id, seq, "update")
                   SELECT $1, $2 + u.ord - 1, u.data FROM UNNEST($3::bytea[]) WITH ORDINALITY AS u(data, ord)
               ), claimed AS (
                   INSERT INTO plan_clients (plan_id, client_id, user_id)
                   SELECT $1, c.client_id, c.user_id FROM UNNEST($6::bigint[], $7::uuid[]) AS c(client_id, user_id)
               ), audited AS (
                   INSERT INTO plan_changes (plan_id, seq, user_id, changes)
                   SELECT $1, $2 + c.ord - 1, c.user_id, c.changes
                   FROM UNNEST($4::uuid[], $5::jsonb[]) WITH ORDINALITY AS c(user_id, changes, ord)
               )
               SELECT pg_notify($8, $9 || ' ' || ($2 + cardinality($3::bytea[]) - 1)::text)"#,
        )
        .bind(plan)
        .bind(first_seq)
        .bind(updates.iter().map(|u| u.update).collect::<Vec<_>>())
        .bind(updates.iter().map(|u| u.user).collect::<Vec<_>>())
        .bind(updates.iter().map(|u| json(u.changes)).collect::<Vec<_>>())
        .bind(claims(updates).map(|(client, _)| client).collect::<Vec<_>>())
        .bind(claims(updates).map(|(_, user)| user).collect::<Vec<_>>())
        .bind(crate::cluster::UPDATES_CHANNEL)
        .bind(crate::cluster::update_notice_prefix(self.node(), plan))
        .execute(self.pool())
        .await;
        match appended {
            Err(sqlx::Error::Database(e)) if e.constraint() == Some("plan_updates_pkey") => {
                Err(StoreError::SeqTaken(plan))
            }
            other => other.map(|_| ()).context("appending audited updates"),
        }
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
    async fn append_audited(
        &self,
        plan: Uuid,
        first_seq: i64,
        updates: &[AuditedUpdate<'_>],
    ) -> Result<(), StoreError> {
        if updates.is_empty() {
            return Ok(());
        }
        let mut tx = self.begin_write().await?;
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
        tx.commit().await.context("committing audited updates")
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
