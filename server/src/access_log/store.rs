//! [`AccessLogStore`] on PostgreSQL and SQLite, with the same SQL (`$1`
//! parameters become `?1` on SQLite). Entries are only ever added: the
//! database refuses UPDATE and DELETE (see the migration).

use super::entry::Access;
use crate::store::{postgres_sql, sqlite_sql};
use crate::store::{DbContext, PgStore, SqliteStore, StoreError};
use chrono::{DateTime, Utc};
use plan::access_log::{AccessEntry, AccessKind};
use uuid::Uuid;

/// Which entries to read; every filter given must hold.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Filter {
    pub user: Option<Uuid>,
    pub plan: Option<Uuid>,
    pub agency: Option<String>,
    pub from: Option<DateTime<Utc>>,
    /// Exclusive.
    pub until: Option<DateTime<Utc>>,
}

#[async_trait::async_trait]
pub trait AccessLogStore: Send + Sync + 'static {
    /// Adds the entries, all or none.
    async fn append_accesses(&self, entries: &[Access]) -> Result<(), StoreError>;
    /// The newest `limit` entries that pass `filter`, newest first.
    async fn accesses(&self, filter: &Filter, limit: u32) -> Result<Vec<AccessEntry>, StoreError>;
}

const COLUMNS: &str = "at, user_id, user_name, agency, session_ref, plan_id, kind, detail, recipients, basis, \
     granted, address, user_agent";
const PER_ROW: usize = 13;

/// `INSERT ... VALUES ($1, ..., $13), ($14, ...)` for `rows` rows.
fn insert_sql(rows: usize) -> String {
    let values: Vec<String> = (0..rows)
        .map(|r| {
            let params: Vec<String> = (1..=PER_ROW).map(|c| format!("${}", r * PER_ROW + c)).collect();
            format!("({})", params.join(", "))
        })
        .collect();
    format!("INSERT INTO access_log ({COLUMNS}) VALUES {}", values.join(", "))
}

/// The `SELECT` for `filter`: only the conditions given, so each search can
/// use its index; values are bound in the order [`bind_filter`] binds them.
fn select_sql(filter: &Filter) -> String {
    let mut conditions = Vec::new();
    let mut n = 0;
    let mut next = || {
        n += 1;
        n
    };
    if filter.user.is_some() {
        conditions.push(format!("user_id = ${}", next()));
    }
    if filter.plan.is_some() {
        conditions.push(format!("plan_id = ${}", next()));
    }
    if filter.agency.is_some() {
        conditions.push(format!("agency = ${}", next()));
    }
    if filter.from.is_some() {
        conditions.push(format!("at >= ${}", next()));
    }
    if filter.until.is_some() {
        conditions.push(format!("at < ${}", next()));
    }
    let limit = next();
    let filter = if conditions.is_empty() {
        String::new()
    } else {
        format!("WHERE {}", conditions.join(" AND "))
    };
    format!("SELECT {COLUMNS} FROM access_log {filter} ORDER BY at DESC, id DESC LIMIT ${limit}")
}

/// An entry as [`COLUMNS`] reads it.
#[derive(sqlx::FromRow)]
struct EntryRow {
    at: DateTime<Utc>,
    user_id: Uuid,
    user_name: String,
    agency: String,
    session_ref: String,
    plan_id: Option<Uuid>,
    kind: String,
    detail: String,
    recipients: String,
    basis: String,
    granted: bool,
    address: Option<String>,
    user_agent: Option<String>,
}

/// A row whose kind this version does not know is unreadable: refused,
/// never guessed.
impl TryFrom<EntryRow> for AccessEntry {
    type Error = sqlx::Error;

    fn try_from(r: EntryRow) -> Result<Self, Self::Error> {
        let kind = AccessKind::parse(&r.kind)
            .ok_or_else(|| sqlx::Error::Decode(format!("unknown access kind '{}'", r.kind).into()))?;
        Ok(AccessEntry {
            at: r.at,
            user: r.user_id,
            user_name: r.user_name,
            agency: r.agency,
            session: r.session_ref,
            plan: r.plan_id,
            kind,
            detail: r.detail,
            recipients: r.recipients,
            basis: r.basis,
            granted: r.granted,
            address: r.address,
            user_agent: r.user_agent,
        })
    }
}

macro_rules! access_log_store {
    ($store:ty, $sql:expr) => {
        #[async_trait::async_trait]
        impl AccessLogStore for $store {
            async fn append_accesses(&self, entries: &[Access]) -> Result<(), StoreError> {
                if entries.is_empty() {
                    return Ok(());
                }
                let sql = $sql(&insert_sql(entries.len()));
                let mut query = sqlx::query(sql);
                for e in entries {
                    query = crate::store::bind!(
                        query,
                        e.at,
                        e.user,
                        &e.user_name,
                        &e.agency,
                        &e.session,
                        e.plan,
                        e.kind.key(),
                        &e.detail,
                        &e.recipients,
                        e.basis.text(),
                        e.basis.granted(),
                        &e.address,
                        &e.user_agent
                    );
                }
                query
                    .execute(self.pool())
                    .await
                    .context("writing the access log")?;
                Ok(())
            }

            async fn accesses(&self, filter: &Filter, limit: u32) -> Result<Vec<AccessEntry>, StoreError> {
                let sql = $sql(&select_sql(filter));
                let mut query = sqlx::query_as::<_, EntryRow>(sql);
                if let Some(user) = filter.user {
                    query = query.bind(user);
                }
                if let Some(plan) = filter.plan {
                    query = query.bind(plan);
                }
                if let Some(agency) = &filter.agency {
                    query = query.bind(agency.clone());
                }
                if let Some(from) = filter.from {
                    query = query.bind(from);
                }
                if let Some(until) = filter.until {
                    query = query.bind(until);
                }
                let rows = query
                    .bind(i64::from(limit))
                    .fetch_all(self.pool())
                    .await
                    .context("reading the access log")?;
                rows.into_iter()
                    .map(AccessEntry::try_from)
                    .collect::<Result<_, _>>()
                    .context("reading the access log")
            }
        }
    };
}

access_log_store!(PgStore, postgres_sql);
access_log_store!(SqliteStore, sqlite_sql);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_batch_numbers_its_values_row_by_row() {
        let sql = insert_sql(2);
        assert!(sql.ends_with("($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13), ($14, $15, $16, $17, $18, $19, $20, $21, $22, $23, $24, $25, $26)"));
    }

    #[test]
    fn a_search_names_only_the_filters_given() {
        let all = select_sql(&Filter::default());
        assert!(
            all.ends_with("FROM access_log  ORDER BY at DESC, id DESC LIMIT $1"),
            "{all}"
        );
        let one_user_one_month = select_sql(&Filter {
            user: Some(Uuid::nil()),
            from: Some(Utc::now()),
            until: Some(Utc::now()),
            ..Filter::default()
        });
        assert!(
            one_user_one_month.contains("WHERE user_id = $1 AND at >= $2 AND at < $3 ORDER BY"),
            "{one_user_one_month}"
        );
        assert!(one_user_one_month.ends_with("LIMIT $4"));
    }
}
