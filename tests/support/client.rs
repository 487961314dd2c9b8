//! A Yjs websocket client holding its own yrs replica of a plan, speaking
//! the standard sync/awareness protocol as y-websocket does.

use crate::app::WsTarget;
use futures_util::{SinkExt, StreamExt};
use plan::sync_client::{ConnectionState, SyncClient};
use plan::PlanDoc;
use std::time::Duration;
use tokio::sync::{mpsc, watch};
use tokio_tungstenite::tungstenite::protocol::frame::coding::CloseCode;
use tokio_tungstenite::tungstenite::Message as WsMessage;
use yrs::sync::{Awareness, Message, SyncMessage};
use yrs::updates::encoder::Encode;
use yrs::{ReadTxn, TransactionMut};

/// How long a test waits for something that should happen in milliseconds.
pub const PATIENCE: Duration = Duration::from_secs(10);

/// What the client has seen so far.
#[derive(Debug, Clone, Default)]
pub struct Seen {
    /// Bumped whenever a remote document update was applied.
    pub updates: u64,
    /// The server answered our sync step 1.
    pub synced: bool,
    /// Awareness frames received.
    pub awareness: u64,
    /// Everyone's presence as last heard: awareness client id → state JSON.
    pub presence: std::collections::BTreeMap<u64, String>,
    /// Why the server refused our updates (permission denied), in order.
    pub denied: Vec<String>,
    /// Close code and reason, once the server closed the connection.
    pub closed: Option<(u16, String)>,
}

impl Seen {
    /// Whether someone named `name` is present, as last heard.
    pub fn present(&self, name: &str) -> bool {
        let quoted = format!("\"{name}\"");
        self.presence.values().any(|p| p.contains(&quoted))
    }
}

pub struct Client {
    pub plan: PlanDoc,
    out: mpsc::UnboundedSender<WsMessage>,
    seen: watch::Receiver<Seen>,
}

impl Client {
    /// Connects and waits until the initial sync is done.
    pub async fn connect(url: &WsTarget) -> Client {
        let client = Client::connect_unsynced(url).await;
        client.wait_until("initial sync", |s| s.synced).await;
        client
    }

    /// Connects with a replica that already holds `plan`'s state (e.g. edits
    /// made while offline) and waits until both sides are in sync.
    pub async fn connect_with(url: &WsTarget, plan: PlanDoc) -> Client {
        let client = Client::start(url, plan).await;
        client.wait_until("initial sync", |s| s.synced).await;
        client
    }

    pub async fn connect_unsynced(url: &WsTarget) -> Client {
        Client::start(url, PlanDoc::new(plan::new_doc())).await
    }

    async fn start(url: &WsTarget, plan: PlanDoc) -> Client {
        let (ws, _) = tokio_tungstenite::connect_async(url).await.expect("websocket connects");
        let (mut sink, mut stream) = ws.split();
        let (out, mut outbox) = mpsc::unbounded_channel::<WsMessage>();
        let (seen_tx, seen) = watch::channel(Seen::default());
        tokio::spawn(async move {
            while let Some(message) = outbox.recv().await {
                if sink.send(message).await.is_err() {
                    break;
                }
            }
        });
        let mut sync = SyncClient::new(plan.clone());
        let _ = out.send(WsMessage::Binary(sync.on_open().into()));
        let replies = out.clone();
        tokio::spawn(async move {
            while let Some(Ok(message)) = stream.next().await {
                match message {
                    WsMessage::Binary(bytes) => handle(&mut sync, &bytes, &replies, &seen_tx),
                    WsMessage::Close(frame) => {
                        let close = frame.map(|f| (u16::from(f.code), f.reason.to_string()));
                        seen_tx.send_modify(|s| s.closed = Some(close.unwrap_or((1005, String::new()))));
                        return;
                    }
                    _ => {}
                }
            }
            seen_tx.send_modify(|s| {
                s.closed.get_or_insert((1006, "connection dropped".into()));
            });
        });
        Client { plan, out, seen }
    }

    /// Makes a local edit and sends it to the server as one update.
    pub fn edit<R>(&self, change: impl FnOnce(&PlanDoc, &mut TransactionMut) -> R) -> R {
        let before = self.plan.transact().state_vector();
        let result = {
            let mut txn = self.plan.transact_mut();
            change(&self.plan, &mut txn)
        };
        let update = self.plan.transact().encode_state_as_update_v1(&before);
        self.send_raw(Message::Sync(SyncMessage::Update(update)).encode_v1());
        result
    }

    /// Announces presence with the given JSON state.
    pub fn announce(&self, state: &str) {
        let mut awareness = Awareness::new(self.plan.doc().clone());
        awareness.set_local_state_raw(state);
        let update = awareness.update().expect("awareness update");
        self.send_raw(Message::Awareness(update).encode_v1());
    }

    pub fn send_raw(&self, bytes: Vec<u8>) {
        let _ = self.out.send(WsMessage::Binary(bytes.into()));
    }

    pub fn send_message(&self, message: WsMessage) {
        let _ = self.out.send(message);
    }

    /// Closes the connection normally.
    pub fn close(&self) {
        let _ = self.out.send(WsMessage::Close(Some(
            tokio_tungstenite::tungstenite::protocol::CloseFrame {
                code: CloseCode::Normal,
                reason: "bye".into(),
            },
        )));
    }

