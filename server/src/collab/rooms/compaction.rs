//! Folding a room's log into a snapshot. The room encodes its document in
//! its own task (it owns the document; encoding is CPU only), and storage
//! writes the snapshot in a task of its own, so a large plan's write never
//! holds up the batches that arrive meanwhile. One compaction per room is
//! in flight at a time.

use super::RoomTask;
use crate::collab::room::Room;
use crate::store::{Snapshot, StoreError};
use plan::PlanSummary;
use std::time::Instant;
use tokio::task::{JoinError, JoinHandle};

/// A compaction whose write is in flight.
pub(super) struct Compacting {
    /// The seq the snapshot is the state after.
    upto: i64,
    summary: PlanSummary,
    write: JoinHandle<Result<(), StoreError>>,
}

/// How a compaction's write ended.
pub(super) type Written = Result<Result<(), StoreError>, JoinError>;

/// Waits for the write in flight, if any; never ends when there is none
/// (for `select!`).
pub(super) async fn written(compacting: &mut Option<Compacting>) -> Written {
    match compacting {
        Some(compacting) => (&mut compacting.write).await,
        None => std::future::pending().await,
    }
}

impl RoomTask {
    /// Whether enough updates wait to be folded, and long enough has
    /// passed since the last compaction started.
    pub(super) fn compaction_due(&self) -> bool {
        let settings = &self.inner.settings;
        self.since_snapshot >= settings.compact_every_updates && self.last_compaction.elapsed() >= settings.compact_min
    }

    /// Starts folding the log into a snapshot of the room's state, which is
    /// exactly the state after `applied`. Whether it started (not when one
    /// is already in flight).
    pub(super) fn start_compaction(&mut self, room: &Room) -> bool {
        if self.compacting.is_some() {
            return false;
        }
        let (state, state_vector) = room.encode_state();
        let snapshot = Snapshot {
            upto_seq: self.applied,
            state,
            state_vector,
        };
        let summary = room.plan().summary(
            &room.plan().transact(),
            self.plan_id,
            &self.inner.settings.review_intervals,
        );
        let (store, plan, written_summary) = (self.inner.store.clone(), self.plan_id, summary.clone());
        let write = tokio::spawn(async move { store.compact(plan, &snapshot, &written_summary).await });
        self.compacting = Some(Compacting {
            upto: self.applied,
            summary,
            write,
        });
        self.last_compaction = Instant::now();
        true
    }

    /// The write in flight ended. Whether it told watchers the plan changed
    /// (its summary did).
    pub(super) fn compaction_written(&mut self, written: Written) -> bool {
        let Some(Compacting { upto, summary, .. }) = self.compacting.take() else {
            return false;
        };
        match written {
            Ok(Ok(())) => {
                // What came after the snapshot is still to fold (and none,
                // if the room stopped trusting its document meanwhile).
                self.since_snapshot = self.since_snapshot.min((self.applied - upto).max(0) as usize);
                tracing::debug!(plan = %self.plan_id, upto, "compacted");
                // A summary from a later seq may have been written meanwhile.
                if upto >= self.summary_seq && self.last_summary.as_ref() != Some(&summary) {
                    self.last_summary = Some(summary);
                    self.summary_seq = upto;
                    self.inner.settings.events.changed(self.plan_id);
                    return true;
                }
            }
            Ok(Err(e)) => tracing::error!(plan = %self.plan_id, error = ?e, "compaction failed; the log is kept"),
            Err(e) => {
                tracing::error!(plan = %self.plan_id, error = ?e, "compaction's write ended abnormally; the log is kept")
            }
        }
        false
    }

    /// Compacts and waits for the write, the one in flight first: the room
    /// is ending.
    pub(super) async fn compact_before_closing(&mut self, room: &Room) {
        if self.compacting.is_some() {
            let done = written(&mut self.compacting).await;
            self.compaction_written(done);
        }
        if self.since_snapshot > 0 && self.start_compaction(room) {
            let done = written(&mut self.compacting).await;
            self.compaction_written(done);
        }
    }
}
