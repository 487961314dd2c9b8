//! The audit trail: each accepted update is stored together with who made
//! it and what it changed, in one transaction; the trail is read back per
//! plan for its LRO (merged with the plan's membership changes by
//! [`crate::history`]). Nothing in the app updates or deletes it (and
//! the database refuses to).

mod commit;

use crate::store::bind;
use crate::store::{postgres_sql, sqlite_sql, CommittedUpdate, DbContext, PgStore, SqliteStore, StoreError};
use chrono::{DateTime, Utc};
use plan::access::Change;
use serde::Serialize;
use uuid::Uuid;

/// An update to store, with its author and what it changed.
pub struct AuditedUpdate<'a> {
    pub update: &'a [u8],
    pub user: Uuid,
    pub changes: &'a [Change],
    /// Yjs client ids this update was the first to write under: now `user`'s.
    pub claimed: &'a [u64],
    /// Actions it gave an owner: their agency's members, or the member so
    /// named, are notified in the same transaction.
    pub assigned: &'a [plan::notifications::Assignment],
}

/// One entry of a plan's history, as [`HISTORY`] reads it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct HistoryEntry {
    pub at: DateTime<Utc>,
    pub user_id: Uuid,
    #[sqlx(rename = "name")]
    pub user: String,
    pub agency: String,
    #[sqlx(json)]
    pub changes: Vec<Change>,
}

