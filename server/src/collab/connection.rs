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

/// The close code of a client evicted for falling too far behind.
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
    // Leave the room before the goodbye, so others see us go at once.
    drop(room);
    if let Some(reason) = &close {
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
        let _ = tokio::time::timeout(patience, sink.send(frame)).await;
    }
    close
}

/// [`run`], unless `end` resolves first (say, the session the connection
/// was opened in has ended): then the connection leaves its room and is
/// closed with `end`'s reason.
pub async fn run_until<S, R, E>(joined: Joined, mut sink: S, stream: R, limits: Limits, end: E) -> Option<CloseReason>
where
    S: Sink<WsOut> + Unpin,
    R: Stream<Item = Result<WsIn, WsError>> + Unpin,
    E: Future<Output = CloseReason>,
{
    let conn = joined.conn;
    let reason = tokio::select! {
        closed = run(joined, &mut sink, stream, limits) => return closed,
        reason = end => reason,
    };
    // Dropping `run` dropped the room handle, which tells the room we left.
    tracing::info!(conn, code = reason.code, reason = %reason.reason, "closing connection");
    let frame = WsOut::Close(CloseReason {
        code: reason.code,
        reason: close_text(&reason.reason),
    });
    let _ = tokio::time::timeout(CLOSE_TIMEOUT, sink.send(frame)).await;
    Some(reason)
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
mod tests {
    use super::*;
    use crate::collab::rooms::testing::joined;
    use futures_util::stream;
    use tokio::sync::mpsc;

    /// A sink that hands what the server sends to a channel.
    fn client_side() -> (impl Sink<WsOut, Error = ()> + Unpin, mpsc::UnboundedReceiver<WsOut>) {
        let (tx, rx) = mpsc::unbounded_channel();
        let sink = futures_util::sink::unfold(tx, |tx, out: WsOut| async move {
            tx.send(out).map_err(|_| ())?;
            Ok::<_, ()>(tx)
        });
        (Box::pin(sink), rx)
    }

    /// Messages from the client, then a connection that stays open.
    fn from_client(messages: Vec<WsIn>) -> impl Stream<Item = Result<WsIn, WsError>> + Unpin {
        stream::iter(messages.into_iter().map(Ok)).chain(stream::pending())
    }

    /// A client whose messages the test sends one at a time.
    fn scripted_client() -> (
        mpsc::UnboundedSender<WsIn>,
        impl Stream<Item = Result<WsIn, WsError>> + Unpin,
    ) {
        let (tx, rx) = mpsc::unbounded_channel();
        let incoming = stream::unfold(rx, |mut rx| async move { rx.recv().await.map(|m| (Ok(m), rx)) });
        (tx, Box::pin(incoming))
    }

    const LIMITS: Limits = Limits {
        max_message: 1024,
        keepalive: Duration::from_secs(3600),
    };

    /// With nothing to send for `keepalive`, the client is sent a frame
    /// that changes nothing (time is paused: no waiting).
    #[tokio::test(start_paused = true)]
    async fn a_quiet_connection_is_kept_alive() {
        let (joined, room) = joined(1);
        let (sink, mut sent) = client_side();
        let limits = Limits {
            keepalive: Duration::from_secs(15),
            ..LIMITS
        };
        let task = tokio::spawn(run(joined, sink, from_client(vec![]), limits));
        let started = tokio::time::Instant::now();
        assert_eq!(sent.recv().await, Some(WsOut::Binary(protocol::keepalive())));
        assert_eq!(started.elapsed(), Duration::from_secs(15));
        // A frame sent restarts the wait.
        tokio::time::advance(Duration::from_secs(10)).await;
        room.mailbox
            .post(crate::collab::mailbox::Post::Frame(Bytes::from_static(b"hi")));
        assert_eq!(sent.recv().await, Some(WsOut::Binary(Bytes::from_static(b"hi"))));
        let after_frame = tokio::time::Instant::now();
        assert_eq!(sent.recv().await, Some(WsOut::Binary(protocol::keepalive())));
        assert_eq!(after_frame.elapsed(), Duration::from_secs(15));
        task.abort();
    }

    #[tokio::test]
    async fn frames_flow_both_ways_until_the_client_closes() {
        let (joined, mut room) = joined(1);
        let (sink, mut sent) = client_side();
        let (client, incoming) = scripted_client();
        let task = tokio::spawn(run(joined, sink, incoming, LIMITS));
        client
            .send(WsIn::Binary(Bytes::from_static(b"\x00\x00\x01\x00")))
            .unwrap();
        client.send(WsIn::Control).unwrap();
        assert_eq!(room.next_frame().await.as_deref(), Some(&b"\x00\x00\x01\x00"[..]));
        room.mailbox
            .post(crate::collab::mailbox::Post::Frame(Bytes::from_static(b"hi")));
        assert_eq!(sent.recv().await, Some(WsOut::Binary(Bytes::from_static(b"hi"))));
        client.send(WsIn::Close).unwrap();
        assert_eq!(task.await.unwrap(), None, "a client's own close needs no reason");
        assert_eq!(room.next_frame().await, None, "the room is told the client left");
    }

    #[tokio::test]
    async fn text_and_oversized_frames_close_with_a_reason() {
        for (message, code, says) in [
            (WsIn::Text, 1003, "text frames are not supported"),
            (
                WsIn::Binary(Bytes::from(vec![0u8; 2048])),
                1009,
                "over the limit of 1024 bytes",
            ),
        ] {
            let (joined, mut room) = joined(1);
            let (sink, mut sent) = client_side();
            let reason = run(joined, sink, from_client(vec![message]), LIMITS)
                .await
                .expect("closed by the server");
            assert_eq!(reason.code, code);
            let Some(WsOut::Close(close)) = sent.recv().await else {
                panic!("no close frame")
            };
            assert!(close.reason.contains(says), "{}", close.reason);
            assert_eq!(room.next_frame().await, None, "nothing reached the room");
        }
    }

    #[tokio::test]
    async fn a_kick_from_the_room_closes_the_connection_with_its_reason() {
        let (joined, mut room) = joined(1);
        let (sink, mut sent) = client_side();
        let kick = CloseReason {
            code: 1013,
            reason: "too far behind the room; reconnect to resync".into(),
        };
        room.kick.take().unwrap().send(kick.clone()).unwrap();
        assert_eq!(run(joined, sink, from_client(vec![]), LIMITS).await, Some(kick.clone()));
        assert_eq!(sent.recv().await, Some(WsOut::Close(kick)));
    }

    #[tokio::test]
    async fn an_outside_end_leaves_the_room_and_closes_with_its_reason() {
        let (joined, mut room) = joined(1);
        let (sink, mut sent) = client_side();
        let (end, ended) = tokio::sync::oneshot::channel::<CloseReason>();
        let reason = CloseReason {
            code: 4401,
            reason: "you logged out; log in again to go on".into(),
        };
        let task = tokio::spawn(run_until(joined, sink, from_client(vec![]), LIMITS, async move {
            ended.await.unwrap()
        }));
        end.send(reason.clone()).unwrap();
        assert_eq!(task.await.unwrap(), Some(reason.clone()));
        assert_eq!(sent.recv().await, Some(WsOut::Close(reason)));
        assert_eq!(room.next_frame().await, None, "the room is told the client left");
    }

    #[test]
    fn close_reasons_fit_the_protocol_limit() {
        let long = "é".repeat(100);
        let text = close_text(&long);
        assert!(text.len() <= 123 && long.starts_with(&text));
    }
}
