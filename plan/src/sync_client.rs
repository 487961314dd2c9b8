//! The client half of the Yjs sync protocol, free of any transport, so the
//! browser (over a `web_sys::WebSocket`) and native tools (over
//! tokio-tungstenite) share one implementation.
//!
//! Edits made while offline need no queue: they stay in the replica, and on
//! reconnect the server's sync step 1 is answered with a sync step 2 that
//! carries everything the server lacks.

use crate::doc::PlanDoc;
use yrs::sync::{Message, SyncMessage};
use yrs::updates::decoder::Decode;
use yrs::updates::encoder::Encode;
use yrs::{ReadTxn, Update};

/// The transaction origin of changes that came from the server. A local
/// update observer skips these, so remote changes are never echoed back.
pub const REMOTE_ORIGIN: &str = "pillars-remote";

/// Where the connection stands, as a person should see it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ConnectionState {
    /// No connection; edits are kept locally.
    Offline,
    /// Connected, exchanging state.
    Syncing,
    /// Connected and up to date.
    Synced,
}

/// Why a frame from the server could not be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ClientError {
    #[error("the server sent a malformed message: {0}")]
    Malformed(String),
    #[error("the server sent an update that does not apply: {0}")]
    BadUpdate(String),
}

/// What a frame from the server brought.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Incoming {
    /// Frames to send back to the server.
    pub replies: Vec<Vec<u8>>,
    /// The document changed.
    pub changed: bool,
    /// Presence updates from others (encoded awareness updates).
    pub awareness: Vec<yrs::sync::AwarenessUpdate>,
    /// The server refused something, with its reason.
    pub denied: Option<String>,
}

pub struct SyncClient {
    plan: PlanDoc,
    state: ConnectionState,
}

impl SyncClient {
    pub fn new(plan: PlanDoc) -> Self {
        SyncClient {
            plan,
            state: ConnectionState::Offline,
        }
    }

    pub fn plan(&self) -> &PlanDoc {
        &self.plan
    }

    pub fn state(&self) -> ConnectionState {
        self.state
    }

    /// The socket opened: ask the server for what we lack.
    pub fn on_open(&mut self) -> Vec<u8> {
        self.state = ConnectionState::Syncing;
        let sv = self.plan.transact().state_vector();
        Message::Sync(SyncMessage::SyncStep1(sv)).encode_v1()
    }

    /// The socket closed; local editing goes on.
    pub fn on_close(&mut self) {
        self.state = ConnectionState::Offline;
    }

    /// A local change (a v1 update) as the frame to send, if connected.
    pub fn local_update(&self, update: Vec<u8>) -> Option<Vec<u8>> {
        (self.state != ConnectionState::Offline).then(|| Message::Sync(SyncMessage::Update(update)).encode_v1())
    }

    /// Handles one binary frame from the server.
    pub fn on_frame(&mut self, frame: &[u8]) -> Result<Incoming, ClientError> {
        let message = Message::decode_v1(frame).map_err(|e| ClientError::Malformed(e.to_string()))?;
        let mut incoming = Incoming::default();
        match message {
            Message::Sync(SyncMessage::SyncStep1(sv)) => {
                let diff = self.plan.transact().encode_state_as_update_v1(&sv);
                incoming
                    .replies
                    .push(Message::Sync(SyncMessage::SyncStep2(diff)).encode_v1());
            }
            Message::Sync(SyncMessage::SyncStep2(update)) => {
                incoming.changed = self.apply(&update)?;
                self.state = ConnectionState::Synced;
            }
            Message::Sync(SyncMessage::Update(update)) => incoming.changed = self.apply(&update)?,
            Message::Awareness(update) => incoming.awareness.push(update),
            Message::Auth(reason) => incoming.denied = reason,
            Message::AwarenessQuery | Message::Custom(..) => {}
        }
        Ok(incoming)
    }

