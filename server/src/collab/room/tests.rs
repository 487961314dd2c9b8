//! A room driven by frames as browsers send them: joining and syncing, edits
//! judged by the sender's role, reloading from storage (presence in
//! [`presence`]).

use super::*;
use crate::collab::protocol::{decode_frame, Inbound};
use bytes::Bytes;
use plan::{HeaderText, Section};
use yrs::sync::AwarenessUpdate;
use yrs::sync::{Message, SyncMessage};
use yrs::updates::decoder::Decode;
use yrs::updates::encoder::Encode;
use yrs::{Doc, GetString, Text, Transact};

/// A client's own replica of the plan, as a browser would hold it.
struct Peer {
    doc: Doc,
}

impl Peer {
    fn new() -> Self {
        Peer { doc: plan::new_doc() }
    }

    /// A peer writing under the given Yjs client id.
    fn with_client(client: u64) -> Self {
        Peer {
            doc: Doc::with_options(yrs::Options {
                client_id: ClientID::new(client),
                offset_kind: yrs::OffsetKind::Utf16,
                ..Default::default()
            }),
        }
    }

    fn type_into(&self, section: &str, at: u32, text: &str) -> Vec<u8> {
        let t = self.doc.get_or_insert_text(section);
        let before = self.doc.transact().state_vector();
        t.insert(&mut self.doc.transact_mut(), at, text);
        let update = self.doc.transact().encode_state_as_update_v1(&before);
        Message::Sync(SyncMessage::Update(update)).encode_v1()
    }

    /// Applies every sync message in frames sent to this peer.
    fn receive(&self, frames: &[Bytes]) {
        for frame in frames {
            for message in decode_frame(frame).unwrap() {
                if let Inbound::Update { raw, .. } = message {
                    let update = yrs::Update::decode_v1(&raw).unwrap();
                    self.doc.transact_mut().apply_update(update).unwrap();
                }
            }
        }
    }

    fn text(&self, section: &str) -> String {
        let t = self.doc.get_or_insert_text(section);
        let txn = self.doc.transact();
        t.get_string(&txn)
    }
}

/// An empty plan's room that Alice (connection 1, full access) has joined.
fn room_with_alice() -> (Room, Peer) {
    let (mut room, _) = Room::load(None, [], []);
    room.join(1, Access::full(uuid::Uuid::nil()));
    (room, Peer::new())
}

fn aim_of(room: &Room) -> String {
    room.plan().section_text(&room.plan().transact(), Section::Aim)
}

fn frames_for(out: &[Outgoing], conn: ConnId) -> Vec<Bytes> {
    out.iter()
        .filter(|o| o.target.includes(conn))
        .map(|o| o.frame())
        .collect()
}

fn awareness_frame(client: u64, clock: u32, json: &str) -> Vec<u8> {
    let mut update = AwarenessUpdate {
        clients: Default::default(),
    };
    update.clients.insert(
        ClientID::new(client),
        yrs::sync::awareness::AwarenessUpdateEntry {
            clock,
            json: json.into(),
        },
    );
    Message::Awareness(update).encode_v1()
}

#[test]
fn a_joiner_is_asked_for_its_state_and_an_update_is_relayed_to_the_others_only() {
    let (mut room, problems) = Room::load(None, [], []);
    assert!(problems.is_empty());
    let joined = room.join(1, Access::full(uuid::Uuid::nil()));
    assert!(matches!(
        decode_frame(&joined[0].frame()).unwrap()[..],
        [Inbound::SyncStep1(_)]
    ));
    room.join(2, Access::full(uuid::Uuid::nil()));

    let alice = Peer::new();
    let received = room.receive(1, &alice.type_into("aim", 0, "Dismantle"));
    assert!(received.rejected.is_none());
    assert_eq!(received.updates.len(), 1, "the update is handed back for persisting");
    assert!(frames_for(&received.outgoing, 1).is_empty(), "no echo to the sender");
    let bob = Peer::new();
    bob.receive(&frames_for(&received.outgoing, 2));
    assert_eq!(bob.text("aim"), "Dismantle");
    assert_eq!(aim_of(&room), "Dismantle");
}

#[test]
fn sync_step_1_is_answered_with_the_missing_state() {
    let (mut room, alice) = room_with_alice();
    room.receive(1, &alice.type_into("lro", 0, "DI Okafor"));

    room.join(2, Access::full(uuid::Uuid::nil()));
    let bob = Peer::new();
    let step1 = Message::Sync(SyncMessage::SyncStep1(bob.doc.transact().state_vector())).encode_v1();
    let received = room.receive(2, &step1);
    let reply = frames_for(&received.outgoing, 2);
    assert_eq!(reply.len(), 1);
    bob.receive(&reply);
    assert_eq!(bob.text(HeaderText::Lro.key()), "DI Okafor");
}

