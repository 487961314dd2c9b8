//! The daily sweep, run by every node's timer and done by one: at
//! `PILLARS_NOTIFY_DAILY_AT` (UTC) each node tries to claim the day
//! ([`super::sweep_store`]); the one that does tells of actions overdue and
//! reviews due or overdue, and queues the day's digests, then rings the
//! bells of those told and wakes the senders. A node that starts after the
//! hour sweeps at once if nobody has that day.

use super::sweep_store::{SweepDay, Swept};
use super::Notifications;
use crate::store::StoreError;
use chrono::{NaiveDate, NaiveTime, Utc};
use std::time::Duration;

/// The longest a node sleeps between looks (so a changed clock, or a day
/// whose sweep failed, is seen within it).
const LOOK_AT_LEAST_EVERY: Duration = Duration::from_secs(3600);
/// After a failed sweep (the database away), the next try.
const AFTER_FAILURE: Duration = Duration::from_secs(60);

impl Notifications {
    /// Sweeps `day` unless a node has; what it did, or `None`.
    pub async fn sweep(&self, day: NaiveDate) -> Result<Option<Swept>, StoreError> {
        let sweep = SweepDay {
            day,
            node: self.node,
            now: Utc::now(),
        };
        let started = std::time::Instant::now();
        let swept = self.sweeps.sweep_day(sweep).await?;
        if let Some(s) = &swept {
            tracing::info!(%day, notified = s.notified, digests = s.digests, took = ?started.elapsed(),
                "the daily notification sweep ran here");
            self.events.bell(&s.told);
            if s.digests > 0 && s.told.is_empty() {
                // Nobody's bell rang, but the senders have digests to send.
                self.events.bell_plan(uuid::Uuid::nil());
            }
        }
        Ok(swept)
    }

    /// Sweeps each day at `at` (UTC) until the server stops.
    pub fn spawn_daily(&self, at: NaiveTime) -> tokio::task::JoinHandle<()> {
        let notifications = self.clone();
        tokio::spawn(async move {
            let mut done: Option<NaiveDate> = None;
            loop {
                let now = Utc::now();
                let today = now.date_naive();
                let due = today.and_time(at).and_utc();
                let mut wait = LOOK_AT_LEAST_EVERY;
                if now >= due && done != Some(today) {
                    match notifications.sweep(today).await {
                        Ok(_) => done = Some(today),
                        Err(e) => {
                            tracing::error!(error = ?e, "the daily notification sweep failed; trying again");
                            wait = AFTER_FAILURE;
                        }
                    }
                } else if now < due {
                    wait = wait.min((due - now).to_std().unwrap_or_default());
                } else {
                    let tomorrow = due + chrono::Days::new(1);
                    wait = wait.min((tomorrow - now).to_std().unwrap_or_default());
                }
                tokio::time::sleep(wait).await;
            }
        })
    }
}
