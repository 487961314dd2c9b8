//! Durable storage of plans: one trait, two implementations.
//!
//! A plan is stored as its latest snapshot (the whole yrs state, encoded v1,
//! plus its state vector) and an append-only log of the Yjs updates that
//! arrived after it. Loading = latest snapshot + later log entries, applied
//! in `seq` order. Compaction folds the log into a new snapshot in one
//! transaction. Nothing is deleted: older snapshots and log entries are the
//! plan's history, the checkpoints from which it is read as it was after
//! any update (the versions feature). `seq` starts at 1 and increases by one
//! per update. The plan's room gives it (the next after the last it holds);
//! a room on another server node that took it first makes the append fail
//! whole ([`StoreError::SeqTaken`]), and the room appends again after what
//! the others logged, under the plan's append lock (the audit feature's
//! `append_audited_after`).
//!
//! This module is the bottom of the house: it imports no feature. Each
//! feature keeps its own storage trait, implemented for [`PgStore`] and
//! [`SqliteStore`]; `crate::storage` composes them.
//!
//! - [`PgStore`]: PostgreSQL, the production store.
//! - [`SqliteStore`]: a file on disk, the zero set-up default when no
//!   `DATABASE_URL` is given.

pub mod commit_notice;
mod plan_log;
pub mod postgres;
pub(crate) mod sqlite;

pub use postgres::PgStore;

pub use sqlite::SqliteStore;

use plan::PlanSummary;
use uuid::Uuid;

/// An encoded snapshot of a plan's document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Snapshot {
    /// Every log entry with `seq <= upto_seq` is folded into this state.
    pub upto_seq: i64,
    /// The document's full state as a v1 update.
    pub state: Vec<u8>,
    /// The document's state vector, v1-encoded.
    pub state_vector: Vec<u8>,
}

/// A plan to create: its id, first snapshot (`upto_seq` 0) and summary.
#[derive(Debug, Clone, Copy)]
pub struct NewStoredPlan<'a> {
    pub id: Uuid,
    pub snapshot: &'a Snapshot,
    pub summary: &'a PlanSummary,
}

/// One logged update.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoggedUpdate {
    pub seq: i64,
    /// A v1-encoded Yjs update.
    pub update: Vec<u8>,
}

/// A logged update with its author, as another server node reads it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CommittedUpdate {
    pub seq: i64,
    pub update: Vec<u8>,
    /// Who made it (none for updates logged without an audit entry).
    pub user: Option<Uuid>,
}

/// What is stored for one plan: apply `snapshot.state`, then each update.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredPlan {
    pub snapshot: Option<Snapshot>,
    /// Entries with `seq > snapshot.upto_seq`, in `seq` order.
    pub updates: Vec<LoggedUpdate>,
    /// Yjs client ids used in the plan and the users who own them.
    pub clients: Vec<(u64, Uuid)>,
    /// Whether the plan is closed (read-only for everyone).
    pub closed: bool,
}

impl StoredPlan {
    /// The highest `seq` already used (0 for a new plan).
    pub fn last_seq(&self) -> i64 {
        let from_log = self.updates.last().map_or(0, |u| u.seq);
        let from_snapshot = self.snapshot.as_ref().map_or(0, |s| s.upto_seq);
        from_log.max(from_snapshot)
    }
}

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("plan {0} not found")]
    NotFound(Uuid),
    /// Another server node appended under the seq given first.
    #[error("another node has appended to plan {0} meanwhile")]
    SeqTaken(Uuid),
    /// An update claimed a Yjs client id that another user's update, on
    /// another server node, claimed first.
    #[error("client id {client} of plan {plan} is another user's")]
    ClaimTaken { plan: Uuid, client: u64 },
    #[error("database error while {context}")]
    Database {
        context: &'static str,
        #[source]
        source: sqlx::Error,
    },
    #[error("could not run database migrations")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    #[error("stored plan summary for {0} is unreadable")]
    Corrupt(Uuid, #[source] serde_json::Error),
}

/// A plan that is not stored is not found; any other failure is the
/// server's (logged, never shown).
impl From<StoreError> for app::service_error::ServiceError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::NotFound(_) => app::service_error::ServiceError::NotFound("plan"),
            other => app::service_error::ServiceError::Internal(other.into()),
        }
    }
}

