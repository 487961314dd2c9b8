//! Keeping the plans list current after each batch of updates: a due
//! compaction writes the plan's summary, else it is refreshed here when
//! a change shows in it.

use super::RoomTask;
use crate::collab::room::Room;

impl RoomTask {
    /// Starts a compaction or refreshes the summary; whether it told
    /// watchers the plan changed (a compaction tells them once written).
    /// A new marking is stored here and now, not by a compaction later,
    /// and the vetting service told, so that members the plan's vetting
    /// now shuts out are closed at once.
    pub(super) async fn after_updates(&mut self, room: &Room, summary_changed: bool, marking_changed: bool) -> bool {
        // Compaction encodes the whole plan in the room's task, so however
        // fast updates come it runs at most every `compact_min`. It writes
        // the summary too (and tells watchers once written).
        if !marking_changed && self.compaction_due() && self.start_compaction(room) {
            return false;
        }
        if !summary_changed {
            return false; // reading the whole plan for its summary is for changes that show in it
        }
        // Keep the plans list current without waiting for compaction.
        let summary = room.plan().summary(
            &room.plan().transact(),
            self.plan_id,
            &self.inner.settings.review_intervals,
        );
        if self.last_summary.as_ref() != Some(&summary) {
            match self
                .inner
                .store
                .update_summary(self.plan_id, &summary, self.applied)
                .await
            {
                Ok(()) => {
                    if let Some(tell) = self.inner.settings.marking_changed.as_ref().filter(|_| marking_changed) {
                        let _ = tell.send(self.plan_id);
                    }
                    self.last_summary = Some(summary);
                    self.summary_seq = self.applied;
                    self.inner.settings.events.changed(self.plan_id);
                    return true;
                }
                Err(e) => tracing::error!(plan = %self.plan_id, error = ?e, "could not refresh the plan summary"),
            }
        }
        false
    }
}
