//! The open rooms: one tokio task per plan that anyone has open.
//!
//! A room task loads its plan on first join, then handles commands in
//! batches: every document update in a batch is committed to the store in
//! one transaction before anything from that batch is sent to anyone. It
//! compacts the log into a snapshot every N updates or T seconds, and once
//! more when the last client leaves, then ends.

use super::mailbox;
use super::room::{Access, ConnId};
use super::stats::RelayStats;
use plan::access::Role;
use plan::{PlanSummary, ReviewIntervals};
use std::collections::{HashMap, HashSet};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use tokio::sync::{mpsc, oneshot, watch};
use uuid::Uuid;

/// How rooms behave; from [`crate::config::Config`].
#[derive(Debug, Clone)]
pub struct RoomSettings {
    /// When a client counts as having stopped reading.
    pub client_limits: mailbox::Limits,
    pub compact_every_updates: usize,
    pub compact_every: Duration,
    /// The least time between two compactions.
    pub compact_min: Duration,
    /// Most commands handled (and updates committed) in one batch.
    pub max_batch: usize,
    pub review_intervals: ReviewIntervals,
    /// Told when a plan's summary changes.
    pub events: crate::plan_events::PlanEvents,
    /// The current Control Strategy: threat tags are judged against it.
    pub strategy: watch::Receiver<Arc<plan::strategy::PublishedStrategy>>,
    /// Tells other server nodes of presence and membership changes.
    pub others: crate::cluster::Publisher,
    /// Told a plan's id once a new marking of it is stored, since the
    /// vetting its members need may have risen (the vetting service, above
    /// the rooms, listens).
    pub marking_changed: Option<tokio::sync::mpsc::UnboundedSender<Uuid>>,
}

/// Why the server closes a connection.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CloseReason {
    pub code: u16,
    pub reason: String,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum JoinError {
    #[error("plan not found")]
    NotFound,
    /// Storage failed; the cause is logged where it happened.
    #[error("the plan could not be opened; try again shortly")]
    Unavailable,
}

/// The registry of open rooms. Cheap to clone.
#[derive(Clone)]
pub struct Rooms {
    inner: Arc<Inner>,
}

crate::store::composite_storage!(
    /// What rooms keep and read: the plan's log and snapshots, the audit
    /// trail each commit writes, and the portfolio's facts it refreshes.
    pub trait RoomStorage: crate::store::PlanStore + crate::audit::AuditStore + crate::portfolio::PortfolioStore
);

struct Inner {
    store: Arc<dyn RoomStorage>,
    settings: RoomSettings,
    open: Mutex<HashMap<Uuid, (u64, mpsc::Sender<Command>)>>,
    /// Plans whose room task is running (including its final flush).
    live: watch::Sender<HashSet<Uuid>>,
    next_id: AtomicU64,
    relay_stats: RelayStats,
    /// Client connections still running, goodbye included.
    connections: watch::Sender<usize>,
}

/// A client connection counted as open until dropped (see
/// [`Rooms::connection_opened`]).
pub struct OpenConnection(Arc<Inner>);

impl Drop for OpenConnection {
    fn drop(&mut self) {
        self.0.connections.send_modify(|open| *open -= 1);
    }
}

/// How long stopping waits for connections to finish their goodbyes.
const GOODBYES: std::time::Duration = std::time::Duration::from_secs(5);

impl Rooms {
    pub fn new(store: Arc<dyn RoomStorage>, settings: RoomSettings) -> Self {
        Rooms {
            inner: Arc::new(Inner {
                store,
                settings,
                open: Mutex::new(HashMap::new()),
                live: watch::Sender::new(HashSet::new()),
                next_id: AtomicU64::new(1),
                relay_stats: RelayStats::default(),
                connections: watch::Sender::new(0),
            }),
        }
    }

    /// Joins the plan's room, opening it if nobody has it open.
    pub async fn join(&self, plan_id: Uuid, access: Access) -> Result<Joined, JoinError> {
        let conn = self.inner.next_id.fetch_add(1, Ordering::Relaxed);
        loop {
            let tx = self.room_sender(plan_id);
            let (mailbox, inbox) = mailbox::mailbox(self.inner.settings.client_limits);
            let (kick, kicked) = oneshot::channel();
            let (reply, replied) = oneshot::channel();
            let join = Command::Join {
                conn,
                client: Client { mailbox, kick },
                access: access.clone(),
                reply,
            };
            if tx.send(join).await.is_err() {
                continue; // the room ended between lookup and send: open it afresh
            }
            match replied.await {
                Ok(Ok(())) => {
                    return Ok(Joined {
                        conn,
                        inbox,
                        kicked,
                        room: RoomSender { conn, tx },
                    })
                }
                Ok(Err(JoinRefused::Failed(e))) => return Err(e),
                Ok(Err(JoinRefused::Closing)) | Err(_) => continue,
            }
        }
    }

