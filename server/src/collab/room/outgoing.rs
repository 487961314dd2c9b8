//! What a room sends out: who each message is for, and the message.

use super::ConnId;
use crate::collab::mailbox::Post;
use crate::collab::protocol;
use bytes::Bytes;

/// Who an outgoing message is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    One(ConnId),
    AllBut(ConnId),
    /// Everyone (what another server node relayed).
    All,
}

impl Target {
    pub fn includes(self, conn: ConnId) -> bool {
        match self {
            Target::One(c) => c == conn,
            Target::AllBut(c) => c != conn,
            Target::All => true,
        }
    }
}

/// A message for some of the room's connections. Document updates and
/// presence changes are kept unencoded so that the room task can merge
/// what one batch relays (see [`crate::collab::mailbox`]).
#[derive(Debug, Clone)]
pub struct Outgoing {
    pub target: Target,
    pub post: Post,
}

impl Outgoing {
    /// The message as one frame on its own.
    pub fn frame(&self) -> Bytes {
        match &self.post {
            Post::Frame(frame) => frame.clone(),
            Post::Update(update) => protocol::sync_update(update.to_vec()),
            Post::Presence(update) => protocol::awareness((**update).clone()),
        }
    }

    pub(super) fn frame_to(conn: ConnId, frame: Bytes) -> Outgoing {
        Outgoing {
            target: Target::One(conn),
            post: Post::Frame(frame),
        }
    }
}
