//! The log's writer: entries go through a bounded queue to one task that
//! writes them in batches, so a page view never waits on the log's write.
//! Nothing is dropped: a full queue makes the reader wait (a logged error
//! and a count, never a lost entry), and stopping writes what is queued.

use super::entry::Access;
use super::store::AccessLogStore;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::{mpsc, oneshot, watch, Mutex};
use tokio::task::JoinHandle;

/// Most entries written in one statement.
const MAX_BATCH: usize = 256;
/// How often a failed write is tried again before stopping gives up on it.
const RETRY_EVERY: Duration = Duration::from_millis(500);
/// Tries of a failed write once stopping (then its entries go to the
/// server's error log whole, the last place they can be kept).
const TRIES_WHEN_STOPPING: u32 = 5;

/// What the writer is given: an entry, or a wish to know when everything
/// before it is written.
enum Job {
    Entry(Access),
    Flush(oneshot::Sender<()>),
}

/// The sending side, shared by every handler. Cheap to clone.
#[derive(Clone)]
pub struct Queue {
    tx: mpsc::Sender<Job>,
    store: Arc<dyn AccessLogStore>,
    stop: watch::Sender<bool>,
    writer: Arc<Mutex<Option<JoinHandle<()>>>>,
    counts: Arc<Counts>,
}

/// What the queue has seen, for the logs and (later) metrics.
#[derive(Debug, Default)]
pub struct Counts {
    /// Entries that found the queue full and waited for room.
    pub waited_for_room: AtomicU64,
    /// Entries written.
    pub written: AtomicU64,
    /// Writes that failed (and were tried again).
    pub failed_writes: AtomicU64,
}

impl Queue {
    /// Starts the writer on `store`; at most `capacity` entries wait.
    pub fn start(store: Arc<dyn AccessLogStore>, capacity: usize) -> Queue {
        let (tx, rx) = mpsc::channel(capacity.max(1));
        let (stop, stopping) = watch::channel(false);
        let counts = Arc::new(Counts::default());
        let writer = tokio::spawn(write(rx, store.clone(), stopping, counts.clone()));
        Queue {
            tx,
            store,
            stop,
            writer: Arc::new(Mutex::new(Some(writer))),
            counts,
        }
    }

    /// Queues an entry. Waits only when the queue is full (an error worth
    /// a look: the database is slower than the readers). After
    /// [`Queue::stop`], writes the entry itself.
    pub async fn push(&self, entry: Access) {
        let job = match self.tx.try_send(Job::Entry(entry)) {
            Ok(()) => return,
            Err(mpsc::error::TrySendError::Full(job)) => {
                let waited = self.counts.waited_for_room.fetch_add(1, Ordering::Relaxed) + 1;
                tracing::error!(waited, "the access log's queue is full: readers wait for its writes");
                match self.tx.send(job).await {
                    Ok(()) => return,
                    Err(mpsc::error::SendError(job)) => job,
                }
            }
            Err(mpsc::error::TrySendError::Closed(job)) => job,
        };
        let Job::Entry(entry) = job else { return };
        // Stopped: nobody is left to write it, so write it here.
        write_batch(&*self.store, &[entry], &self.counts, &|| true).await;
    }

    /// Returns once every entry pushed before the call is written (or the
    /// writer has stopped, having written them).
    pub async fn flush(&self) {
        let (done, written) = oneshot::channel();
        if self.tx.send(Job::Flush(done)).await.is_ok() {
            let _ = written.await;
        }
    }

    /// Entries waiting now.
    pub fn depth(&self) -> usize {
        self.tx.max_capacity() - self.tx.capacity()
    }

    pub fn counts(&self) -> &Counts {
        &self.counts
    }

    /// Writes everything queued, then stops the writer. Later entries are
    /// written by whoever pushes them.
    pub async fn stop(&self) {
        let _ = self.stop.send(true);
        if let Some(writer) = self.writer.lock().await.take() {
            if let Err(e) = writer.await {
                tracing::error!(error = ?e, "the access log's writer failed");
            }
        }
    }
}

async fn write(
    mut rx: mpsc::Receiver<Job>,
    store: Arc<dyn AccessLogStore>,
    mut stopping: watch::Receiver<bool>,
    counts: Arc<Counts>,
) {
    let mut jobs = Vec::with_capacity(MAX_BATCH);
    loop {
        let stop_now = tokio::select! {
            n = rx.recv_many(&mut jobs, MAX_BATCH) => n == 0,
            _ = stopping.wait_for(|stop| *stop) => true,
        };
        if stop_now {
            // No more entries come in; the ones already queued are written.
            rx.close();
            while rx.recv_many(&mut jobs, MAX_BATCH).await > 0 {
                do_jobs(&*store, &mut jobs, &counts, &|| true).await;
            }
            return;
        }
        do_jobs(&*store, &mut jobs, &counts, &|| *stopping.borrow()).await;
    }
}

/// Writes the entries among `jobs` in one batch, then tells whoever asked
/// to flush that they are written.
async fn do_jobs(
    store: &dyn AccessLogStore,
    jobs: &mut Vec<Job>,
    counts: &Counts,
    stopping: &(dyn Fn() -> bool + Sync),
) {
    let mut batch = Vec::with_capacity(jobs.len());
    let mut flushed = Vec::new();
    for job in jobs.drain(..) {
        match job {
            Job::Entry(entry) => batch.push(entry),
            Job::Flush(done) => flushed.push(done),
        }
    }
    if !batch.is_empty() {
        write_batch(store, &batch, counts, stopping).await;
    }
    for done in flushed {
        let _ = done.send(());
    }
}

/// Writes `batch`, trying again while it fails: for ever while serving,
/// a few times once `stopping` (then the entries go to the error log).
async fn write_batch(
    store: &dyn AccessLogStore,
    batch: &[Access],
    counts: &Counts,
    stopping: &(dyn Fn() -> bool + Sync),
) {
    let mut tried = 0;
    loop {
        match store.append_accesses(batch).await {
            Ok(()) => {
                counts.written.fetch_add(batch.len() as u64, Ordering::Relaxed);
                return;
            }
            Err(e) => {
                tried += 1;
                counts.failed_writes.fetch_add(1, Ordering::Relaxed);
                tracing::error!(error = ?e, entries = batch.len(), tried, "could not write the access log; trying again");
                if stopping() && tried >= TRIES_WHEN_STOPPING {
                    for entry in batch {
                        tracing::error!(?entry, "access log entry not written");
                    }
                    return;
                }
                tokio::time::sleep(RETRY_EVERY).await;
            }
        }
    }
}

#[cfg(test)]
mod tests;