    fn apply(&self, update: &[u8]) -> Result<bool, ClientError> {
        let update = Update::decode_v1(update).map_err(|e| ClientError::Malformed(e.to_string()))?;
        if update.is_empty() {
            return Ok(false);
        }
        let mut txn = yrs::Transact::transact_mut_with(self.plan.doc(), REMOTE_ORIGIN);
        txn.apply_update(update)
            .map_err(|e| ClientError::BadUpdate(e.to_string()))?;
        Ok(true)
    }
}

/// Reconnect delays: doubling from `base_ms` up to `max_ms`, reset once a
/// connection reaches sync.
#[derive(Debug, Clone)]
pub struct Backoff {
    base_ms: u32,
    max_ms: u32,
    attempt: u32,
}

impl Backoff {
    pub fn new(base_ms: u32, max_ms: u32) -> Self {
        Backoff {
            base_ms: base_ms.max(1),
            max_ms: max_ms.max(base_ms),
            attempt: 0,
        }
    }

    /// The delay before the next attempt, in milliseconds.
    pub fn next_delay_ms(&mut self) -> u32 {
        let delay = self
            .base_ms
            .saturating_mul(1u32 << self.attempt.min(16))
            .min(self.max_ms);
        self.attempt = self.attempt.saturating_add(1);
        delay
    }

    pub fn reset(&mut self) {
        self.attempt = 0;
    }
}

/// How long a client hears nothing before it takes the server for gone and
/// reconnects. The server sends something at least every 15 s (a keepalive
/// when there is nothing else), so this is two missed keepalives and more:
/// a hung node, or a network that dropped without closing the connection.
pub const SERVER_SILENCE_MS: u64 = 35_000;

/// When the server was last heard from (or the connection last opened).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Silence {
    last_heard_ms: u64,
}

impl Silence {
    pub fn new(now_ms: u64) -> Self {
        Silence { last_heard_ms: now_ms }
    }

    /// Something arrived, or a connection attempt began.
    pub fn heard(&mut self, now_ms: u64) {
        self.last_heard_ms = self.last_heard_ms.max(now_ms);
    }

    /// Whether the server has been silent for [`SERVER_SILENCE_MS`].
    pub fn server_gone(&self, now_ms: u64) -> bool {
        now_ms.saturating_sub(self.last_heard_ms) >= SERVER_SILENCE_MS
    }
}

/// What a client does once the server has closed its connection.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AfterClose {
    /// Try again with backoff (restarts, network trouble, too far behind).
    Reconnect,
    /// The session ended (4401: logged out, idle or too old): log in again.
    LogIn,
    /// No longer allowed here (4403: removed from the plan or disabled).
    Leave,
    /// The plan was rewritten on the server (4409: a passage redacted):
    /// this copy must be dropped, never re-sent; load the page afresh.
    Reload,
}

