//! Drives one client connection over any `Sink`/`Stream` pair, so the same
//! code serves axum websockets and test harnesses.

use super::protocol::ProtocolError;
use super::rooms::{CloseReason, Joined, Outbound};
use bytes::Bytes;
use futures_util::{Sink, SinkExt, Stream, StreamExt};
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

/// Relays frames between a client and its room until either side ends.
/// Returns the reason the server closed the connection, if it did.
pub async fn run<S, R>(joined: Joined, mut sink: S, mut stream: R, max_message: usize) -> Option<CloseReason>
where
    S: Sink<WsOut> + Unpin,
    R: Stream<Item = Result<WsIn, WsError>> + Unpin,
{
    let Joined {
        conn,
        mut outbound,
        mut kicked,
        room,
    } = joined;
    let reader = async {
        while let Some(message) = stream.next().await {
            match message {
                Ok(WsIn::Binary(bytes)) if bytes.len() > max_message => {
                    return Some(refusal(ProtocolError::TooLarge {
                        size: bytes.len(),
                        limit: max_message,
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
            tokio::select! {
                biased;
                reason = &mut kicked => return reason.ok(),
                frame = outbound.recv() => match frame {
                    Some(Outbound::Frame(bytes)) => {
                        tokio::select! {
                            sent = sink.send(WsOut::Binary(bytes)) => if sent.is_err() { return None },
                            // The client stopped reading and the room gave up on it.
                            reason = &mut kicked => return reason.ok(),
                        }
                    }
                    None => return None,
                },
            }
        }
    };
    let close = tokio::select! {
        reason = reader => reason,
        reason = writer => reason,
    };
    // Leave the room before the goodbye, so others see us go at once.
    drop(room);
    if let Some(reason) = &close {
        tracing::info!(conn, code = reason.code, reason = %reason.reason, "closing connection");
        let frame = WsOut::Close(CloseReason {
            code: reason.code,
            reason: close_text(&reason.reason),
        });
        let _ = tokio::time::timeout(CLOSE_TIMEOUT, sink.send(frame)).await;
    }
    close
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
