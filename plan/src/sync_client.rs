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

mod reconnect;

pub use reconnect::{AfterClose, Backoff, Silence, SERVER_SILENCE_MS};

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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{new_doc, Section};

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
}
