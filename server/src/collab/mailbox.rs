//! What a room has for one client and the client has not yet taken.
//!
//! A room posts to a [`Mailbox`]; the client's connection takes everything
//! posted so far from its [`Inbox`] whenever it is ready to write. Document
//! updates waiting together are merged into one update, and presence
//! changes into one presence message, so a client is sent at most one
//! update frame per take however many updates arrived meanwhile: a client
//! that keeps up gets one frame per room batch, a slower one fewer and
//! larger frames, and nobody is sent a frame per update in a storm.
//!
//! A client counts as stuck, and is to be disconnected, only when what
//! waits for it passes a byte limit or has waited untaken longer than a
//! stall limit: a slow reader that still reads is never evicted.

use bytes::Bytes;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};
use tokio::sync::Notify;
use yrs::sync::AwarenessUpdate;

/// When a client counts as having stopped reading.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Bytes waiting for one client.
    pub backlog_bytes: usize,
    /// How long anything may wait untaken.
    pub stall: Duration,
}

/// What a room posts.
#[derive(Debug, Clone)]
pub enum Post {
    /// A frame sent as it is, in order with other frames (sync replies,
    /// refusals, a presence snapshot).
    Frame(Bytes),
    /// A v1 document update, merged with the others waiting.
    Update(Arc<Vec<u8>>),
    /// Presence changes, merged with the others waiting.
    Presence(Arc<AwarenessUpdate>),
}

/// Whether the client is still taking what it is sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Posted {
    Ok,
    /// Over a limit: disconnect it (it resyncs when it reconnects).
    Stuck,
}

#[derive(Default)]
struct Pending {
    frames: Vec<Bytes>,
    updates: Vec<Arc<Vec<u8>>>,
    presence: Option<AwarenessUpdate>,
    bytes: usize,
    /// When the oldest thing still waiting was posted.
    since: Option<Instant>,
    closed: bool,
}

struct Shared {
    pending: Mutex<Pending>,
    ready: Notify,
}

impl Shared {
    fn lock(&self) -> MutexGuard<'_, Pending> {
        // A panic while holding the lock leaves plain data behind: go on.
        self.pending.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// The room's side. Dropping it tells the client the room let it go.
pub struct Mailbox {
    shared: Arc<Shared>,
    limits: Limits,
}

/// The connection's side.
pub struct Inbox {
    shared: Arc<Shared>,
}

/// A connected pair.
pub fn mailbox(limits: Limits) -> (Mailbox, Inbox) {
    let shared = Arc::new(Shared {
        pending: Mutex::new(Pending::default()),
        ready: Notify::new(),
    });
    (
        Mailbox {
            shared: shared.clone(),
            limits,
        },
        Inbox { shared },
    )
}

impl Mailbox {
    /// Leaves `post` for the client; never waits.
    pub fn post(&self, post: Post) -> Posted {
        let now = Instant::now();
        let mut pending = self.shared.lock();
        match post {
            Post::Frame(frame) => {
                pending.bytes += frame.len();
                pending.frames.push(frame);
            }
            Post::Update(update) => {
                pending.bytes += update.len();
                pending.updates.push(update);
            }
            Post::Presence(update) => {
                pending.bytes += update.clients.values().map(|e| e.json.len() + 12).sum::<usize>();
                match &mut pending.presence {
                    Some(waiting) => merge_presence(waiting, &update),
                    None => pending.presence = Some((*update).clone()),
                }
            }
        }
        let since = *pending.since.get_or_insert(now);
        let stuck = pending.bytes > self.limits.backlog_bytes || now.duration_since(since) > self.limits.stall;
        drop(pending);
        self.shared.ready.notify_one();
        if stuck {
            Posted::Stuck
        } else {
            Posted::Ok
        }
    }
}

impl Drop for Mailbox {
    fn drop(&mut self) {
        self.shared.lock().closed = true;
        self.shared.ready.notify_one();
    }
}

impl Inbox {
    /// Waits for something to send, then takes all of it as frames: the
    /// plain frames in the order posted, then one merged update, then one
    /// merged presence message. `None` once the room has let the client go
    /// and nothing is left.
    pub async fn recv(&mut self) -> Option<Vec<Bytes>> {
        loop {
            if let Some(frames) = self.try_take() {
                return Some(frames);
            }
            if self.shared.lock().closed {
                return None;
            }
            self.shared.ready.notified().await;
        }
    }

    /// Everything waiting, as frames; `None` when nothing is.
    pub fn try_take(&mut self) -> Option<Vec<Bytes>> {
        let Pending {
            frames,
            updates,
            presence,
            ..
        } = {
            let mut pending = self.shared.lock();
            let closed = pending.closed;
            std::mem::replace(
                &mut *pending,
                Pending {
                    closed,
                    ..Default::default()
                },
            )
        };
        if frames.is_empty() && updates.is_empty() && presence.is_none() {
            return None;
        }
        let mut out = frames;
        out.extend(merged_update(&updates));
        if let Some(presence) = presence {
            out.push(super::protocol::awareness(presence));
        }
        Some(out)
    }
}

/// Frames carrying `updates` merged into one (merging happens here, on the
/// client's own task, and only for a client that fell behind a batch).
fn merged_update(updates: &[Arc<Vec<u8>>]) -> Vec<Bytes> {
    match updates {
        [] => Vec::new(),
        [one] => vec![super::protocol::sync_update(one.to_vec())],
        many => match merge(many.iter().map(|u| u.as_slice())) {
            Some(merged) => vec![super::protocol::sync_update(merged)],
            // They applied in the room, so they merge; if yrs disagrees,
            // sending them one by one is still right.
            None => many.iter().map(|u| super::protocol::sync_update(u.to_vec())).collect(),
        },
    }
}

/// Merges v1 updates into one, or `None` if yrs refuses (or panics on) them.
pub fn merge<'a>(updates: impl Iterator<Item = &'a [u8]>) -> Option<Vec<u8>> {
    let updates: Vec<&[u8]> = updates.collect();
    std::panic::catch_unwind(|| yrs::merge_updates_v1(updates.iter().copied()).ok())
        .ok()
        .flatten()
}

/// Folds `newer` into `waiting`: per presence client, the entry with the
/// later clock (a tie goes to the later post).
fn merge_presence(waiting: &mut AwarenessUpdate, newer: &AwarenessUpdate) {
    for (client, entry) in &newer.clients {
        match waiting.clients.get(client) {
            Some(old) if old.clock > entry.clock => {}
            _ => {
                waiting.clients.insert(*client, entry.clone());
            }
        }
    }
}

#[cfg(test)]
mod tests;
