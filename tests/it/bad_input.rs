//! Bad input closes only the offending socket, with a clear reason; the
//! room, the other clients and the stored document are unaffected.

use futures_util::{SinkExt, StreamExt};
use integration_tests::{spawn_app_with, Client, TestApp};
use plan::Section;
use tokio_tungstenite::tungstenite::Message as WsMessage;
use yrs::sync::{Message, SyncMessage};
use yrs::updates::encoder::Encode;
use yrs::ReadTxn;

const LIMIT: usize = 64 * 1024;

async fn app() -> TestApp {
    spawn_app_with(|c| c.max_message_bytes = LIMIT).await
}

fn a_real_update() -> Vec<u8> {
    let doc = plan::PlanDoc::new(plan::new_doc());
    let before = doc.transact().state_vector();
    doc.set_section_text(&mut doc.transact_mut(), Section::Aim, "from the attacker");
    let update = doc.transact().encode_state_as_update_v1(&before);
    Message::Sync(SyncMessage::Update(update)).encode_v1()
}

/// Sends `bad` from one client and checks that only that client is closed,
/// with `code` and a reason containing `says`.
async fn refused(bad: WsMessage, code: u16, says: &str) {
    let app = app().await;
    let plan = app.create_plan("Operation Birch").await;
    let good = Client::connect(&app.ws_url(plan)).await;
    good.edit(|p, txn| p.set_section_text(txn, Section::Aim, "Keep this"));
    let attacker = Client::connect(&app.ws_url(plan)).await;
    attacker.wait_for_aim("the aim", "Keep this").await;
    let before = app.export(plan).await;

    attacker.send_message(bad);
    let (got_code, reason) = attacker.closed().await;
    assert_eq!(got_code, code, "close code for {says:?} (reason {reason:?})");
    assert!(reason.contains(says), "reason {reason:?} should say {says:?}");
    assert_eq!(app.export(plan).await, before, "the stored plan is unchanged");

    // The room carries on for everyone else.
    let other = Client::connect(&app.ws_url(plan)).await;
    good.edit(|p, txn| p.set_section_text(txn, Section::Aim, "Keep this, and this"));
    other.wait_for_aim("the next edit", "Keep this, and this").await;
}

#[tokio::test]
async fn a_truncated_message_is_refused() {
    let mut update = a_real_update();
    update.truncate(update.len() - 3);
    refused(WsMessage::Binary(update.into()), 1007, "malformed").await;
}

#[tokio::test]
async fn an_update_that_does_not_decode_is_refused() {
    let mut garbage = vec![0u8, 2, 8];
    garbage.extend_from_slice(&[0xff, 0xff, 0xff, 0xff, 0x0f, 1, 2, 3]);
    refused(WsMessage::Binary(garbage.into()), 1007, "could not be decoded").await;
}

#[tokio::test]
async fn an_unknown_message_type_is_refused() {
    refused(
        WsMessage::Binary(vec![42u8, 1, 0].into()),
        1003,
        "unsupported message type",
    )
    .await;
}

#[tokio::test]
async fn a_text_frame_is_refused() {
    refused(
        WsMessage::Text("{\"aim\":\"hello\"}".into()),
        1003,
        "text frames are not supported",
    )
    .await;
}

#[tokio::test]
async fn a_message_over_the_size_limit_is_refused() {
    let mut big = vec![0u8, 2];
    big.extend(std::iter::repeat_n(0x80u8, LIMIT + 10));
    refused(WsMessage::Binary(big.into()), 1009, "over the limit").await;
}

#[tokio::test]
async fn a_client_that_stops_reading_is_disconnected_without_holding_up_the_others() {
    let app = spawn_app_with(|c| c.client_backlog_bytes = 4 * 1024 * 1024).await;
    let plan = app.create_plan("Operation Rowan").await;
    let writer = Client::connect(&app.ws_url(plan)).await;
    let reader = Client::connect(&app.ws_url(plan)).await;
    // A raw socket that joins, then never reads. Its small receive buffer
    // (which also turns off the kernel's autotuning, up to 32 MB here)
    // makes it stall after a few megabytes rather than tens.
    let socket = tokio::net::TcpSocket::new_v4().unwrap();
    socket.set_recv_buffer_size(64 * 1024).unwrap();
    let tcp = socket.connect(app.addr).await.unwrap();
    let (mut stalled, _) = tokio_tungstenite::client_async(app.ws_url(plan), tcp).await.unwrap();
    let step1 = Message::Sync(SyncMessage::SyncStep1(Default::default())).encode_v1();
    stalled.send(WsMessage::Binary(step1.into())).await.unwrap();

    // About 24 MB of edits: more than the socket buffers (4 MB to send here)
    // and the stalled client's queue hold. The reader keeps up with each.
    for i in 0..60u8 {
        // Every character differs from the last edit, so each update carries 400 KB.
        let text = char::from(b'a' + i % 26).to_string().repeat(400_000);
        writer.edit(|p, txn| p.set_section_text(txn, Section::IntelligenceStrategy, &text));
        reader
            .wait_for_doc("the edit", |p| {
                p.section_text(&p.transact(), Section::IntelligenceStrategy) == text
            })
            .await;
    }
    assert!(reader.seen().closed.is_none(), "a client that keeps up stays connected");

    // The stalled client finds, after what was already on the wire, that the
    // server has closed its connection, and why: the goodbye waits behind
    // what the socket holds until the client reads again.
    let close = tokio::time::timeout(integration_tests::PATIENCE, async {
        while let Some(Ok(message)) = stalled.next().await {
            if let WsMessage::Close(frame) = message {
                return frame;
            }
        }
        None
    })
    .await
    .expect("the server closes the stalled connection");
    let close = close.expect("the goodbye reaches a client that reads again (1013)");
    assert_eq!(u16::from(close.code), 1013);
    assert!(close.reason.contains("too far behind"), "{}", close.reason);
}
