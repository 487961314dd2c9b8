//! [`StrategyStore`] on PostgreSQL and SQLite, with the same SQL (`$1`
//! parameters become `?1` on SQLite). Versions are only ever added.

use crate::store::bind;
use crate::store::{postgres_sql, sqlite_sql};
use crate::store::{DbContext, PgStore, SqliteStore, StoreError};
use chrono::{DateTime, NaiveDate, Utc};
use plan::strategy::{ControlStrategy, PublishedStrategy, StrategyVersion};
use uuid::Uuid;

#[async_trait::async_trait]
pub trait StrategyStore: Send + Sync + 'static {
    /// The highest version, if any.
    async fn latest_strategy(&self) -> Result<Option<PublishedStrategy>, StoreError>;
    async fn strategy_version(&self, version: i64) -> Result<Option<PublishedStrategy>, StoreError>;
    /// Every version, newest first.
    async fn strategy_versions(&self) -> Result<Vec<StrategyVersion>, StoreError>;
    /// Stores `strategy` as version `after + 1`, in one transaction that
    /// checks `version.after` is still the latest version (0: none yet). `false`
    /// when it is not, or that version was taken meanwhile: nothing stored.
    async fn insert_strategy(&self, version: NewVersion<'_>) -> Result<bool, StoreError>;
}

/// A version to publish: the strategy, the version it follows (0: none
/// yet), who published it (none for the seeded default) and when.
#[derive(Debug, Clone, Copy)]
pub struct NewVersion<'a> {
    /// The version it follows, which must still be the latest.
    pub after: i64,
    pub strategy: &'a ControlStrategy,
    pub by: Option<Uuid>,
    pub at: DateTime<Utc>,
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

/// A version's line, as [`COLUMNS`] reads it.
#[derive(sqlx::FromRow)]
struct VersionRow {
    version: i64,
    title: String,
    effective_from: NaiveDate,
    published_at: DateTime<Utc>,
    published_by: String,
}

impl From<VersionRow> for StrategyVersion {
    fn from(row: VersionRow) -> Self {
        let VersionRow {
            version,
            title,
            effective_from,
            published_at,
            published_by,
        } = row;
        StrategyVersion {
            version,
            title,
            effective_from,
            published_at,
            published_by,
        }
    }
}

/// A version's line and its stored JSON.
#[derive(sqlx::FromRow)]
struct PublishedRow {
    strategy: String,
    #[sqlx(flatten)]
    line: VersionRow,
}

/// A version's line and its stored JSON, whole.
fn published(PublishedRow { strategy, line }: PublishedRow) -> Result<PublishedStrategy, sqlx::Error> {
    let strategy = serde_json::from_str(&strategy).map_err(|e| sqlx::Error::Decode(Box::new(e)))?;
    Ok(PublishedStrategy {
        version: line.version,
        strategy,
        published_at: line.published_at,
        published_by: line.published_by,
    })
}

macro_rules! strategy_store {
    ($store:ty, $sql:expr) => {
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
                let row: Option<PublishedRow> = bind!(sqlx::query_as(sql), version)
                    .fetch_optional(self.pool())
                    .await
                    .context("reading a strategy version")?;
                row.map(published)
                    .transpose()
                    .context("reading a strategy version")
            }

            async fn strategy_versions(&self) -> Result<Vec<StrategyVersion>, StoreError> {
                let sql = $sql(&format!("SELECT {COLUMNS} ORDER BY s.version DESC"));
                let rows: Vec<VersionRow> = sqlx::query_as(sql)
                    .fetch_all(self.pool())
                    .await
                    .context("listing strategy versions")?;
                Ok(rows.into_iter().map(StrategyVersion::from).collect())
            }

            async fn insert_strategy(&self, version: NewVersion<'_>) -> Result<bool, StoreError> {
                let NewVersion {
                    after,
                    strategy,
                    by,
                    at,
                } = version;
                let json = serde_json::to_string(strategy)
                    .map_err(|e| sqlx::Error::Encode(Box::new(e)))
                    .context("encoding a strategy")?;
                // On SQLite, the write lock up front: publishers are serialised.
                let mut tx = self.begin_write().await?;
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

strategy_store!(PgStore, postgres_sql);
strategy_store!(SqliteStore, sqlite_sql);
