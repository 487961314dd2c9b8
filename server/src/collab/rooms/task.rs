//! A room task's life: loading the plan, handling its batches and
//! compacting in turn, closing; and unregistering however it ends.

use super::{compaction, schedule, Command, Inner, JoinError, JoinRefused, RoomTask};
use crate::collab::room::Room;
use crate::store::StoreError;
use std::collections::HashMap;
use std::sync::Arc;
use std::time::Instant;
use tokio::sync::mpsc;
use uuid::Uuid;

impl Drop for RoomTask {
    /// Runs however the task ends, panics included, so a dead room never
    /// stays registered.
    fn drop(&mut self) {
        self.unregister();
        self.inner.live.send_modify(|live| {
            live.remove(&self.plan_id);
        });
    }
}

impl RoomTask {
    pub(super) fn new(inner: Arc<Inner>, plan_id: Uuid, generation: u64) -> Self {
        RoomTask {
            inner,
            plan_id,
            generation,
            clients: HashMap::new(),
            applied: 0,
            since_snapshot: 0,
            last_compaction: Instant::now(),
            compacting: None,
            last_summary: None,
            summary_seq: 0,
            facts_stale: false,
        }
    }

    fn unregister(&self) {
        let mut open = self.inner.open.lock().unwrap_or_else(|e| e.into_inner());
        if open.get(&self.plan_id).is_some_and(|(g, _)| *g == self.generation) {
            open.remove(&self.plan_id);
        }
    }

    pub(super) async fn run(mut self, mut rx: mpsc::Receiver<Command>) {
        let Some(mut room) = self.load(&mut rx).await else {
            return;
        };
        let every = self.inner.settings.compact_every;
        // Rooms opened together (a node's start, a reconnect storm) would
        // otherwise all compact in the same instant, every period: each
        // plan's timer starts at its own offset, spread over one period.
        let mut tick = tokio::time::interval_at(
            tokio::time::Instant::now() + schedule::offset_within(every, self.plan_id),
            every,
        );
        loop {
            tokio::select! {
                command = rx.recv() => {
                    let Some(command) = command else { break };
                    let mut batch = vec![command];
                    while batch.len() < self.inner.settings.max_batch {
                        match rx.try_recv() {
                            Ok(c) => batch.push(c),
                            Err(_) => break,
                        }
                    }
                    if !self.handle_batch(&mut room, batch).await || self.clients.is_empty() {
                        break;
                    }
                }
                _ = tick.tick() => {
                    if self.since_snapshot > 0 && self.last_compaction.elapsed() >= self.inner.settings.compact_every {
                        self.start_compaction(&room);
                    }
                }
                written = compaction::written(&mut self.compacting), if self.compacting.is_some() => {
                    self.compaction_written(written);
                    // Updates may have come in faster than it wrote.
                    if self.compaction_due() {
                        self.start_compaction(&room);
                    }
                }
            }
        }
        // New joiners now open a fresh room; those already queued here retry.
        self.unregister();
        rx.close();
        while let Ok(command) = rx.try_recv() {
            if let Command::Join { reply, .. } = command {
                let _ = reply.send(Err(JoinRefused::Closing));
            }
        }
        self.compact_before_closing(&room).await;
        tracing::debug!(plan = %self.plan_id, "room closed");
    }

    /// Loads the plan; on failure refuses every queued join and returns None.
    async fn load(&mut self, rx: &mut mpsc::Receiver<Command>) -> Option<Room> {
        match self.inner.store.load(self.plan_id).await {
            Ok(stored) => {
                let snapshot = stored.snapshot.as_ref().map(|s| s.state.as_slice());
                let updates = stored.updates.iter().map(|u| u.update.as_slice());
                let (mut room, problems) = Room::load(snapshot, updates, stored.clients.iter().copied());
                room.set_closed(stored.closed);
                for problem in problems {
                    tracing::error!(plan = %self.plan_id, %problem, "a stored update could not be applied; skipped");
                }
                self.applied = stored.last_seq();
                self.since_snapshot = stored.updates.len();
                self.last_compaction = Instant::now();
                self.refresh_facts(&room, false).await;
                Some(room)
            }
            Err(e) => {
                tracing::error!(plan = %self.plan_id, error = ?e, "could not load plan");
                self.unregister();
                rx.close();
                let error = match e {
                    StoreError::NotFound(_) => JoinError::NotFound,
                    _ => JoinError::Unavailable,
                };
                while let Ok(command) = rx.try_recv() {
                    if let Command::Join { reply, .. } = command {
                        let _ = reply.send(Err(JoinRefused::Failed(error.clone())));
                    }
                }
                None
            }
        }
    }
}
