use super::*;
use crate::collab::protocol::{decode_frame, Inbound};
use yrs::sync::awareness::AwarenessUpdateEntry;
use yrs::updates::decoder::Decode;
use yrs::ClientID;
use yrs::{Doc, GetString, ReadTxn, StateVector, Text, Transact, Update};

const ROOMY: Limits = Limits {
    backlog_bytes: 1 << 20,
    stall: Duration::from_secs(60),
};

/// An update typing `text` at the end of `doc`'s "aim".
fn typed(doc: &Doc, text: &str) -> Arc<Vec<u8>> {
    let aim = doc.get_or_insert_text("aim");
    let before = doc.transact().state_vector();
    let mut txn = doc.transact_mut();
    let len = aim.len(&txn);
    aim.insert(&mut txn, len, text);
    drop(txn);
    Arc::new(doc.transact().encode_state_as_update_v1(&before))
}

fn presence(client: u64, clock: u32, name: &str) -> Arc<AwarenessUpdate> {
    let entry = AwarenessUpdateEntry {
        clock,
        json: format!(r#"{{"user":{{"name":"{name}"}}}}"#).into(),
    };
    Arc::new(AwarenessUpdate {
        clients: [(ClientID::new(client), entry)].into_iter().collect(),
    })
}

/// Applies every update in `frames` to a fresh document; its "aim" text.
fn aim_after(frames: &[Bytes]) -> String {
    let doc = Doc::new();
    let aim = doc.get_or_insert_text("aim");
    for frame in frames {
        for message in decode_frame(frame).unwrap() {
            if let Inbound::Update { raw, .. } = message {
                doc.transact_mut()
                    .apply_update(Update::decode_v1(&raw).unwrap())
                    .unwrap();
            }
        }
    }
    let txn = doc.transact();
    aim.get_string(&txn)
}

#[test]
fn updates_waiting_together_go_out_as_one_frame() {
    let (mailbox, mut inbox) = mailbox(ROOMY);
    let doc = Doc::new();
    for word in ["Dismantle ", "the ", "Rowan ", "OCG"] {
        assert_eq!(mailbox.post(Post::Update(typed(&doc, word))), Posted::Ok);
    }
    let frames = inbox.try_take().expect("something waits");
    assert_eq!(frames.len(), 1, "four updates, one frame");
    assert_eq!(aim_after(&frames), "Dismantle the Rowan OCG");
    assert!(inbox.try_take().is_none(), "taking empties the mailbox");
}

#[test]
fn plain_frames_keep_their_order_ahead_of_the_merged_update_and_presence() {
    let (mailbox, mut inbox) = mailbox(ROOMY);
    let doc = Doc::new();
    mailbox.post(Post::Presence(presence(7, 1, "Alice")));
    mailbox.post(Post::Update(typed(&doc, "a")));
    mailbox.post(Post::Frame(Bytes::from_static(b"first")));
    mailbox.post(Post::Frame(Bytes::from_static(b"second")));
    mailbox.post(Post::Presence(presence(7, 3, "Alice (later)")));
    mailbox.post(Post::Presence(presence(7, 2, "Alice (stale)")));
    mailbox.post(Post::Presence(presence(8, 1, "Bob")));
    let frames = inbox.try_take().unwrap();
    assert_eq!(&frames[0][..], b"first");
    assert_eq!(&frames[1][..], b"second");
    assert_eq!(aim_after(&frames[2..3]), "a");
    let [Inbound::Awareness(merged)] = &decode_frame(&frames[3]).unwrap()[..] else {
        panic!("expected one presence message")
    };
    assert_eq!(merged.clients.len(), 2);
    assert_eq!(
        merged.clients[&ClientID::new(7)].clock,
        3,
        "the latest clock wins, whatever the order"
    );
    assert!(merged.clients[&ClientID::new(7)].json.contains("later"));
    assert_eq!(frames.len(), 4);
}

#[test]
fn a_client_is_stuck_only_past_the_byte_limit_or_the_stall_limit() {
    let doc = Doc::new();
    let (mailbox, mut inbox) = mailbox(Limits {
        backlog_bytes: 10_000,
        stall: Duration::from_secs(60),
    });
    // A reader that keeps taking is never stuck, however much passes.
    for _ in 0..100 {
        assert_eq!(mailbox.post(Post::Update(typed(&doc, &"x".repeat(500)))), Posted::Ok);
        inbox.try_take().unwrap();
    }
    // One that stops taking is, once 10 kB wait for it.
    let verdicts: Vec<Posted> = (0..30)
        .map(|_| mailbox.post(Post::Update(typed(&doc, &"y".repeat(500)))))
        .collect();
    let first_stuck = verdicts
        .iter()
        .position(|v| *v == Posted::Stuck)
        .expect("stuck at last");
    assert!(
        (18..=21).contains(&first_stuck),
        "stuck after about 10 kB, at post {first_stuck}"
    );

    let (stalled, _inbox) = super::mailbox(Limits {
        backlog_bytes: 1 << 20,
        stall: Duration::ZERO,
    });
    assert_eq!(stalled.post(Post::Frame(Bytes::from_static(b"a"))), Posted::Ok);
    std::thread::sleep(Duration::from_millis(2)); // the stall limit is measured in time
    assert_eq!(stalled.post(Post::Frame(Bytes::from_static(b"b"))), Posted::Stuck);
}

#[tokio::test]
async fn the_inbox_wakes_for_a_post_and_ends_when_the_room_lets_go() {
    let (mailbox, mut inbox) = mailbox(ROOMY);
    let taker = tokio::spawn(async move {
        let mut got = Vec::new();
        while let Some(frames) = inbox.recv().await {
            got.extend(frames);
        }
        got
    });
    mailbox.post(Post::Frame(Bytes::from_static(b"hello")));
    drop(mailbox);
    let got = taker.await.unwrap();
    assert_eq!(
        got,
        vec![Bytes::from_static(b"hello")],
        "what was posted is taken before the end"
    );
}

#[test]
fn merged_updates_equal_the_updates_applied_one_by_one() {
    let doc = Doc::new();
    let parts: Vec<Arc<Vec<u8>>> = (0..50).map(|i| typed(&doc, &format!("{i},"))).collect();
    let merged = merge(parts.iter().map(|p| p.as_slice())).unwrap();
    let replica = Doc::new();
    replica
        .transact_mut()
        .apply_update(Update::decode_v1(&merged).unwrap())
        .unwrap();
    assert_eq!(
        replica.transact().encode_state_as_update_v1(&StateVector::default()),
        doc.transact().encode_state_as_update_v1(&StateVector::default())
    );
}