/// Declares a trait made of others, implemented for every type that
/// implements them all: how each service names the storage it needs.
macro_rules! composite_storage {
    ($(#[$doc:meta])* $vis:vis trait $name:ident: $($bound:tt)+) => {
        $(#[$doc])*
        $vis trait $name: $($bound)+ {}
        impl<T: $($bound)+> $name for T {}
    };
}
pub(crate) use composite_storage;

/// A query with its values bound in order: `bind!(sqlx::query(sql), a, b)`
/// is `sqlx::query(sql).bind(a).bind(b)`. How every store writes a query.
macro_rules! bind {
    ($query:expr $(, $value:expr)* $(,)?) => {
        $query $(.bind($value))*
    };
}
pub(crate) use bind;

/// SQL shared by both stores, as PostgreSQL takes it. It is built only from
/// constant texts (values are always bound), hence safe to assert.
pub(crate) fn postgres_sql(sql: &str) -> sqlx::AssertSqlSafe<String> {
    sqlx::AssertSqlSafe(sql.to_string())
}

/// The same SQL for SQLite, which numbers its parameters `?1`, `?2`, ...
pub(crate) fn sqlite_sql(sql: &str) -> sqlx::AssertSqlSafe<String> {
    sqlx::AssertSqlSafe(sql.replace('$', "?"))
}

/// Every update logged after a seq, with its author, in seq order.
pub(crate) const UPDATES_AFTER: &str = r#"SELECT u.seq, u."update", c.user_id FROM plan_updates u
    LEFT JOIN plan_changes c ON c.plan_id = u.plan_id AND c.seq = u.seq
    WHERE u.plan_id = $1 AND u.seq > $2 ORDER BY u.seq"#;

/// The rows [`UPDATES_AFTER`] reads, as committed updates.
pub(crate) fn committed(rows: Vec<(i64, Vec<u8>, Option<Uuid>)>) -> Vec<CommittedUpdate> {
    rows.into_iter()
        .map(|(seq, update, user)| CommittedUpdate { seq, update, user })
        .collect()
}

/// Attaches what was being done to a sqlx error.
pub(crate) trait DbContext<T> {
    fn context(self, context: &'static str) -> Result<T, StoreError>;
}

impl<T> DbContext<T> for Result<T, sqlx::Error> {
    fn context(self, context: &'static str) -> Result<T, StoreError> {
        self.map_err(|source| StoreError::Database { context, source })
    }
}

#[async_trait::async_trait]
pub trait PlanStore: Send + Sync + 'static {
    /// Creates a plan from its first snapshot (`upto_seq` 0) and summary.
    async fn create_plan(&self, id: Uuid, snapshot: &Snapshot, summary: &PlanSummary) -> Result<(), StoreError>;

    /// Summaries of every plan, most recently created first.
    async fn list_plans(&self) -> Result<Vec<PlanSummary>, StoreError>;

    async fn plan_exists(&self, id: Uuid) -> Result<bool, StoreError>;

    /// The latest snapshot and every later update; `NotFound` if no such plan.
    async fn load(&self, id: Uuid) -> Result<StoredPlan, StoreError>;

    /// Appends updates with consecutive seqs starting at `first_seq`, all in
    /// one transaction: when this returns `Ok`, every one is durable.
    async fn append_updates(&self, id: Uuid, first_seq: i64, updates: &[&[u8]]) -> Result<(), StoreError>;

    /// Every update logged after `after`, in seq order, with its author:
    /// how a plan's room on one server node catches up with the others.
    async fn updates_after(&self, id: Uuid, after: i64) -> Result<Vec<CommittedUpdate>, StoreError>;

    /// In one transaction: stores `snapshot` (from then on loading starts
    /// from it) and refreshes the summary. Earlier snapshots and log entries
    /// stay as the plan's history. If another node is compacting the plan
    /// at that moment, or has stored a snapshot as new, nothing is done. A
    /// summary kept from a later seq stays.
    async fn compact(&self, id: Uuid, snapshot: &Snapshot, summary: &PlanSummary) -> Result<(), StoreError>;

    /// Refreshes the summary shown in the plans list to the plan's as of
    /// `seq`, unless one as of a later seq is kept (another node's room may
    /// have written it).
    async fn update_summary(&self, id: Uuid, summary: &PlanSummary, seq: i64) -> Result<(), StoreError>;

    /// Counts of (log entries after the latest snapshot, snapshots) for a
    /// plan; for tests and the load tool.
    async fn log_stats(&self, id: Uuid) -> Result<(i64, i64), StoreError>;

    /// The database other server nodes share, and this node's id in the
    /// notices its appends send; `None` where there can be only one node.
    fn shared_with_nodes(&self) -> Option<(sqlx::PgPool, Uuid)> {
        None
    }
}

#[cfg(test)]
mod layering {
    /// Storage is the bottom of the house: no file under `store/` names a
    /// module of the crate outside it (in code; comments may mention one).
    #[test]
    fn store_imports_nothing_above_it() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src/store");
        let mut found = Vec::new();
        for file in std::fs::read_dir(&dir).unwrap() {
            let path = file.unwrap().path();
            let text = std::fs::read_to_string(&path).unwrap();
            // Spelt in two, so that this test does not find itself.
            let needle = concat!("crate", "::");
            for (n, line) in text.lines().enumerate() {
                let code = line.split("//").next().unwrap_or_default();
                for (at, _) in code.match_indices(needle) {
                    let rest = &code[at + needle.len()..];
                    if !rest.starts_with("store") {
                        found.push(format!("{}:{}: {}", path.display(), n + 1, line.trim()));
                    }
                }
                if code.trim_start().starts_with("use super::super") {
                    found.push(format!("{}:{}: {}", path.display(), n + 1, line.trim()));
                }
            }
        }
        assert!(
            found.is_empty(),
            "store/ imports a module above it:\n{}",
            found.join("\n")
        );
    }
}
