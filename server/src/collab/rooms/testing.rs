//! A stand-in room for driving one connection in unit tests.

use super::*;
use crate::collab::mailbox::Mailbox;
use crate::collab::room::ConnId;
use bytes::Bytes;

pub struct FakeRoom {
    commands: mpsc::Receiver<Command>,
    pub mailbox: Mailbox,
    pub kick: Option<oneshot::Sender<CloseReason>>,
}

impl FakeRoom {
    /// The next frame the connection passed on; `None` once it left.
    pub async fn next_frame(&mut self) -> Option<Bytes> {
        loop {
            match self.commands.recv().await? {
                Command::Frame { bytes, .. } => return Some(bytes),
                Command::Leave { .. } => return None,
                Command::Join { .. }
                | Command::Access { .. }
                | Command::Committed { .. }
                | Command::Presence { .. }
                | Command::NodeGone { .. }
                | Command::Reload { .. }
                | Command::Shutdown => {}
            }
        }
    }
}

pub fn joined(conn: ConnId) -> (Joined, FakeRoom) {
    let (tx, commands) = mpsc::channel(16);
    let (mailbox, inbox) = mailbox::mailbox(mailbox::Limits {
        backlog_bytes: 1 << 20,
        stall: Duration::from_secs(60),
    });
    let (kick, kicked) = oneshot::channel();
    let joined = Joined {
        conn,
        inbox,
        kicked,
        room: RoomSender { conn, tx },
    };
    (
        joined,
        FakeRoom {
            commands,
            mailbox,
            kick: Some(kick),
        },
    )
}
