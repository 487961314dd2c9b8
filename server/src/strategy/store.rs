//! [`StrategyStore`] on PostgreSQL and SQLite, with the same SQL (`$1`
//! parameters become `?1` on SQLite). Versions are only ever added.

use crate::store::bind;
use crate::store::{postgres_sql, sqlite_sql};
use crate::store::{DbContext, PgStore, SqliteStore, StoreError};
use chrono::{DateTime, NaiveDate, Utc};
use plan::strategy::{ControlStrategy, PublishedStrategy, StrategyVersion};
use sqlx::Row;
use uuid::Uuid;

#[async_trait::async_trait]
pub trait StrategyStore: Send + Sync + 'static {
    /// The highest version, if any.
    async fn latest_strategy(&self) -> Result<Option<PublishedStrategy>, StoreError>;
    async fn strategy_version(&self, version: i64) -> Result<Option<PublishedStrategy>, StoreError>;
    /// Every version, newest first.
    async fn strategy_versions(&self) -> Result<Vec<StrategyVersion>, StoreError>;
    /// Stores `strategy` as version `after + 1`, in one transaction that
    /// checks `after` is still the latest version (0: none yet). `false`
    /// when it is not, or that version was taken meanwhile: nothing stored.
    async fn insert_strategy(
        &self,
        after: i64,
        strategy: &ControlStrategy,
        by: Option<Uuid>,
        at: DateTime<Utc>,
    ) -> Result<bool, StoreError>;
}

// A version nobody published (the seeded default) is Pillars'.
const COLUMNS: &str = "s.version, s.title, s.effective_from, s.published_at, \
     COALESCE(u.name, 'Pillars') AS published_by \
     FROM strategy_versions s LEFT JOIN users u ON u.id = s.published_by";

const LATEST: &str = "SELECT COALESCE(MAX(version), 0) FROM strategy_versions";

// The version is taken at most once (primary key): of two publishers of
// the same version, the second inserts nothing.
const INSERT: &str = "INSERT INTO strategy_versions \
     (version, title, effective_from, strategy, published_by, published_at) \
     VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (version) DO NOTHING";

fn version_from<R: Row>(row: &R) -> Result<StrategyVersion, sqlx::Error>
where
    for<'r> i64: sqlx::Decode<'r, R::Database> + sqlx::Type<R::Database>,
    for<'r> String: sqlx::Decode<'r, R::Database> + sqlx::Type<R::Database>,
    for<'r> NaiveDate: sqlx::Decode<'r, R::Database> + sqlx::Type<R::Database>,
    for<'r> DateTime<Utc>: sqlx::Decode<'r, R::Database> + sqlx::Type<R::Database>,
    for<'r> &'r str: sqlx::ColumnIndex<R>,
{
    Ok(StrategyVersion {
        version: row.try_get("version")?,
        title: row.try_get("title")?,
        effective_from: row.try_get("effective_from")?,
        published_at: row.try_get("published_at")?,
        published_by: row.try_get("published_by")?,
    })
}

/// A version's line and its stored JSON, whole.
fn published(line: StrategyVersion, json: &str) -> Result<PublishedStrategy, sqlx::Error> {
    let strategy = serde_json::from_str(json).map_err(|e| sqlx::Error::Decode(Box::new(e)))?;
    Ok(PublishedStrategy {
        version: line.version,
        strategy,
        published_at: line.published_at,
        published_by: line.published_by,
    })
}

macro_rules! strategy_store {
    ($store:ty, $sql:expr, $begin:expr) => {
        #[async_trait::async_trait]
        impl StrategyStore for $store {
            async fn latest_strategy(&self) -> Result<Option<PublishedStrategy>, StoreError> {
                let latest: i64 = sqlx::query_scalar(LATEST)
                    .fetch_one(self.pool())
                    .await
                    .context("reading the latest strategy version")?;
                self.strategy_version(latest).await
            }

            async fn strategy_version(&self, version: i64) -> Result<Option<PublishedStrategy>, StoreError> {
                let sql = $sql(&format!("SELECT s.strategy, {COLUMNS} WHERE s.version = $1"));
                let row = bind!(sqlx::query(sql), version)
                    .fetch_optional(self.pool())
                    .await
                    .context("reading a strategy version")?;
                row.map(|r| published(version_from(&r)?, &r.try_get::<String, _>("strategy")?))
                    .transpose()
                    .context("reading a strategy version")
            }

            async fn strategy_versions(&self) -> Result<Vec<StrategyVersion>, StoreError> {
                let sql = $sql(&format!("SELECT {COLUMNS} ORDER BY s.version DESC"));
                let rows = sqlx::query(sql)
                    .fetch_all(self.pool())
                    .await
                    .context("listing strategy versions")?;
                rows.iter()
                    .map(|r| version_from(r))
                    .collect::<Result<_, _>>()
                    .context("listing strategy versions")
            }

            async fn insert_strategy(
                &self,
                after: i64,
                strategy: &ControlStrategy,
                by: Option<Uuid>,
                at: DateTime<Utc>,
            ) -> Result<bool, StoreError> {
                let json = serde_json::to_string(strategy)
                    .map_err(|e| sqlx::Error::Encode(Box::new(e)))
                    .context("encoding a strategy")?;
                let mut tx = $begin(self).await?;
                let latest: i64 = sqlx::query_scalar(LATEST)
                    .fetch_one(&mut *tx)
                    .await
                    .context("reading the latest strategy version")?;
                if latest != after {
                    return Ok(false);
                }
                let done = bind!(
                    sqlx::query($sql(INSERT)),
                    after + 1,
                    &strategy.title,
                    strategy.effective_from,
                    json,
                    by,
                    at
                )
                .execute(&mut *tx)
                .await
                .context("publishing a strategy version")?;
                tx.commit().await.context("committing a strategy version")?;
                Ok(done.rows_affected() == 1)
            }
        }
    };
}

async fn pg_begin(store: &PgStore) -> Result<sqlx::Transaction<'static, sqlx::Postgres>, StoreError> {
    store.pool().begin().await.context("starting to publish a strategy")
}

async fn sqlite_begin(store: &SqliteStore) -> Result<sqlx::Transaction<'static, sqlx::Sqlite>, StoreError> {
    // Takes the write lock up front: publishers are serialised.
    store.begin_write().await
}

strategy_store!(PgStore, postgres_sql, pg_begin);
strategy_store!(SqliteStore, sqlite_sql, sqlite_begin);
