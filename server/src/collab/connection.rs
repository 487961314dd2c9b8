//! Drives one client connection over any `Sink`/`Stream` pair, so the same
//! code serves axum websockets and test harnesses.

use super::protocol::{self, ProtocolError};
use super::rooms::{CloseReason, Joined};
use bytes::Bytes;
use futures_util::{Sink, SinkExt, Stream, StreamExt};
use std::future::Future;
use std::time::Duration;

/// A message from the client, as the transport saw it.
#[derive(Debug)]
pub enum WsIn {
    Binary(Bytes),
    Text,
    /// The client closed the connection.
    Close,
    /// Ping/pong and the like: nothing to do.
    Control,
}

/// A transport error, already classified.
#[derive(Debug)]
pub enum WsError {
    /// The message was over the size limit; the transport refused it.
    TooLarge { limit: usize },
    /// Anything else (reset, bad framing): the connection is gone.
    Transport(String),
}

/// A message to the client.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum WsOut {
    Binary(Bytes),
    Close(CloseReason),
}

/// How long a close frame may take to go out before the socket is dropped.
const CLOSE_TIMEOUT: Duration = Duration::from_secs(2);

/// How long the goodbye of a client evicted for not reading (1013) may
/// wait behind what its socket still holds: a slow link that reads again
/// learns why it was closed, rather than seeing the connection just drop.
/// Its queue is freed already; the wait holds only the socket.
const STALLED_GOODBYE: Duration = Duration::from_secs(60);

/// The close code of a client evicted for falling too far behind ("try
/// again later" in the RFC 6455 registry).
pub const TOO_FAR_BEHIND: u16 = 1013;

/// What one connection is held to.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// Largest message accepted, in bytes.
    pub max_message: usize,
    /// After this long with nothing sent, the client is sent an empty
    /// presence update ([`protocol::keepalive`]), so that a client that
    /// hears nothing for much longer knows the server is gone (a hung
    /// node, a network that dropped without a word) and reconnects.
    pub keepalive: Duration,
}

/// Relays frames between a client and its room until either side ends.
/// Returns the reason the server closed the connection, if it did.
pub async fn run<S, R>(joined: Joined, mut sink: S, mut stream: R, limits: Limits) -> Option<CloseReason>
where
    S: Sink<WsOut> + Unpin,
    R: Stream<Item = Result<WsIn, WsError>> + Unpin,
{
    let Joined {
        conn,
        mut inbox,
        mut kicked,
        room,
    } = joined;
    let reader = async {
        while let Some(message) = stream.next().await {
            match message {
                Ok(WsIn::Binary(bytes)) if bytes.len() > limits.max_message => {
                    return Some(refusal(ProtocolError::TooLarge {
                        size: bytes.len(),
                        limit: limits.max_message,
                    }));
                }
                Ok(WsIn::Binary(bytes)) => {
                    if !room.send(bytes).await {
                        return None; // the room has gone: it kicked us
                    }
                }
                Ok(WsIn::Text) => return Some(refusal(ProtocolError::TextFrame)),
                Ok(WsIn::Close) => return None,
                Ok(WsIn::Control) => {}
                Err(WsError::TooLarge { limit }) => {
                    return Some(refusal(ProtocolError::TooLarge { size: limit + 1, limit }));
                }
                Err(WsError::Transport(e)) => {
                    tracing::debug!(conn, error = %e, "connection dropped");
                    return None;
                }
            }
        }
        None
    };
    let writer = async {
        loop {
            let frames = tokio::select! {
                biased;
                reason = &mut kicked => return reason.ok(),
                frames = inbox.recv() => match frames {
                    Some(frames) => frames,
                    None => return None,
                },
                // Restarted by every pass of the loop: it fires only after
                // `keepalive` with nothing sent.
                () = tokio::time::sleep(limits.keepalive) => vec![protocol::keepalive()],
            };
            // Everything waiting goes out with one flush.
            let sending = async {
                for frame in frames {
                    sink.feed(WsOut::Binary(frame)).await?;
                }
                sink.flush().await
            };
            tokio::select! {
                sent = sending => if sent.is_err() { return None },
                // The client stopped reading and the room gave up on it.
                reason = &mut kicked => return reason.ok(),
            }
        }
    };
    let close = tokio::select! {
        reason = reader => reason,
        reason = writer => reason,
    };
    // A room that kicks its clients (the server stopping, say) then goes:
    // the reader may find it gone before the writer sees the kick, and the
    // client must still be told why.
    let close = close.or_else(|| kicked.try_recv().ok());
    // Leave the room before the goodbye, so others see us go at once.
    drop(room);
    if let Some(reason) = &close {
        goodbye(conn, &mut sink, &mut stream, reason).await;
    }
    close
}

/// [`run`], unless `end` resolves first (say, the session the connection
/// was opened in has ended): then the connection leaves its room and is
/// closed with `end`'s reason.
pub async fn run_until<S, R, E>(
    joined: Joined,
    mut sink: S,
    mut stream: R,
    limits: Limits,
    end: E,
) -> Option<CloseReason>
where
    S: Sink<WsOut> + Unpin,
    R: Stream<Item = Result<WsIn, WsError>> + Unpin,
    E: Future<Output = CloseReason>,
{
    let conn = joined.conn;
    let reason = tokio::select! {
        closed = run(joined, &mut sink, &mut stream, limits) => return closed,
        reason = end => reason,
    };
    // Dropping `run` dropped the room handle, which tells the room we left.
    goodbye(conn, &mut sink, &mut stream, &reason).await;
    Some(reason)
}

/// Closes the connection with `reason`: sends the close frame, then waits
/// briefly for the client's own, reading and dropping whatever it still
/// sends. That is RFC 6455's closing handshake, and it means the socket
/// ends with everything it was sent, goodbye included: one dropped with
/// unread bytes ends with a reset, which can cut the goodbye off on its
/// way through a proxy.
async fn goodbye<S, R>(conn: super::room::ConnId, sink: &mut S, stream: &mut R, reason: &CloseReason)
where
    S: Sink<WsOut> + Unpin,
    R: Stream<Item = Result<WsIn, WsError>> + Unpin,
{
    tracing::info!(conn, code = reason.code, reason = %reason.reason, "closing connection");
    let frame = WsOut::Close(CloseReason {
        code: reason.code,
        reason: close_text(&reason.reason),
    });
    let patience = if reason.code == TOO_FAR_BEHIND {
        STALLED_GOODBYE
    } else {
        CLOSE_TIMEOUT
    };
    if tokio::time::timeout(patience, sink.send(frame)).await.is_err() {
        return;
    }
    let answered = async {
        while let Some(Ok(message)) = stream.next().await {
            if matches!(message, WsIn::Close) {
                return;
            }
        }
    };
    let _ = tokio::time::timeout(CLOSE_TIMEOUT, answered).await;
}

fn refusal(error: ProtocolError) -> CloseReason {
    CloseReason {
        code: error.close_code(),
        reason: error.to_string(),
    }
}

/// Close reasons are limited to 123 bytes by RFC 6455.
pub fn close_text(reason: &str) -> String {
    let mut end = reason.len().min(123);
    while !reason.is_char_boundary(end) {
        end -= 1;
    }
    reason[..end].to_string()
}

#[cfg(test)]
mod tests;
