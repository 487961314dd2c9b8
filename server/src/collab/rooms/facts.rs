//! Keeping the plan's portfolio facts current from its room: what each
//! batch of accepted updates touched is rewritten after it is durable.

use super::RoomTask;
use crate::collab::room::{Accepted, Room};
use plan::portfolio::Touched;

impl RoomTask {
    /// Writes all of the plan's facts if storage has none or older ones
    /// (or `force`). O(plan): at a room's start, or to repair.
    pub(super) async fn refresh_facts(&mut self, room: &Room, force: bool) {
        let intervals = self.inner.settings.review_intervals;
        let store = &*self.inner.store;
        let written =
            crate::portfolio::refresh(store, self.plan_id, room.plan(), self.applied, &intervals, force).await;
        self.facts_written(written);
    }

    /// Rewrites the facts the updates touched; whether any were written
    /// (open portfolios are then told, once per batch, by the caller).
    pub(super) async fn record_facts(&mut self, room: &Room, updates: &[Accepted]) -> bool {
        if self.facts_stale {
            self.refresh_facts(room, true).await;
            return !self.facts_stale;
        }
        let touched = Touched::from_changes(updates.iter().flat_map(|u| &u.changes));
        if touched.is_empty() {
            return false;
        }
        let intervals = self.inner.settings.review_intervals;
        let store = &*self.inner.store;
        let written =
            crate::portfolio::record(store, self.plan_id, room.plan(), self.applied, &intervals, &touched).await;
        self.facts_written(written)
    }

    /// Notes whether a write of the facts landed. One that failed is logged,
    /// and all the facts are rewritten after the next batch.
    fn facts_written(&mut self, written: Result<(), crate::store::StoreError>) -> bool {
        self.facts_stale = written.is_err();
        if let Err(e) = written {
            tracing::error!(plan = %self.plan_id, error = ?e, "could not write the plan's portfolio facts; rewriting them after the next batch");
        }
        !self.facts_stale
    }
}
