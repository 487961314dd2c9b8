//! A light load-generating client: its own small yrs replica to make
//! valid updates from, and a reader that counts what arrives and, for
//! observers, times each update from its send to its arrival, without
//! applying anything (so one process can drive a thousand of them).

use futures_util::stream::SplitSink;
use futures_util::{SinkExt, StreamExt};
use integration_tests::WsTarget;
use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use tokio::net::TcpStream;
use tokio_tungstenite::tungstenite::Message as WsMessage;
use tokio_tungstenite::{MaybeTlsStream, WebSocketStream};
use yrs::sync::{Message, SyncMessage};
use yrs::updates::decoder::Decode;
use yrs::updates::encoder::Encode;
use yrs::{ReadTxn, Text, TextRef, Transact, Update};

type Sink = SplitSink<WebSocketStream<MaybeTlsStream<TcpStream>>, WsMessage>;

/// What all sockets of a run saw.
#[derive(Default)]
pub struct Tally {
    pub sent: AtomicU64,
    pub frames: AtomicU64,
    pub bytes: AtomicU64,
    /// Closed by the server as too far behind (1013).
    pub evicted: AtomicU64,
    /// Closed for any other reason.
    pub closed: AtomicU64,
    /// When each client id's updates were sent: (clock after, instant).
    sends: Mutex<HashMap<u64, Vec<(u32, Instant)>>>,
    /// Send-to-arrival latency of updates, at the observers.
    pub latencies: Mutex<Vec<Duration>>,
}

pub struct LoadSocket {
    doc: yrs::Doc,
    text: TextRef,
    sink: Sink,
    tally: Arc<Tally>,
}

impl LoadSocket {
    /// Connects, fetches the plan's state, then reads in the background.
    pub async fn connect(target: &WsTarget, field: &str, observer: bool, tally: Arc<Tally>) -> LoadSocket {
        let (ws, _) = tokio_tungstenite::connect_async(target)
            .await
            .expect("websocket connects");
        let (mut sink, mut stream) = ws.split();
        let step1 = Message::Sync(SyncMessage::SyncStep1(Default::default())).encode_v1();
        sink.send(WsMessage::Binary(step1.into()))
            .await
            .expect("sync step 1 sent");
        let doc = yrs::Doc::new();
        // The plan's state arrives as the answer to our step 1.
        'synced: while let Some(Ok(message)) = stream.next().await {
            if let WsMessage::Binary(bytes) = message {
                for m in
                    yrs::sync::MessageReader::new(&mut yrs::updates::decoder::DecoderV1::from(&bytes[..])).flatten()
                {
                    if let Message::Sync(SyncMessage::SyncStep2(state)) = m {
                        doc.transact_mut()
                            .apply_update(Update::decode_v1(&state).unwrap())
                            .unwrap();
                        break 'synced;
                    }
                }
            }
        }
        let own = doc.client_id().get();
        let reader_tally = tally.clone();
        tokio::spawn(async move {
            let mut seen: HashMap<u64, u32> = HashMap::new();
            while let Some(message) = stream.next().await {
                match message {
                    Ok(WsMessage::Binary(bytes)) => {
                        reader_tally.frames.fetch_add(1, Ordering::Relaxed);
                        reader_tally.bytes.fetch_add(bytes.len() as u64, Ordering::Relaxed);
                        if observer {
                            observe(&reader_tally, &bytes, own, &mut seen);
                        }
                    }
                    Ok(WsMessage::Close(frame)) => {
                        let evicted = frame.is_some_and(|f| u16::from(f.code) == 1013);
                        let counter = if evicted {
                            &reader_tally.evicted
                        } else {
                            &reader_tally.closed
                        };
                        counter.fetch_add(1, Ordering::Relaxed);
                        return;
                    }
                    Ok(_) => {}
                    Err(_) => {
                        reader_tally.closed.fetch_add(1, Ordering::Relaxed);
                        return;
                    }
                }
            }
        });
        let text = doc.get_or_insert_text(field);
        LoadSocket { doc, text, sink, tally }
    }

    /// Types one character at the end of the field, as one update.
    pub async fn type_one(&mut self) -> bool {
        let before = self.doc.transact().state_vector();
        self.text.push(&mut self.doc.transact_mut(), "x");
        let (update, clock) = {
            let txn = self.doc.transact();
            let client = self.doc.client_id();
            (txn.encode_state_as_update_v1(&before), txn.state_vector().get(&client))
        };
        let sent_at = Instant::now();
        self.tally
            .sends
            .lock()
            .unwrap()
            .entry(self.doc.client_id().get())
            .or_default()
            .push((clock, sent_at));
        self.tally.sent.fetch_add(1, Ordering::Relaxed);
        let frame = Message::Sync(SyncMessage::Update(update)).encode_v1();
        self.sink.send(WsMessage::Binary(frame.into())).await.is_ok()
    }
}

/// Times every update in `frame` not seen before (by client and clock).
fn observe(tally: &Tally, frame: &[u8], own: u64, seen: &mut HashMap<u64, u32>) {
    let now = Instant::now();
    let mut decoder = yrs::updates::decoder::DecoderV1::from(frame);
    for message in yrs::sync::MessageReader::new(&mut decoder).flatten() {
        let payload = match message {
            Message::Sync(SyncMessage::Update(u)) | Message::Sync(SyncMessage::SyncStep2(u)) => u,
            _ => continue,
        };
        let Ok(update) = Update::decode_v1(&payload) else {
            continue;
        };
        let sends = tally.sends.lock().unwrap();
        let mut latencies = Vec::new();
        // The highest clock of each client's items (yrs' own state vector
        // counts only runs that start at clock 0).
        let mut uppers: HashMap<u64, u32> = HashMap::new();
        for (client, ranges) in update.insertions(true).iter() {
            if let Some(end) = ranges.iter().map(|r| r.end).max() {
                let upper = uppers.entry(client.get()).or_insert(0);
                *upper = (*upper).max(end);
            }
        }
        for (client, upto) in uppers {
            let upto = &upto;
            let last = seen.entry(client).or_insert(0);
            if client == own || *upto <= *last {
                continue;
            }
            if let Some(sent) = sends.get(&client) {
                let from = sent.partition_point(|(clock, _)| *clock <= *last);
                let to = sent.partition_point(|(clock, _)| *clock <= *upto);
                latencies.extend(sent[from..to].iter().map(|(_, at)| now - *at));
            }
            *last = *upto;
        }
        drop(sends);
        tally.latencies.lock().unwrap().extend(latencies);
    }
}
