//! The connection glue driven over in-memory channels: frames relayed,
//! bad input refused with its close code, kicks and outside ends closing
//! with their reasons, keepalives.

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

#[tokio::test(start_paused = true)]
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

#[tokio::test(start_paused = true)]
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

#[tokio::test(start_paused = true)]
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

#[tokio::test(start_paused = true)]
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

/// A stopping server's room kicks its clients and goes. A client whose
/// frame arrives just then finds the room gone before its connection has
/// seen the kick: it must still be told why (not see the socket drop).
#[tokio::test(start_paused = true)]
async fn a_room_that_kicks_and_goes_as_a_frame_arrives_still_says_why() {
    let kick = CloseReason {
        code: 1001,
        reason: "the server is restarting; reconnect shortly".into(),
    };
    // The reader and the writer race; either may see the end first.
    for _ in 0..20 {
        let (joined, mut room) = joined(1);
        let (sink, mut sent) = client_side();
        room.kick.take().unwrap().send(kick.clone()).unwrap();
        drop(room);
        let update = WsIn::Binary(Bytes::from_static(&[0, 0]));
        assert_eq!(
            run(joined, sink, from_client(vec![update]), LIMITS).await,
            Some(kick.clone())
        );
        assert_eq!(sent.recv().await, Some(WsOut::Close(kick.clone())));
    }
}
