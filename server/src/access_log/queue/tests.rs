//! The queue against a store in memory whose writes a test can hold back
//! or fail; the log on the real databases is tested in `tests/it`.

use super::*;
use crate::access_log::store::Filter;
use crate::store::StoreError;
use app::session::ssr::Requester;
use plan::access_log::{AccessEntry, AccessKind, Basis};
use std::sync::atomic::AtomicBool;
use tokio::sync::Semaphore;
use uuid::Uuid;

#[derive(Default)]
struct Memory {
    written: std::sync::Mutex<Vec<Access>>,
    /// Writes wait for a permit when set.
    gate: Option<Semaphore>,
    failing: AtomicBool,
}

#[async_trait::async_trait]
impl AccessLogStore for Memory {
    async fn append_accesses(&self, entries: &[Access]) -> Result<(), StoreError> {
        if let Some(gate) = &self.gate {
            gate.acquire().await.unwrap().forget();
        }
        if self.failing.load(Ordering::SeqCst) {
            return Err(StoreError::Database {
                context: "writing the access log",
                source: sqlx::Error::PoolTimedOut,
            });
        }
        self.written.lock().unwrap().extend_from_slice(entries);
        Ok(())
    }

    async fn accesses(&self, _: &Filter, _: u32) -> Result<Vec<AccessEntry>, StoreError> {
        Ok(Vec::new())
    }
}

fn entry(n: usize) -> Access {
    let who = Requester {
        viewer: app::session::Viewer {
            id: Uuid::nil(),
            name: format!("Reader {n}"),
            email: "r@example.org".into(),
            agency: "Northshire Police".into(),
            is_admin: false,
            strategic_lead: false,
            may_lead_plans: false,
            auditor: false,
            vetting_officer: false,
            vetting_notice: None,
        },
        session: "00".into(),
        address: None,
        user_agent: None,
    };
    Access::by(&who, AccessKind::Opened, Basis::NotMember)
}

fn names(store: &Memory) -> Vec<String> {
    store
        .written
        .lock()
        .unwrap()
        .iter()
        .map(|e| e.user_name.clone())
        .collect()
}

#[tokio::test]
async fn stopping_writes_every_entry_queued_in_order() {
    let store = Arc::new(Memory::default());
    let queue = Queue::start(store.clone(), 1000);
    for n in 0..600 {
        queue.push(entry(n)).await;
    }
    queue.stop().await;
    let expected: Vec<String> = (0..600).map(|n| format!("Reader {n}")).collect();
    assert_eq!(names(&store), expected);
}

#[tokio::test]
async fn a_full_queue_makes_the_reader_wait_and_loses_nothing() {
    let store = Arc::new(Memory {
        gate: Some(Semaphore::new(0)),
        ..Memory::default()
    });
    let queue = Queue::start(store.clone(), 2);
    // The writer takes the first entry and is held; two more fill the queue.
    for n in 0..3 {
        queue.push(entry(n)).await;
    }
    tokio::task::yield_now().await;
    let fourth = tokio::spawn({
        let queue = queue.clone();
        async move { queue.push(entry(3)).await }
    });
    // The fourth waits for room, and is counted as having waited.
    while queue.counts().waited_for_room.load(Ordering::SeqCst) == 0 {
        tokio::task::yield_now().await;
    }
    assert!(!fourth.is_finished());
    store.gate.as_ref().unwrap().add_permits(100);
    fourth.await.unwrap();
    queue.stop().await;
    assert_eq!(names(&store).len(), 4);
}

#[tokio::test(start_paused = true)]
async fn a_failing_database_is_tried_again_until_it_takes_the_entries() {
    let store = Arc::new(Memory::default());
    store.failing.store(true, Ordering::SeqCst);
    let queue = Queue::start(store.clone(), 10);
    queue.push(entry(0)).await;
    while queue.counts().failed_writes.load(Ordering::SeqCst) < 3 {
        tokio::time::sleep(RETRY_EVERY).await;
    }
    store.failing.store(false, Ordering::SeqCst);
    while queue.counts().written.load(Ordering::SeqCst) == 0 {
        tokio::time::sleep(RETRY_EVERY).await;
    }
    assert_eq!(names(&store), ["Reader 0"]);
    queue.stop().await;
}

#[tokio::test]
async fn entries_after_stopping_are_written_by_whoever_pushes_them() {
    let store = Arc::new(Memory::default());
    let queue = Queue::start(store.clone(), 10);
    queue.stop().await;
    queue.push(entry(7)).await;
    assert_eq!(names(&store), ["Reader 7"]);
}