#[test]
fn a_bad_frame_is_refused_and_changes_nothing() {
    let (mut room, alice) = room_with_alice();
    room.receive(1, &alice.type_into("aim", 0, "Keep me"));
    let (before, _) = room.encode_state();

    let mut truncated = alice.type_into("aim", 0, "lost ");
    truncated.truncate(truncated.len() - 2);
    for bad in [truncated, vec![0, 2, 3, 0xff, 0xff, 0xff], vec![7, 1, 1], vec![]] {
        let received = room.receive(1, &bad);
        assert!(received.rejected.is_some(), "{bad:?} was accepted");
        assert!(received.updates.is_empty() && received.outgoing.is_empty());
    }
    assert_eq!(room.encode_state().0, before);
    assert_eq!(aim_of(&room), "Keep me");
}

#[test]
fn a_room_reloads_from_snapshot_and_log() {
    let (mut room, alice) = room_with_alice();
    let first = room.receive(1, &alice.type_into("aim", 0, "one"));
    let (snapshot, _) = room.encode_state();
    let second = room.receive(1, &alice.type_into("aim", 3, " two"));
    let (reloaded, problems) = Room::load(Some(&snapshot), second.updates.iter().map(|a| a.update.as_slice()), []);
    assert!(problems.is_empty());
    assert_eq!(
        reloaded.plan().section_text(&reloaded.plan().transact(), Section::Aim),
        "one two"
    );
    let (from_log, _) = Room::load(
        None,
        first.updates.iter().chain(&second.updates).map(|a| a.update.as_slice()),
        [],
    );
    assert_eq!(from_log.encode_state().1, reloaded.encode_state().1);
}

/// A frame carrying an edit made on a fresh replica of the room's plan.
fn edit_frame(room: &Room, change: impl FnOnce(&PlanDoc, &mut yrs::TransactionMut)) -> Vec<u8> {
    let replica = PlanDoc::from_state(&room.plan().encode_state()).unwrap();
    let before = replica.transact().state_vector();
    change(&replica, &mut replica.transact_mut());
    let update = replica.transact().encode_state_as_update_v1(&before);
    Message::Sync(SyncMessage::Update(update)).encode_v1()
}

fn member(role: plan::access::Role, agency: &str) -> Access {
    Access {
        user: uuid::Uuid::new_v4(),
        role,
        agency: agency.into(),
        shown_as: String::new(),
    }
}

#[test]
fn updates_are_checked_against_the_senders_role_before_anything_is_applied() {
    use plan::access::Role;
    let mut room = Room::load(None, [], []).0;
    let (lro, partner, viewer) = (
        member(Role::Lro, "Police"),
        member(Role::Partner, "Council"),
        member(Role::Viewer, "Police"),
    );
    room.join(1, lro.clone());
    room.join(2, partner.clone());
    room.join(3, viewer);

    let aim = edit_frame(&room, |p, t| p.set_section_text(t, Section::Aim, "Dismantle"));
    let accepted = room.receive(1, &aim);
    assert_eq!(accepted.updates.len(), 1);
    assert_eq!(accepted.updates[0].user, lro.user);
    assert_eq!(accepted.updates[0].changes[0].field, "aim");

    for (conn, who) in [(2, "partner"), (3, "viewer")] {
        let frame = edit_frame(&room, |p, t| p.set_section_text(t, Section::Aim, "Ours"));
        let refused = room.receive(conn, &frame);
        assert!(refused.updates.is_empty(), "{who}: nothing to store");
        assert!(refused.denied.is_some(), "{who}");
        assert_eq!(
            refused.outgoing.len(),
            1,
            "{who}: only the sender hears, nothing is relayed"
        );
        assert_eq!(refused.outgoing[0].target, Target::One(conn));
        match Message::decode_v1(&refused.outgoing[0].frame()).unwrap() {
            Message::Auth(Some(reason)) => assert!(!reason.is_empty()),
            other => panic!("{who}: expected permission denied, got {other:?}"),
        }
        assert_eq!(aim_of(&room), "Dismantle");
    }

    // Demoted mid-session: the next edit is refused; removed: closed.
    room.set_role(lro.user, Some(Role::Viewer));
    let frame = edit_frame(&room, |p, t| p.set_section_text(t, Section::Aim, "Later"));
    assert!(room.receive(1, &frame).denied.is_some());
    assert_eq!(room.set_role(partner.user, None), vec![2]);
}

mod presence;
