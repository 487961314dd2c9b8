//! [`SweepStore`]: the daily sweep, once a day across every node, on
//! PostgreSQL and SQLite, as set-based statements over the facts the
//! portfolio keeps (`portfolio_actions`, `portfolio_plans`), never a read
//! of any plan's document.
//!
//! The sweep runs in one transaction that first inserts the day's row of
//! `notification_sweeps`: the node whose insert goes in sweeps; one whose
//! insert finds the row (or waits on another node's uncommitted insert,
//! then finds it) does nothing. A node that dies mid-sweep rolls back,
//! row and all, so another sweeps instead. Each notification carries its
//! event's key (the action and its target date; the plan and its review
//! date), so an event is never told twice, even by sweeps on later days.

use crate::store::bind;
use crate::store::{postgres_sql, sqlite_sql, DbContext, PgStore, SqliteStore, StoreError};
use chrono::{DateTime, NaiveDate, Utc};
use uuid::Uuid;

/// One day's sweep, by one node.
#[derive(Debug, Clone, Copy)]
pub struct SweepDay {
    pub day: NaiveDate,
    pub node: Uuid,
    pub now: DateTime<Utc>,
}

/// What a sweep did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Swept {
    /// The people told of something (whose bells ring).
    pub told: Vec<Uuid>,
    /// Notifications written.
    pub notified: usize,
    /// Digests queued.
    pub digests: usize,
}

#[async_trait::async_trait]
pub trait SweepStore: Send + Sync + 'static {
    /// Sweeps `day` unless a node has (`None` then).
    async fn sweep_day(&self, sweep: SweepDay) -> Result<Option<Swept>, StoreError>;
}

const CLAIM_DAY: &str = "INSERT INTO notification_sweeps (day, node, at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING";
const RECORD: &str = "UPDATE notification_sweeps SET notified = $2, digests = $3 WHERE day = $1";

/// The email state of a new row, as its person chose for its kind ($4).
const EMAIL: &str = "CASE COALESCE(s.delivery, $5) WHEN 'at_once' THEN 'queued' ELSE COALESCE(s.delivery, $5) END";

/// `{id}`: the plan id as text. $1 day, $2 now, $3 kind, $4 (unused), $5
/// the kind's default delivery.
const OVERDUE: &str = "INSERT INTO notifications \
     (user_id, plan_id, kind, link, event_key, created_at, email, email_due_at) \
     SELECT DISTINCT m.user_id, a.plan_id, $3, '/plans/' || {id} || '#action-' || a.action_id, \
     'overdue:' || {id} || ':' || a.action_id || ':' || a.target_date, $2, {email}, $2 \
     FROM portfolio_actions a JOIN plans p ON p.id = a.plan_id \
     JOIN plan_members m ON m.plan_id = a.plan_id JOIN users u ON u.id = m.user_id \
     JOIN agencies g ON g.id = u.agency_id \
     LEFT JOIN notification_settings s ON s.user_id = m.user_id AND s.kind = $3 \
     WHERE p.state = 'open' AND u.disabled_at IS NULL AND a.target_date < $1 \
     AND (a.status IS NULL OR a.status <> 'GREEN') AND $4 IS NULL \
     AND ((trim(a.owner_agency) <> '' AND lower(trim(g.name)) = lower(trim(a.owner_agency))) \
       OR (trim(a.owner_name) <> '' AND lower(trim(u.name)) = lower(trim(a.owner_name)))) \
     ON CONFLICT DO NOTHING RETURNING user_id";

/// Reviews due from $1 to $4 (or overdue: before $1, $4 null), told to the
/// plan's LRO and plan owners.
const REVIEWS: &str = "INSERT INTO notifications \
     (user_id, plan_id, kind, link, event_key, created_at, email, email_due_at) \
     SELECT m.user_id, r.plan_id, $3, '/plans/' || {id}, \
     $3 || ':' || {id} || ':' || r.next_review, $2, {email}, $2 \
     FROM portfolio_plans r JOIN plans p ON p.id = r.plan_id \
     JOIN plan_members m ON m.plan_id = r.plan_id JOIN users u ON u.id = m.user_id \
     LEFT JOIN notification_settings s ON s.user_id = m.user_id AND s.kind = $3 \
     WHERE p.state = 'open' AND u.disabled_at IS NULL AND m.role IN ('lro', 'plan_owner') \
     AND r.next_review IS NOT NULL \
     AND (($4 IS NULL AND r.next_review < $1) OR ($4 IS NOT NULL AND r.next_review >= $1 AND r.next_review <= $4)) \
     ON CONFLICT DO NOTHING RETURNING user_id";

