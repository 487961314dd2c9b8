//! Hand-built updates, as an attacker running their own Yjs client sends
//! them: the update an edit of a replica produces, sent as a raw frame.

use crate::{Client, WsTarget};
use plan::PlanDoc;
use yrs::sync::{Message, SyncMessage};
use yrs::updates::encoder::Encode;
use yrs::{ReadTxn, Transact};

pub fn update_frame(update: Vec<u8>) -> Vec<u8> {
    Message::Sync(SyncMessage::Update(update)).encode_v1()
}

/// The update an edit of a replica produces.
pub fn edit(replica: &PlanDoc, change: impl FnOnce(&PlanDoc, &mut yrs::TransactionMut)) -> Vec<u8> {
    let before = replica.transact().state_vector();
    change(replica, &mut replica.transact_mut());
    replica.transact().encode_state_as_update_v1(&before)
}

/// A replica of a plan's `state` that writes under `client` (someone
/// else's, as an attacker would).
pub fn replica_as(state: &[u8], client: u64) -> PlanDoc {
    use yrs::updates::decoder::Decode;
    let doc = yrs::Doc::with_options(yrs::Options {
        client_id: yrs::ClientID::new(client),
        offset_kind: yrs::OffsetKind::Utf16,
        ..Default::default()
    });
    let update = yrs::Update::decode_v1(state).unwrap();
    doc.transact_mut().apply_update(update).unwrap();
    PlanDoc::new(doc)
}

/// Sends `update` from a fresh connection and waits for the refusal.
pub async fn refused(target: &WsTarget, plan: PlanDoc, update: Vec<u8>) -> String {
    let attacker = Client::connect_with(target, plan).await;
    attacker.send_raw(update_frame(update));
    let seen = attacker.wait_until("the refusal", |s| !s.denied.is_empty()).await;
    assert!(seen.closed.is_none(), "a refusal keeps the connection open");
    seen.denied[0].clone()
}

/// A websocket to the plan that joins, then never reads. Its small receive
/// buffer (which also turns off the kernel's autotuning) makes it stall
/// after a few megabytes rather than tens.
pub async fn stalled_reader(
    addr: std::net::SocketAddr,
    target: &WsTarget,
) -> tokio_tungstenite::WebSocketStream<tokio::net::TcpStream> {
    use futures_util::SinkExt;
    let socket = tokio::net::TcpSocket::new_v4().unwrap();
    socket.set_recv_buffer_size(64 * 1024).unwrap();
    let tcp = socket.connect(addr).await.unwrap();
    let (mut stalled, _) = tokio_tungstenite::client_async(target, tcp).await.unwrap();
    let step1 = yrs::sync::Message::Sync(yrs::sync::SyncMessage::SyncStep1(Default::default()));
    use yrs::updates::encoder::Encode;
    stalled
        .send(tokio_tungstenite::tungstenite::Message::Binary(
            step1.encode_v1().into(),
        ))
        .await
        .unwrap();
    stalled
}

/// A [`stalled_reader`] starts reading again: reads what waited for it
/// until its replica satisfies `ready`. Panics if the server closed it
/// first (it was evicted, so what the room sent later never came) or if
/// it is still short after a minute.
pub async fn resume_reading(
    mut stalled: tokio_tungstenite::WebSocketStream<tokio::net::TcpStream>,
    what: &str,
    ready: impl Fn(&PlanDoc) -> bool,
) {
    use futures_util::StreamExt;
    use tokio_tungstenite::tungstenite::Message as WsMessage;
    let mut sync = plan::sync_client::SyncClient::new(PlanDoc::new(plan::new_doc()));
    let read = async {
        while !ready(sync.plan()) {
            match stalled.next().await {
                Some(Ok(WsMessage::Binary(frame))) => {
                    sync.on_frame(&frame).expect("the server sends valid frames");
                }
                Some(Ok(WsMessage::Close(close))) => panic!("the stalled client was closed before {what}: {close:?}"),
                Some(Ok(_)) => {}
                Some(Err(e)) => panic!("the stalled client's socket failed before {what}: {e}"),
                None => panic!("the stalled client's socket ended before {what}"),
            }
        }
    };
    tokio::time::timeout(std::time::Duration::from_secs(60), read)
        .await
        .unwrap_or_else(|_| panic!("the stalled client did not get {what} within a minute of reading again"));
}
