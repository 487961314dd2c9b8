//! What goes into a room task: the commands it handles, and the handles
//! a joined connection sends its frames through.

use super::{CloseReason, JoinError};
use crate::collab::mailbox::{Inbox, Mailbox};
use crate::collab::room::{Access, ConnId};
use bytes::Bytes;
use plan::access::Role;
use std::time::Instant;
use tokio::sync::{mpsc, oneshot};
use uuid::Uuid;

pub(super) enum Command {
    Join {
        conn: ConnId,
        client: Client,
        access: Access,
        reply: oneshot::Sender<Result<(), JoinRefused>>,
    },
    Frame {
        conn: ConnId,
        bytes: Bytes,
        arrived: Instant,
    },
    Leave {
        conn: ConnId,
    },
    /// A member's role changed (`None`: removed from the plan).
    Access {
        user: Uuid,
        role: Option<Role>,
    },
    /// Another server node committed updates to the plan, up to `upto`:
    /// read and relay what this room lacks.
    Committed {
        upto: i64,
    },
    /// Presence changes from another server node's connections.
    Presence {
        node: Uuid,
        update: yrs::sync::AwarenessUpdate,
        /// The user behind each client id it announces.
        users: Vec<(u64, Uuid)>,
    },
    /// Another server node is gone (it crashed, or lost its database):
    /// the presence of its connections is removed.
    NodeGone {
        node: Uuid,
    },
    /// The server is stopping: close every client, compact, end.
    Shutdown,
    /// Storage was rewritten under the room: commit what the batch holds,
    /// close every client with `reason`, end without compacting.
    Reload {
        reason: CloseReason,
    },
}

pub(super) enum JoinRefused {
    /// The room is closing; open it afresh.
    Closing,
    Failed(JoinError),
}

pub(super) struct Client {
    pub(super) mailbox: Mailbox,
    pub(super) kick: oneshot::Sender<CloseReason>,
}

/// A joined connection's handles.
pub struct Joined {
    pub conn: ConnId,
    /// What the room has for this client (see [`mailbox`](crate::collab::mailbox)).
    pub inbox: Inbox,
    /// Fires if the server closes this connection (bad input, too slow, ...).
    pub kicked: oneshot::Receiver<CloseReason>,
    pub room: RoomSender,
}

/// Sends a connection's frames to its room; tells the room when dropped.
pub struct RoomSender {
    pub(super) conn: ConnId,
    pub(super) tx: mpsc::Sender<Command>,
}

impl RoomSender {
    /// Queues a frame for the room; waits while the room is busy, which
    /// pushes back on a client sending faster than the room can commit.
    pub async fn send(&self, bytes: Bytes) -> bool {
        let arrived = Instant::now();
        self.tx
            .send(Command::Frame {
                conn: self.conn,
                bytes,
                arrived,
            })
            .await
            .is_ok()
    }
}

impl Drop for RoomSender {
    fn drop(&mut self) {
        let leave = Command::Leave { conn: self.conn };
        if let Err(mpsc::error::TrySendError::Full(leave)) = self.tx.try_send(leave) {
            let tx = self.tx.clone();
            tokio::spawn(async move { tx.send(leave).await });
        }
    }
}