/// A digest for everyone with notifications waiting for one (active
/// accounts), then each such notification counted in its digest; a
/// disabled account's are not emailed.
const DIGESTS: &str = "INSERT INTO notification_digests (user_id, day, email, email_due_at) \
     SELECT DISTINCT n.user_id, $1, 'queued', $2 FROM notifications n JOIN users u ON u.id = n.user_id \
     WHERE n.email = 'digest' AND u.disabled_at IS NULL ON CONFLICT DO NOTHING";
const DIGESTED: &str = "UPDATE notifications SET \
     digest_id = (SELECT d.id FROM notification_digests d WHERE d.user_id = notifications.user_id AND d.day = $1), \
     email = CASE WHEN EXISTS (SELECT 1 FROM notification_digests d \
       WHERE d.user_id = notifications.user_id AND d.day = $1) THEN 'digested' ELSE 'off' END \
     WHERE email = 'digest'";

/// The plan id as text, as links show it.
const PG_ID: &str = "r.plan_id::text";
/// SQLite keeps a uuid as 16 bytes: written out as 8-4-4-4-12 hex.
const SQLITE_ID: &str = "lower(substr(hex(r.plan_id), 1, 8) || '-' || substr(hex(r.plan_id), 9, 4) || '-' || \
     substr(hex(r.plan_id), 13, 4) || '-' || substr(hex(r.plan_id), 17, 4) || '-' || substr(hex(r.plan_id), 21))";

fn statement(sql: &str, id: &str, table: &str) -> String {
    sql.replace("{id}", &id.replace("r.", &format!("{table}.")))
        .replace("{email}", EMAIL)
}

macro_rules! sweep_store {
    ($store:ty, $sql:path, $id:expr) => {
        #[async_trait::async_trait]
        impl SweepStore for $store {
            async fn sweep_day(&self, sweep: SweepDay) -> Result<Option<Swept>, StoreError> {
                use plan::notifications::Kind;
                let mut tx = self.begin_write().await?;
                let claimed = bind!(sqlx::query($sql(CLAIM_DAY)), sweep.day, sweep.node, sweep.now)
                    .execute(&mut *tx)
                    .await
                    .context("claiming the day's sweep")?;
                if claimed.rows_affected() == 0 {
                    return Ok(None);
                }
                let mut told: Vec<Uuid> = Vec::new();
                let overdue = statement(OVERDUE, $id, "a");
                let reviews = statement(REVIEWS, $id, "r");
                let soon = sweep.day + chrono::Days::new(7);
                let runs = [
                    (&overdue, Kind::ActionOverdue, None),
                    (&reviews, Kind::ReviewOverdue, None),
                    (&reviews, Kind::ReviewDue, Some(soon)),
                ];
                for (sql, kind, until) in runs {
                    let rows: Vec<Uuid> = bind!(
                        sqlx::query_scalar($sql(sql)),
                        sweep.day,
                        sweep.now,
                        kind.key(),
                        until,
                        kind.default_delivery().key()
                    )
                    .fetch_all(&mut *tx)
                    .await
                    .context("sweeping for events")?;
                    told.extend(rows);
                }
                let notified = told.len();
                let digests = bind!(sqlx::query($sql(DIGESTS)), sweep.day, sweep.now)
                    .execute(&mut *tx)
                    .await
                    .context("queueing the day's digests")?
                    .rows_affected() as usize;
                bind!(sqlx::query($sql(DIGESTED)), sweep.day)
                    .execute(&mut *tx)
                    .await
                    .context("counting notifications in their digests")?;
                bind!(
                    sqlx::query($sql(RECORD)),
                    sweep.day,
                    notified as i32,
                    digests as i32
                )
                .execute(&mut *tx)
                .await
                .context("recording the day's sweep")?;
                tx.commit().await.context("committing the day's sweep")?;
                told.sort();
                told.dedup();
                Ok(Some(Swept {
                    told,
                    notified,
                    digests,
                }))
            }
        }
    };
}

sweep_store!(PgStore, postgres_sql, PG_ID);
sweep_store!(SqliteStore, sqlite_sql, SQLITE_ID);
