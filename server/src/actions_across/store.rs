//! Where actions across plans are read from: the facts kept per action
//! (`portfolio_actions`) joined to the viewer's memberships (those their
//! vetting clears them for: `cleared_members`), one query per
//! list; and the recorded disruption returns. The same SQL on PostgreSQL and
//! SQLite.

use crate::portfolio::rows::parsed;
use crate::store::bind;
use crate::store::{postgres_sql, sqlite_sql};
use crate::store::{DbContext, PgStore, SqliteStore, StoreError};
use chrono::{DateTime, NaiveDate, Utc};
use plan::access::Role;
use plan::across::{plan_name, ActionRow};
use plan::portfolio::ActionFacts;
use uuid::Uuid;

/// A disruption return as recorded: its maker, when, its marking, the plans
/// it covers (ids joined by commas) and its rows (JSON text).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReturnRecord {
    pub id: Uuid,
    pub user: Uuid,
    pub at: DateTime<Utc>,
    pub marking: String,
    pub plans: String,
    pub rows: String,
}

/// A recorded return as read back, with its maker's name.
pub type StoredReturn = (ReturnRecord, String);

#[async_trait::async_trait]
pub trait ActionsStore: Send + Sync + 'static {
    /// The actions of `user`'s plans owned by `agency` or by `name`
    /// (matched without regard to case; empty never matches).
    async fn owned_actions(&self, user: Uuid, agency: &str, name: &str) -> Result<Vec<ActionRow>, StoreError>;

    /// The assessed, unsubmitted actions of the plans where `user` is LRO or
    /// plan owner (only `plan`, if given).
    async fn unsubmitted_disruptions(&self, user: Uuid, plan: Option<Uuid>) -> Result<Vec<ActionRow>, StoreError>;

    async fn record_return(&self, record: &ReturnRecord) -> Result<(), StoreError>;

    async fn recorded_return(&self, id: Uuid) -> Result<Option<StoredReturn>, StoreError>;
}

const ROWS: &str = "SELECT a.plan_id, p.summary->>'subject_name' AS subject_name, p.summary->>'subject_ref' AS subject_ref, \
     p.summary->>'marking' AS marking, m.role, a.action_id, a.status, a.action_date, a.target_date, a.disruption, \
     a.owner_agency, a.ps, a.submitted, a.text, a.owner_name, a.update_text \
     FROM portfolio_actions a JOIN cleared_members m ON m.plan_id = a.plan_id AND m.user_id = $1 JOIN plans p ON p.id = a.plan_id";
// A closed plan's actions are done with: nobody may change them.
const OWNED: &str = " WHERE p.state = 'open' AND ((a.owner_agency <> '' AND lower(a.owner_agency) = lower($2)) \
     OR (a.owner_name <> '' AND lower(a.owner_name) = lower($3)))";
const UNSUBMITTED: &str = " WHERE m.role IN ('lro', 'plan_owner') AND a.disruption IS NOT NULL AND NOT a.submitted \
     AND ($2 IS NULL OR a.plan_id = $2)";
const RECORD: &str =
    "INSERT INTO disruption_returns (id, user_id, at, marking, plan_ids, rows_json) VALUES ($1, $2, $3, $4, $5, $6)";
const RECORDED: &str = "SELECT r.user_id, u.name, r.at, r.marking, r.plan_ids, r.rows_json FROM disruption_returns r \
     JOIN users u ON u.id = r.user_id WHERE r.id = $1";

/// A row of [`ROWS`], as stored.
#[derive(sqlx::FromRow)]
struct ActionRecord {
    plan_id: Uuid,
    subject_name: Option<String>,
    subject_ref: Option<String>,
    marking: Option<String>,
    role: String,
    action_id: String,
    status: Option<String>,
    action_date: Option<NaiveDate>,
    target_date: Option<NaiveDate>,
    disruption: Option<String>,
    owner_agency: String,
    ps: String,
    submitted: bool,
    text: String,
    owner_name: String,
    update_text: String,
}

/// The rows of [`ROWS`] read, as the model's; a failure to read them, or
/// an unknown role, says `context`.
fn action_rows(
    read: Result<Vec<ActionRecord>, sqlx::Error>,
    context: &'static str,
) -> Result<Vec<ActionRow>, StoreError> {
    read.and_then(|records| records.into_iter().map(action_row).collect())
        .context(context)
}

fn action_row(r: ActionRecord) -> Result<ActionRow, sqlx::Error> {
    Ok(ActionRow {
        plan_id: r.plan_id,
        plan_name: plan_name(&r.subject_name.unwrap_or_default(), &r.subject_ref.unwrap_or_default()),
        marking: parsed(r.marking).unwrap_or_default(),
        role: Role::parse(&r.role).ok_or_else(|| sqlx::Error::Decode(format!("unknown role {:?}", r.role).into()))?,
        action: ActionFacts {
            id: r.action_id,
            status: parsed(r.status),
            date: r.action_date,
            target_date: r.target_date,
            disruption: parsed(r.disruption),
            owner_agency: r.owner_agency,
            ps: r.ps.split(',').filter_map(|p| p.parse().ok()).collect(),
            submitted: r.submitted,
            text: r.text,
            owner_name: r.owner_name,
            update: r.update_text,
        },
    })
}

macro_rules! actions_store {
    ($store:ty, $sql:expr) => {
        #[async_trait::async_trait]
        impl ActionsStore for $store {
            async fn owned_actions(&self, user: Uuid, agency: &str, name: &str) -> Result<Vec<ActionRow>, StoreError> {
                let query = sqlx::query_as($sql(&format!("{ROWS}{OWNED}")));
                let read = bind!(query, user, agency.trim(), name.trim())
                    .fetch_all(self.pool())
                    .await;
                action_rows(read, "reading a user's actions")
            }

            async fn unsubmitted_disruptions(
                &self,
                user: Uuid,
                plan: Option<Uuid>,
            ) -> Result<Vec<ActionRow>, StoreError> {
                let query = sqlx::query_as($sql(&format!("{ROWS}{UNSUBMITTED}")));
                let read = bind!(query, user, plan).fetch_all(self.pool()).await;
                action_rows(read, "reading disruptions to submit")
            }

            async fn record_return(&self, r: &ReturnRecord) -> Result<(), StoreError> {
                bind!(
                    sqlx::query($sql(RECORD)),
                    r.id,
                    r.user,
                    r.at,
                    &r.marking,
                    &r.plans,
                    &r.rows
                )
                .execute(self.pool())
                .await
                .context("recording a disruption return")?;
                Ok(())
            }

            async fn recorded_return(&self, id: Uuid) -> Result<Option<StoredReturn>, StoreError> {
                let row: Option<(Uuid, String, DateTime<Utc>, String, String, String)> =
                    bind!(sqlx::query_as($sql(RECORDED)), id)
                        .fetch_optional(self.pool())
                        .await
                        .context("reading a disruption return")?;
                Ok(row.map(|(user, name, at, marking, plans, rows)| {
                    let record = ReturnRecord {
                        id,
                        user,
                        at,
                        marking,
                        plans,
                        rows,
                    };
                    (record, name)
                }))
            }
        }
    };
}

actions_store!(PgStore, postgres_sql);
actions_store!(SqliteStore, sqlite_sql);