    pub fn seen(&self) -> Seen {
        self.seen.borrow().clone()
    }

    /// Waits (bounded by [`PATIENCE`]) until what the client has seen
    /// satisfies `ready`; panics naming `what` otherwise.
    pub async fn wait_until(&self, what: &str, ready: impl Fn(&Seen) -> bool) -> Seen {
        self.wait_until_within(PATIENCE, what, ready).await
    }

    /// [`Client::wait_until`], for what takes longer than [`PATIENCE`] by
    /// design (a timeout on the server's side, say).
    pub async fn wait_until_within(&self, within: Duration, what: &str, ready: impl Fn(&Seen) -> bool) -> Seen {
        let mut seen = self.seen.clone();
        let found = match tokio::time::timeout(within, seen.wait_for(|s| ready(s))).await {
            Ok(Ok(s)) => Some(s.clone()),
            _ => None,
        };
        found.unwrap_or_else(|| panic!("timed out waiting for {what}; seen: {:?}", self.seen()))
    }

    /// Waits until the replica satisfies `ready` (re-checked on every update).
    pub async fn wait_for_doc(&self, what: &str, ready: impl Fn(&PlanDoc) -> bool) {
        let mut seen = self.seen.clone();
        let check = async {
            loop {
                if ready(&self.plan) {
                    return;
                }
                if seen.changed().await.is_err() {
                    std::future::pending::<()>().await;
                }
            }
        };
        if tokio::time::timeout(PATIENCE, check).await.is_err() {
            panic!("timed out waiting for {what}; seen: {:?}", self.seen());
        }
    }

    /// Alice at `one` and Bob at `two`, connected in that order.
    pub async fn pair(one: &WsTarget, two: &WsTarget) -> (Client, Client) {
        let alice = Client::connect(one).await;
        let bob = Client::connect(two).await;
        (alice, bob)
    }

    /// Waits until the replica's aim reads `aim`.
    pub async fn wait_for_aim(&self, what: &str, aim: &str) {
        self.wait_for_doc(what, |p| p.section_text(&p.transact(), plan::Section::Aim) == aim)
            .await;
    }

    /// Waits for the server to close the connection; returns (code, reason).
    pub async fn closed(&self) -> (u16, String) {
        let seen = self
            .wait_until("the server to close the connection", |s| s.closed.is_some())
            .await;
        seen.closed.unwrap_or_default()
    }
}

/// A plan's aim, as the cluster tests compare it across clients.
pub fn aim(p: &PlanDoc) -> String {
    p.section_text(&p.transact(), plan::Section::Aim)
}

/// Alice types "a0 a1 …" into the aim and Bob "b0 b1 …" into the LRO
/// update, `count` words each, in waves of `wave`: after each wave both
/// wait for the other's, so a room takes each wave as a batch or a few and
/// compacts between them. Returns a check that a plan holds every word.
pub async fn type_in_waves(alice: &Client, bob: &Client, count: usize, wave: usize) -> impl Fn(&PlanDoc) -> bool {
    use plan::Section;
    use yrs::Text;
    let words = |prefix: char, upto: usize| -> String { (0..upto).map(|j| format!("{prefix}{j} ")).collect() };
    let (a_text, b_text) = (
        alice.plan.doc().get_or_insert_text("aim"),
        bob.plan.doc().get_or_insert_text("lro_update"),
    );
    for i in 0..count {
        alice.edit(|_, txn| a_text.push(txn, &format!("a{i} ")));
        bob.edit(|_, txn| b_text.push(txn, &format!("b{i} ")));
        if (i + 1) % wave == 0 {
            let (a_so_far, b_so_far) = (words('a', i + 1), words('b', i + 1));
            bob.wait_for_doc("alice's wave", |p| {
                p.section_text(&p.transact(), Section::Aim) == a_so_far
            })
            .await;
            alice
                .wait_for_doc("bob's wave", |p| {
                    p.section_text(&p.transact(), Section::LroUpdate) == b_so_far
                })
                .await;
        }
    }
    let (expect_a, expect_b) = (words('a', count), words('b', count));
    move |p: &PlanDoc| {
        let txn = p.transact();
        p.section_text(&txn, Section::Aim) == expect_a && p.section_text(&txn, Section::LroUpdate) == expect_b
    }
}

fn handle(sync: &mut SyncClient, bytes: &[u8], replies: &mpsc::UnboundedSender<WsMessage>, seen: &watch::Sender<Seen>) {
    let incoming = sync.on_frame(bytes).expect("the server sends valid frames");
    for reply in incoming.replies {
        let _ = replies.send(WsMessage::Binary(reply.into()));
    }
    let synced = sync.state() == ConnectionState::Synced;
    seen.send_modify(|s| {
        s.updates += u64::from(incoming.changed);
        s.awareness += incoming.awareness.len() as u64;
        for update in &incoming.awareness {
            for (client, entry) in &update.clients {
                match entry.json.as_ref() {
                    "null" => s.presence.remove(&client.get()),
                    json => s.presence.insert(client.get(), json.to_string()),
                };
            }
        }
        s.synced |= synced;
        s.denied.extend(incoming.denied.clone());
    });
}