impl AfterClose {
    pub fn for_code(code: u16) -> AfterClose {
        match code {
            4401 => AfterClose::LogIn,
            4403 => AfterClose::Leave,
            4409 => AfterClose::Reload,
            _ => AfterClose::Reconnect,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{new_doc, Section};

    #[test]
    fn the_server_is_gone_after_35_s_of_silence_and_not_before() {
        let mut silence = Silence::new(1_000);
        assert!(!silence.server_gone(1_000 + SERVER_SILENCE_MS - 1));
        assert!(silence.server_gone(1_000 + SERVER_SILENCE_MS));
        // A keepalive every 15 s keeps it alive however long it runs.
        for t in (16_000..200_000).step_by(15_000) {
            assert!(!silence.server_gone(t));
            silence.heard(t);
        }
        // A clock read out of order never moves it back.
        silence.heard(10);
        assert!(!silence.server_gone(200_000));
    }

    fn pair() -> (SyncClient, SyncClient) {
        (
            SyncClient::new(PlanDoc::new(new_doc())),
            SyncClient::new(PlanDoc::new(new_doc())),
        )
    }

    /// Delivers frames from one side to the other until both are quiet.
    fn exchange(a: &mut SyncClient, b: &mut SyncClient, mut to_b: Vec<Vec<u8>>) {
        let mut to_a = Vec::new();
        while !to_a.is_empty() || !to_b.is_empty() {
            for f in std::mem::take(&mut to_b) {
                to_a.extend(b.on_frame(&f).unwrap().replies);
            }
            for f in std::mem::take(&mut to_a) {
                to_b.extend(a.on_frame(&f).unwrap().replies);
            }
        }
    }

    #[test]
    fn offline_edits_reach_the_other_side_on_reconnect() {
        let (mut a, mut b) = pair();
        a.plan()
            .set_section_text(&mut a.plan().transact_mut(), Section::Aim, "written offline");
        let before = a.plan().transact().state_vector();
        assert!(a.local_update(vec![]).is_none(), "nothing is sent while offline");
        let hello_a = a.on_open();
        let hello_b = b.on_open();
        assert_eq!(a.state(), ConnectionState::Syncing);
        exchange(&mut a, &mut b, vec![hello_a]);
        exchange(&mut b, &mut a, vec![hello_b]);
        assert_eq!(
            (a.state(), b.state()),
            (ConnectionState::Synced, ConnectionState::Synced)
        );
        assert_eq!(
            b.plan().section_text(&b.plan().transact(), Section::Aim),
            "written offline"
        );
        assert_eq!(a.plan().transact().state_vector(), before);
        a.on_close();
        assert_eq!(a.state(), ConnectionState::Offline);
    }

    #[test]
    fn remote_changes_carry_the_remote_origin_so_they_are_not_echoed() {
        use std::sync::{Arc, Mutex};
        let (mut a, mut b) = pair();
        let local_updates = Arc::new(Mutex::new(0));
        let counter = local_updates.clone();
        let _ = b
            .plan()
            .doc()
            .observe_update_v1("local", move |txn: &yrs::TransactionMut, _| {
                let remote = txn.origin().is_some_and(|o| o.as_ref() == REMOTE_ORIGIN.as_bytes());
                if !remote {
                    *counter.lock().unwrap() += 1;
                }
            });
        a.plan()
            .set_section_text(&mut a.plan().transact_mut(), Section::Aim, "from a");
        let hello_b = b.on_open();
        exchange(&mut b, &mut a, vec![hello_b]);
        assert_eq!(b.plan().section_text(&b.plan().transact(), Section::Aim), "from a");
        assert_eq!(*local_updates.lock().unwrap(), 0, "nothing to send back");
        b.plan()
            .set_section_text(&mut b.plan().transact_mut(), Section::Aim, "from a and b");
        assert_eq!(*local_updates.lock().unwrap(), 1);
    }

    #[test]
    fn malformed_frames_are_reported_not_applied() {
        let (mut a, _) = pair();
        assert!(matches!(a.on_frame(&[0, 2, 9, 1]), Err(ClientError::Malformed(_))));
        assert!(a.on_frame(&[]).is_err());
        let denied = Message::Auth(Some("read only".into())).encode_v1();
        assert_eq!(a.on_frame(&denied).unwrap().denied.as_deref(), Some("read only"));
    }

    #[test]
    fn backoff_doubles_to_a_ceiling_and_resets() {
        let mut b = Backoff::new(250, 10_000);
        let delays: Vec<u32> = (0..8).map(|_| b.next_delay_ms()).collect();
        assert_eq!(delays, vec![250, 500, 1000, 2000, 4000, 8000, 10_000, 10_000]);
        b.reset();
        assert_eq!(b.next_delay_ms(), 250);
    }

    #[test]
    fn an_ended_session_logs_in_again_and_a_removed_member_leaves() {
        assert_eq!(AfterClose::for_code(4401), AfterClose::LogIn);
        assert_eq!(AfterClose::for_code(4403), AfterClose::Leave);
        assert_eq!(AfterClose::for_code(4409), AfterClose::Reload);
        for code in [1001, 1006, 1011, 1013] {
            assert_eq!(AfterClose::for_code(code), AfterClose::Reconnect);
        }
    }
}
