//! The machine, shared by the tests of one binary or held by one alone.
//! Tests in one binary run side by side; one that measures latency takes
//! the machine to itself ([`alone`]) and the others hold a share
//! ([`share`]) while they run, so none runs while it measures.

use tokio::sync::{RwLock, RwLockReadGuard, RwLockWriteGuard};

static MACHINE: RwLock<()> = RwLock::const_new(());

/// Held while a test runs beside others.
pub async fn share() -> RwLockReadGuard<'static, ()> {
    MACHINE.read().await
}

/// Held while a test measures: no other test holding a share runs.
pub async fn alone() -> RwLockWriteGuard<'static, ()> {
    MACHINE.write().await
}