#[async_trait::async_trait]
pub trait AuditStore: Send + Sync + 'static {
    /// Appends updates with consecutive seqs from `first_seq`, their audit
    /// entries and the client ids they claimed, all or nothing. If another
    /// server node has taken `first_seq` (or a later one of them), nothing
    /// is written and [`StoreError::SeqTaken`] says so: the caller then
    /// appends with [`AuditStore::append_audited_after`]. A room appends
    /// seq s + 1 only once it holds s, so seqs never clash and never leave
    /// a gap. On PostgreSQL the commit also notifies the other nodes
    /// ([`crate::cluster`]).
    async fn append_audited(&self, plan: Uuid, first_seq: i64, updates: &[AuditedUpdate<'_>])
        -> Result<(), StoreError>;
    /// What a room does once another node took its seqs: in one
    /// transaction that no other append to the plan can interleave with,
    /// reads every update logged after `after` and appends `updates` after
    /// the last of them. Returns what it read, which the caller applies and
    /// relays. Its audit entries, claims and notice are as
    /// [`AuditStore::append_audited`]'s, except that a client id its user
    /// already owns is not claimed again, and one another user owns fails
    /// the whole append with [`StoreError::ClaimTaken`]: the room admitted
    /// it before it could know of the other node's claim.
    async fn append_audited_after(
        &self,
        plan: Uuid,
        after: i64,
        updates: &[AuditedUpdate<'_>],
    ) -> Result<Vec<CommittedUpdate>, StoreError>;
    /// The plan's history, oldest first.
    async fn history(&self, plan: Uuid) -> Result<Vec<HistoryEntry>, StoreError>;
}

/// Each client id claimed in `updates`, with its new owner.
fn claims<'a>(updates: &'a [AuditedUpdate<'_>]) -> impl Iterator<Item = (i64, Uuid)> + 'a {
    updates
        .iter()
        .flat_map(|u| u.claimed.iter().map(move |c| (*c as i64, u.user)))
}

/// What the assignments in `updates` tell, and to whom: each once per
/// action and assignee (a name typed letter by letter tells only when it
/// is whole, and once).
fn assignment_notices(plan: Uuid, updates: &[AuditedUpdate<'_>]) -> Vec<AssignmentNotice> {
    use plan::notifications::{action_link, Assignee, Kind};
    let mut out = Vec::new();
    for update in updates {
        for a in update.assigned {
            let (kind, whom, value) = match &a.to {
                Assignee::Agency(name) => (Kind::ActionAssignedAgency, "agency", name),
                Assignee::Name(name) => (Kind::ActionAssignedYou, "name", name),
            };
            out.push(AssignmentNotice {
                kind,
                link: action_link(plan, &a.action),
                event: format!("assigned:{}:{whom}:{}", a.action, value.trim().to_lowercase()),
                to: value.clone(),
                by: update.user,
            });
        }
    }
    out
}

/// One assignment's notification, owned (see [`AssignmentNotice::notify`]).
struct AssignmentNotice {
    kind: plan::notifications::Kind,
    link: String,
    event: String,
    to: String,
    by: Uuid,
}

impl AssignmentNotice {
    fn notify(&self, plan: Uuid) -> crate::notifications::Notify<'_> {
        use crate::notifications::Recipients;
        crate::notifications::Notify {
            kind: self.kind,
            plan,
            link: &self.link,
            to: match self.kind {
                plan::notifications::Kind::ActionAssignedAgency => Recipients::Agency(&self.to),
                _ => Recipients::Named(&self.to),
            },
            by: Some(self.by),
            event: Some(&self.event),
        }
    }
}

/// Writes the notifications of the assignments in `updates`, inside the
/// append's transaction.
async fn notify_assignments<C: crate::notifications::Outbox + ?Sized>(
    conn: &mut C,
    plan: Uuid,
    updates: &[AuditedUpdate<'_>],
) -> Result<(), StoreError> {
    let notices = assignment_notices(plan, updates);
    if notices.is_empty() {
        return Ok(());
    }
    let notes: Vec<_> = notices.iter().map(|n| n.notify(plan)).collect();
    conn.write_notifications(&notes, chrono::Utc::now()).await?;
    Ok(())
}

fn json(changes: &[Change]) -> serde_json::Value {
    serde_json::to_value(changes).unwrap_or(serde_json::Value::Null)
}

/// Edits, then redactions (`crate::versions::redact`), each in order: the
/// history merges them by time.
const HISTORY: &str = "SELECT at, user_id, name, agency, changes FROM (\
     SELECT c.at, c.user_id, u.name, a.name AS agency, c.changes, 0 AS kind, c.id FROM plan_changes c \
     JOIN users u ON u.id = c.user_id JOIN agencies a ON a.id = u.agency_id WHERE c.plan_id = $1 \
     UNION ALL SELECT r.at, r.by_user_id, u.name, a.name, r.changes, 1, r.id FROM plan_redactions r \
     JOIN users u ON u.id = r.by_user_id JOIN agencies a ON a.id = u.agency_id WHERE r.plan_id = $1\
     ) AS h ORDER BY kind, id";

/// Implements [`AuditStore`] for `$store`: `$sql` adapts the SQL text;
/// `$append` and `$append_after` are its database's ways to commit (see
/// [`commit`]).
macro_rules! audit_store {
    ($store:ty, $sql:path, $append:path, $append_after:path) => {
        #[async_trait::async_trait]
        impl AuditStore for $store {
            async fn append_audited(
                &self,
                plan: Uuid,
                first_seq: i64,
                updates: &[AuditedUpdate<'_>],
            ) -> Result<(), StoreError> {
                if updates.is_empty() {
                    return Ok(());
                }
                let claims: Vec<_> = claims(updates).collect();
                let append = commit::Append {
                    plan,
                    first_seq,
                    updates,
                    claims: &claims,
                };
                $append(self, append).await
            }

            async fn append_audited_after(
                &self,
                plan: Uuid,
                after: i64,
                updates: &[AuditedUpdate<'_>],
            ) -> Result<Vec<CommittedUpdate>, StoreError> {
                $append_after(self, plan, after, updates).await
            }

            async fn history(&self, plan: Uuid) -> Result<Vec<HistoryEntry>, StoreError> {
                bind!(sqlx::query_as($sql(HISTORY)), plan)
                    .fetch_all(self.pool())
                    .await
                    .context("reading history")
            }
        }
    };
}

audit_store!(PgStore, postgres_sql, commit::pg_commit, commit::pg_append_after);
audit_store!(
    SqliteStore,
    sqlite_sql,
    commit::sqlite_commit,
    commit::sqlite_commit_after
);