    /// Whether the plan's room is loaded (its task still running).
    pub fn is_loaded(&self, plan_id: Uuid) -> bool {
        self.inner.live.borrow().contains(&plan_id)
    }

    /// Waits until the plan's room has flushed and unloaded.
    pub async fn unloaded(&self, plan_id: Uuid) {
        let mut rx = self.inner.live.subscribe();
        // Only errs if the sender is gone, which `self` prevents.
        let _ = rx.wait_for(|live| !live.contains(&plan_id)).await;
    }

    /// Arrival-to-relay latency of recent updates, across all rooms.
    pub fn relay_stats(&self) -> &RelayStats {
        &self.inner.relay_stats
    }

    /// Counts a client connection as open until the guard is dropped, so
    /// that [`Rooms::shutdown`] can wait for its goodbye.
    pub fn connection_opened(&self) -> OpenConnection {
        self.inner.connections.send_modify(|open| *open += 1);
        OpenConnection(self.inner.clone())
    }

    /// Closes every open room: clients are told the server is going away
    /// (1001) and each room compacts its log. Returns once all have ended
    /// and every connection has said its goodbye (or [`GOODBYES`] passed):
    /// a process that exited sooner would cut goodbyes off mid-way.
    pub async fn shutdown(&self) {
        for tx in self.all_open() {
            let _ = tx.send(Command::Shutdown).await;
        }
        let mut rx = self.inner.live.subscribe();
        let _ = rx.wait_for(|live| live.is_empty()).await;
        let mut connections = self.inner.connections.subscribe();
        let goodbyes = connections.wait_for(|open| *open == 0);
        if tokio::time::timeout(GOODBYES, goodbyes).await.is_err() {
            tracing::warn!(
                open = *self.inner.connections.borrow(),
                "stopping with connections still closing"
            );
        }
    }

    /// Applies a membership change to the plan's open connections at once,
    /// on every server node: a new role holds from their next update; a
    /// removed member is closed.
    pub async fn member_changed(&self, plan_id: Uuid, user: Uuid, role: Option<Role>) {
        self.member_changed_here(plan_id, user, role).await;
        self.inner.settings.others.publish(crate::cluster::Notice::Member {
            plan: plan_id,
            user,
            role,
        });
    }

    fn all_open(&self) -> Vec<mpsc::Sender<Command>> {
        let open = self.inner.open.lock().unwrap_or_else(|e| e.into_inner());
        open.values().map(|(_, tx)| tx.clone()).collect()
    }

    pub fn loaded_count(&self) -> usize {
        self.inner.live.borrow().len()
    }

    fn room_sender(&self, plan_id: Uuid) -> mpsc::Sender<Command> {
        let mut open = self.inner.open.lock().unwrap_or_else(|e| e.into_inner());
        if let Some((_, tx)) = open.get(&plan_id) {
            return tx.clone();
        }
        let generation = self.inner.next_id.fetch_add(1, Ordering::Relaxed);
        let (tx, rx) = mpsc::channel(1024);
        open.insert(plan_id, (generation, tx.clone()));
        self.inner.live.send_modify(|live| {
            live.insert(plan_id);
        });
        let task = RoomTask::new(self.inner.clone(), plan_id, generation);
        tokio::spawn(task.run(rx));
        tx
    }
}

/// A room task's state (its life is in [`task`]).
struct RoomTask {
    inner: Arc<Inner>,
    plan_id: Uuid,
    generation: u64,
    clients: HashMap<ConnId, Client>,
    /// Every update of the plan up to this seq is in the room's document,
    /// and none after it (what a snapshot of it is taken as).
    applied: i64,
    since_snapshot: usize,
    last_compaction: Instant,
    /// The compaction whose write is in flight, if any.
    compacting: Option<compaction::Compacting>,
    last_summary: Option<PlanSummary>,
    /// The seq `last_summary` is as of.
    summary_seq: i64,
    /// The portfolio facts kept for the plan may be behind its document (a
    /// write failed): they are rewritten in full after the next batch.
    facts_stale: bool,
}

mod batch;
mod coalesce;
mod commands;
mod compaction;
mod delivery;
mod facts;
mod outside_notices;
mod reload;
mod schedule;
mod summary;
mod sync_with_other_nodes;
mod task;

use commands::{Client, Command, JoinRefused};
pub use commands::{Joined, RoomSender};

#[cfg(test)]
pub(crate) mod testing;
