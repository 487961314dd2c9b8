//! Break-glass access: in an emergency (the LRO absent, a threat-to-life
//! decision to make) an auditor, strategic lead or administrator who is not
//! a member may read a plan, read-only, for a while, by stating why. The
//! grant and every reading under it are in the access log, marked; the
//! plan's LRO and plan owner see it on the plan's page. Without a reason,
//! or for anyone else, the answer is the same `404` as for no plan.

use crate::store::bind;
use crate::store::{postgres_sql, sqlite_sql};
use crate::store::{DbContext, PgStore, SqliteStore, StoreError};
use chrono::{DateTime, Utc};
use plan::access_log::BreakGlassNote;
use uuid::Uuid;

/// A break-glass grant: who may read which plan, why, and from when until
/// when.
#[derive(Debug, Clone, Copy)]
pub struct Grant<'a> {
    pub plan: Uuid,
    /// Who may read it: an auditor, strategic lead or administrator.
    pub user: Uuid,
    /// As they stated it.
    pub reason: &'a str,
    pub at: DateTime<Utc>,
    pub until: DateTime<Utc>,
}

#[async_trait::async_trait]
pub trait BreakGlassStore: Send + Sync + 'static {
    /// Records a grant; `false` (nothing recorded) if there is no such
    /// plan, or the reader's vetting does not clear them for it.
    async fn grant_break_glass(&self, grant: Grant<'_>) -> Result<bool, StoreError>;
    /// Whether `user` holds a grant on `plan` at `now` (and their vetting
    /// still clears them for it).
    async fn holds_break_glass(&self, plan: Uuid, user: Uuid, now: DateTime<Utc>) -> Result<bool, StoreError>;
    /// The plan's grants made since `since`, newest first.
    async fn break_glass_since(&self, plan: Uuid, since: DateTime<Utc>) -> Result<Vec<BreakGlassNote>, StoreError>;
}

// Breaking the glass overrides need-to-know, never vetting: a grant is made
// and honoured only while the reader's vetting clears them for the plan.
const CLEARED: &str = "EXISTS (SELECT 1 FROM vetting_clearances WHERE plan_id = $1 AND user_id = $2 AND cleared)";
const GRANT: &str = "INSERT INTO break_glass_grants (plan_id, user_id, reason, granted_at, expires_at) \
     SELECT $1, $2, $3, $4, $5 WHERE ";
const HOLDS: &str = "SELECT COUNT(*) FROM break_glass_grants \
     WHERE plan_id = $1 AND user_id = $2 AND granted_at <= $3 AND expires_at > $3 AND ";
const SINCE: &str = "SELECT g.granted_at, g.expires_at, u.name, a.name, g.reason FROM break_glass_grants g \
     JOIN users u ON u.id = g.user_id JOIN agencies a ON a.id = u.agency_id \
     WHERE g.plan_id = $1 AND g.granted_at >= $2 ORDER BY g.granted_at DESC";

macro_rules! break_glass_store {
    ($store:ty, $sql:expr) => {
        #[async_trait::async_trait]
        impl BreakGlassStore for $store {
            async fn grant_break_glass(&self, g: Grant<'_>) -> Result<bool, StoreError> {
                let done = bind!(
                    sqlx::query($sql(&format!("{GRANT}{CLEARED}"))),
                    g.plan,
                    g.user,
                    g.reason,
                    g.at,
                    g.until
                )
                .execute(self.pool())
                .await
                .context("recording a break-glass grant")?;
                Ok(done.rows_affected() == 1)
            }

            async fn holds_break_glass(&self, plan: Uuid, user: Uuid, now: DateTime<Utc>) -> Result<bool, StoreError> {
                let n: i64 = bind!(
                    sqlx::query_scalar($sql(&format!("{HOLDS}{CLEARED}"))),
                    plan,
                    user,
                    now
                )
                .fetch_one(self.pool())
                .await
                .context("reading break-glass grants")?;
                Ok(n > 0)
            }

            async fn break_glass_since(
                &self,
                plan: Uuid,
                since: DateTime<Utc>,
            ) -> Result<Vec<BreakGlassNote>, StoreError> {
                let rows: Vec<(DateTime<Utc>, DateTime<Utc>, String, String, String)> =
                    bind!(sqlx::query_as($sql(SINCE)), plan, since)
                        .fetch_all(self.pool())
                        .await
                        .context("reading break-glass grants")?;
                Ok(rows
                    .into_iter()
                    .map(|(at, until, by, agency, reason)| BreakGlassNote {
                        at,
                        until,
                        by,
                        agency,
                        reason,
                    })
                    .collect())
            }
        }
    };
}

break_glass_store!(PgStore, postgres_sql);
break_glass_store!(SqliteStore, sqlite_sql);
