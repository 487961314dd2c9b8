//! [`NotificationStore`] on PostgreSQL and SQLite, with the same SQL: a
//! person's notifications as the centre shows them, their read state and
//! their email settings. Need-to-know is judged in every read: a
//! notification about a plan is shown only while its person may open the
//! plan (`cleared_members`, the vetting feature's one judgement of access).

use crate::store::bind;
use crate::store::{postgres_sql, sqlite_sql, DbContext, PgStore, SqliteStore, StoreError};
use chrono::{DateTime, Utc};
use plan::notifications::{Delivery, Kind};
use uuid::Uuid;

/// One notification, as its person sees it.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct Entry {
    pub id: i64,
    pub kind: String,
    pub plan_id: Option<Uuid>,
    /// The plan's subject name (shown in the app only, never emailed).
    pub plan_name: Option<String>,
    pub link: String,
    pub created_at: DateTime<Utc>,
    pub read_at: Option<DateTime<Utc>>,
}

#[async_trait::async_trait]
pub trait NotificationStore: Send + Sync + 'static {
    /// `user`'s visible notifications, newest first, at most `limit`.
    async fn notifications(&self, user: Uuid, limit: i64) -> Result<Vec<Entry>, StoreError>;
    /// How many of `user`'s visible notifications are unread.
    async fn unread(&self, user: Uuid) -> Result<i64, StoreError>;
    /// Marks one of `user`'s visible notifications read (if not already);
    /// whether it is theirs and visible.
    async fn mark_read(&self, user: Uuid, id: i64, now: DateTime<Utc>) -> Result<bool, StoreError>;
    /// Marks every visible notification of `user`'s read; how many.
    async fn mark_all_read(&self, user: Uuid, now: DateTime<Utc>) -> Result<u64, StoreError>;
    /// The deliveries `user` chose (kinds not listed have their default).
    async fn settings(&self, user: Uuid) -> Result<Vec<(Kind, Delivery)>, StoreError>;
    /// Sets `user`'s delivery of each kind given, in one transaction.
    async fn set_settings(&self, user: Uuid, choices: &[(Kind, Delivery)]) -> Result<(), StoreError>;
}

/// Whether `n`'s person may open its plan now.
pub(super) const VISIBLE: &str = "(n.plan_id IS NULL OR EXISTS \
     (SELECT 1 FROM cleared_members c WHERE c.plan_id = n.plan_id AND c.user_id = n.user_id))";

const LIST: &str = "SELECT n.id, n.kind, n.plan_id, p.summary->>'subject_name' AS plan_name, n.link, \
     n.created_at, n.read_at FROM notifications n LEFT JOIN plans p ON p.id = n.plan_id \
     WHERE n.user_id = $1 AND {visible} ORDER BY n.id DESC LIMIT $2";
const UNREAD: &str = "SELECT COUNT(*) FROM notifications n WHERE n.user_id = $1 AND n.read_at IS NULL AND {visible}";
const MARK: &str = "UPDATE notifications SET read_at = COALESCE(read_at, $3) \
     WHERE id IN (SELECT n.id FROM notifications n WHERE n.user_id = $1 AND n.id = $2 AND {visible})";
const MARK_ALL: &str = "UPDATE notifications SET read_at = $2 WHERE id IN (SELECT n.id FROM notifications n \
     WHERE n.user_id = $1 AND n.read_at IS NULL AND {visible})";
const SETTINGS: &str = "SELECT kind, delivery FROM notification_settings WHERE user_id = $1";
const SET: &str = "INSERT INTO notification_settings (user_id, kind, delivery) VALUES ($1, $2, $3) \
     ON CONFLICT (user_id, kind) DO UPDATE SET delivery = excluded.delivery";

fn visible(sql: &str) -> String {
    sql.replace("{visible}", VISIBLE)
}

/// Settings as stored; a kind or delivery this release does not know (a
/// newer node's) is left out.
fn choices(rows: Vec<(String, String)>) -> Vec<(Kind, Delivery)> {
    rows.into_iter()
        .filter_map(|(kind, delivery)| Some((Kind::parse(&kind)?, Delivery::parse(&delivery).ok()?)))
        .collect()
}

macro_rules! notification_store {
    ($store:ty, $sql:path) => {
        #[async_trait::async_trait]
        impl NotificationStore for $store {
            async fn notifications(&self, user: Uuid, limit: i64) -> Result<Vec<Entry>, StoreError> {
                bind!(sqlx::query_as($sql(&visible(LIST))), user, limit)
                    .fetch_all(self.pool())
                    .await
                    .context("reading notifications")
            }

            async fn unread(&self, user: Uuid) -> Result<i64, StoreError> {
                bind!(sqlx::query_scalar($sql(&visible(UNREAD))), user)
                    .fetch_one(self.pool())
                    .await
                    .context("counting unread notifications")
            }

            async fn mark_read(&self, user: Uuid, id: i64, now: DateTime<Utc>) -> Result<bool, StoreError> {
                let done = bind!(sqlx::query($sql(&visible(MARK))), user, id, now)
                    .execute(self.pool())
                    .await
                    .context("marking a notification read")?;
                Ok(done.rows_affected() == 1)
            }

            async fn mark_all_read(&self, user: Uuid, now: DateTime<Utc>) -> Result<u64, StoreError> {
                let done = bind!(sqlx::query($sql(&visible(MARK_ALL))), user, now)
                    .execute(self.pool())
                    .await
                    .context("marking notifications read")?;
                Ok(done.rows_affected())
            }

            async fn settings(&self, user: Uuid) -> Result<Vec<(Kind, Delivery)>, StoreError> {
                let rows = bind!(sqlx::query_as($sql(SETTINGS)), user)
                    .fetch_all(self.pool())
                    .await
                    .context("reading notification settings")?;
                Ok(choices(rows))
            }

            async fn set_settings(&self, user: Uuid, choices: &[(Kind, Delivery)]) -> Result<(), StoreError> {
                let mut tx = self.begin_write().await?;
                for (kind, delivery) in choices {
                    bind!(sqlx::query($sql(SET)), user, kind.key(), delivery.key())
                        .execute(&mut *tx)
                        .await
                        .context("setting a notification delivery")?;
                }
                tx.commit().await.context("committing notification settings")
            }
        }
    };
}

notification_store!(PgStore, postgres_sql);
notification_store!(SqliteStore, sqlite_sql);
