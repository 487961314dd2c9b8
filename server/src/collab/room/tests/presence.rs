//! A room's presence (Yjs awareness): relayed and removed with its
//! connection, shown under the account's name, and holding its client ids
//! for their user, here and from other server nodes.

use super::*;
use crate::collab::room::presence::attributed;

#[test]
fn presence_is_relayed_and_removed_when_its_connection_leaves() {
    let (mut room, _) = Room::load(None, [], []);
    room.join(1, Access::full(uuid::Uuid::nil()));
    room.join(2, Access::full(uuid::Uuid::nil()));
    let received = room.receive(1, &awareness_frame(101, 1, r#"{"user":{"name":"Alice"}}"#));
    assert_eq!(frames_for(&received.outgoing, 2).len(), 1);

    // A later joiner is told who is here.
    let joined = room.join(3, Access::full(uuid::Uuid::nil()));
    assert_eq!(joined.len(), 2, "sync step 1 and the current presence");

    // Another connection cannot overwrite or remove Alice's presence.
    let spoof = room.receive(2, &awareness_frame(101, 5, "null"));
    assert!(spoof.outgoing.is_empty());

    let left = room.leave(1);
    assert_eq!(left.len(), 1);
    let Inbound::Awareness(update) = decode_frame(&left[0].frame()).unwrap().remove(0) else {
        panic!("expected an awareness frame");
    };
    assert_eq!(update.clients[&ClientID::new(101)].json.as_ref(), "null");
    assert_eq!(room.connection_count(), 2);
    assert!(
        room.join(4, Access::full(uuid::Uuid::nil())).len() == 1,
        "nobody is present any more"
    );
}

#[test]
fn presence_carries_the_accounts_name_whatever_the_client_claims() {
    let mut room = Room::load(None, [], []).0;
    let mut pat = member(plan::access::Role::Partner, "Council");
    pat.shown_as = "Pat (Council)".into();
    room.join(1, pat);
    room.join(2, Access::full(uuid::Uuid::nil()));
    let spoof = room.receive(
        1,
        &awareness_frame(
            7,
            1,
            r##"{"user":{"name":"The Chief Constable","color":"#000000"},"field":"aim"}"##,
        ),
    );
    let relayed = &spoof.outgoing[0].frame();
    let Message::Awareness(update) = Message::decode_v1(relayed).unwrap() else {
        panic!("presence")
    };
    let json: serde_json::Value = serde_json::from_str(&update.clients.values().next().unwrap().json).unwrap();
    assert_eq!(json["user"]["name"], "Pat (Council)");
    assert_eq!(json["field"], "aim", "the rest is kept");
    let junk = room.receive(1, &awareness_frame(8, 1, "not json"));
    assert!(junk.outgoing.is_empty(), "unreadable presence is dropped");
    assert!(attributed("null", "x").as_deref() == Some("null"));
    assert_eq!(attributed("[1]", "x"), None);
}

/// Presence shows everyone a client id before its user writes under it. A
/// member who copies it and writes first must not take it: the id is held
/// for the user who announced it, for edits and presence alike.
#[test]
fn a_client_id_announced_in_presence_stays_its_users() {
    let (mut room, _) = Room::load(None, [], []);
    let (ann, ben) = (uuid::Uuid::new_v4(), uuid::Uuid::new_v4());
    room.join(1, Access::full(ann));
    room.join(2, Access::full(ben));
    room.receive(1, &awareness_frame(42, 1, r#"{"user":{"name":"Ann"}}"#));

    let squat = room.receive(2, &Peer::with_client(42).type_into("aim", 0, "Ben's words"));
    assert!(squat.updates.is_empty(), "Ben's update under Ann's id is not admitted");
    assert!(
        squat.denied.as_deref().unwrap_or("").contains("another user"),
        "{:?}",
        squat.denied
    );

    let hers = room.receive(1, &Peer::with_client(42).type_into("aim", 0, "Ann's words"));
    assert_eq!(hers.updates.len(), 1, "{:?}", hers.denied);
    assert_eq!(hers.updates[0].claimed, [42]);

    // Once Ann has gone, her id is still not Ben's, to write or to show.
    room.leave(1);
    let again = room.receive(2, &awareness_frame(42, 2, r#"{"user":{"name":"Ann"}}"#));
    assert!(again.outgoing.is_empty(), "Ben cannot show himself under Ann's id");
}

/// The same holds for an id announced on another server node: its notice
/// says whose it is.
#[test]
fn a_client_id_announced_on_another_node_stays_its_users() {
    let (mut room, _) = Room::load(None, [], []);
    let (ann, ben) = (uuid::Uuid::new_v4(), uuid::Uuid::new_v4());
    room.join(2, Access::full(ben));
    let AwarenessFrame(update) = AwarenessFrame::of(43, r#"{"user":{"name":"Ann"}}"#);
    room.apply_remote_presence(uuid::Uuid::new_v4(), update, &[(43, ann)]);

    let squat = room.receive(2, &Peer::with_client(43).type_into("aim", 0, "Ben's words"));
    assert!(squat.updates.is_empty() && squat.denied.is_some());

    // Ann, reconnected here, writes under it.
    room.join(3, Access::full(ann));
    let hers = room.receive(3, &Peer::with_client(43).type_into("aim", 0, "Ann's words"));
    assert_eq!(hers.updates.len(), 1, "{:?}", hers.denied);
}

struct AwarenessFrame(AwarenessUpdate);

impl AwarenessFrame {
    fn of(client: u64, json: &str) -> Self {
        let mut update = AwarenessUpdate {
            clients: Default::default(),
        };
        update.clients.insert(
            ClientID::new(client),
            yrs::sync::awareness::AwarenessUpdateEntry {
                clock: 1,
                json: json.into(),
            },
        );
        AwarenessFrame(update)
    }
}
