//! Presence: who else has the plan open, in which colour, and which field
//! each is in. Carried by the Yjs awareness protocol, whose state is JSON;
//! ours is `{"user": {"name", "color"}, "field"}`, the shape other Yjs
//! editors use for cursors, so a stock client shows a sensible name too.
//!
//! Transport-free: the caller sends the frames [`PresenceBoard`] returns
//! and feeds it the awareness updates [`crate::sync_client`] hands over.

use serde::{Deserialize, Serialize};
use yrs::sync::{Awareness, AwarenessUpdate, Clock, Message};
use yrs::updates::encoder::Encode;
use yrs::Doc;

/// The longest name shown; longer names are cut.
pub const MAX_NAME_CHARS: usize = 60;

/// Colours for people, readable on white and distinct from the RAG colours.
pub const PALETTE: [&str; 8] = [
    "#1f5fbf", "#8a3ffc", "#007d79", "#b8336a", "#6f4e37", "#0b6e99", "#5c6b00", "#9f1853",
];

/// The colour for a seed (a client id), stable for its lifetime.
pub fn colour_for(seed: u64) -> &'static str {
    // Spread sequential ids (client ids are random, test ids are not).
    let mixed = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> 32;
    PALETTE[(mixed % PALETTE.len() as u64) as usize]
}

/// What a person shows the others.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Presence {
    pub user: PresenceUser,
    /// The [`crate::fields::TextField`] key (or another field name) being
    /// edited, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PresenceUser {
    pub name: String,
    pub color: String,
}

/// Another person on the plan, as shown.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Peer {
    pub client_id: u64,
    pub name: String,
    /// Always `#rrggbb`: a colour a peer sent is used only if it is one.
    pub color: String,
    pub field: Option<String>,
}

/// The presence half of one connection. Make a new one per connection: the
/// server forgets a connection's presence when it closes, and a fresh
/// client id is announced from clock 1 without clashing with the old one.
pub struct PresenceBoard {
    awareness: Awareness,
}

impl PresenceBoard {
    /// `clock` gives milliseconds since the epoch (the browser has no
    /// system clock for yrs to use).
    pub fn new(clock: impl Clock + 'static) -> Self {
        PresenceBoard {
            awareness: Awareness::with_clock(Doc::new(), clock),
        }
    }

    pub fn client_id(&self) -> u64 {
        self.awareness.client_id().get()
    }

    /// Sets what this person shows; returns the frame to send.
    pub fn set_local(&mut self, presence: &Presence) -> Option<Vec<u8>> {
        self.awareness.set_local_state(presence).ok()?;
        let update = self.awareness.update_with_clients([self.awareness.client_id()]).ok()?;
        Some(Message::Awareness(update).encode_v1())
    }

    /// Applies presence from the server; `true` if anyone changed.
    pub fn apply(&mut self, update: AwarenessUpdate) -> bool {
        matches!(self.awareness.apply_update_summary(update), Ok(Some(_)))
    }

    /// Everyone else with a readable presence, ordered by name.
    pub fn peers(&self) -> Vec<Peer> {
        let me = self.client_id();
        let mut peers: Vec<Peer> = self
            .awareness
            .iter()
            .filter(|(id, _)| id.get() != me)
            .filter_map(|(id, state)| {
                let presence: Presence = serde_json::from_str(state.data.as_deref()?).ok()?;
                Some(peer(id.get(), presence))
            })
            .collect();
        peers.sort_by(|a, b| (&a.name, a.client_id).cmp(&(&b.name, b.client_id)));
        peers
    }
}

fn peer(client_id: u64, presence: Presence) -> Peer {
    let name: String = presence.user.name.trim().chars().take(MAX_NAME_CHARS).collect();
    let color = presence.user.color;
    let valid_colour = color.len() == 7 && color.starts_with('#') && color[1..].chars().all(|c| c.is_ascii_hexdigit());
    Peer {
        client_id,
        name: if name.is_empty() { "Someone".to_string() } else { name },
        color: if valid_colour {
            color
        } else {
            colour_for(client_id).to_string()
        },
        field: presence.field,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use yrs::block::ClientID;
    use yrs::sync::awareness::AwarenessUpdateEntry;
    use yrs::updates::decoder::Decode;

    fn clock() -> u64 {
        1_700_000_000_000
    }

    fn presence(name: &str, color: &str, field: Option<&str>) -> Presence {
        Presence {
            user: PresenceUser {
                name: name.into(),
                color: color.into(),
            },
            field: field.map(str::to_string),
        }
    }

    fn awareness_of(frame: &[u8]) -> AwarenessUpdate {
        match Message::decode_v1(frame).unwrap() {
            Message::Awareness(update) => update,
            other => panic!("not presence: {other:?}"),
        }
    }

    #[test]
    fn one_persons_presence_reaches_another_with_their_field() {
        let mut ann = PresenceBoard::new(clock);
        let mut bob = PresenceBoard::new(clock);
        let frame = ann
            .set_local(&presence("Ann (Council)", "#1f5fbf", Some("aim")))
            .unwrap();
        assert!(bob.apply(awareness_of(&frame)));
        let peers = bob.peers();
        assert_eq!(peers.len(), 1);
        assert_eq!(peers[0].client_id, ann.client_id());
        assert_eq!(peers[0].name, "Ann (Council)");
        assert_eq!(peers[0].field.as_deref(), Some("aim"));
        assert!(ann.peers().is_empty(), "nobody sees themselves as a peer");

        // Moving to another field is a newer state that replaces the old.
        let frame = ann.set_local(&presence("Ann (Council)", "#1f5fbf", None)).unwrap();
        assert!(bob.apply(awareness_of(&frame)));
        assert_eq!(bob.peers()[0].field, None);
    }

    #[test]
    fn a_peer_that_leaves_disappears() {
        let mut ann = PresenceBoard::new(clock);
        let mut bob = PresenceBoard::new(clock);
        let frame = ann.set_local(&presence("Ann", "#1f5fbf", None)).unwrap();
        bob.apply(awareness_of(&frame));
        // What the server sends when Ann's connection closes.
        let mut gone = awareness_of(&frame);
        gone.clients.insert(
            ClientID::new(ann.client_id()),
            AwarenessUpdateEntry {
                clock: 2,
                json: "null".into(),
            },
        );
        assert!(bob.apply(gone));
        assert!(bob.peers().is_empty());
    }

    #[test]
    fn unreadable_or_hostile_presence_is_shown_safely() {
        let mut bob = PresenceBoard::new(clock);
        let mut update = AwarenessUpdate {
            clients: Default::default(),
        };
        let entry = |json: &str| AwarenessUpdateEntry {
            clock: 1,
            json: json.into(),
        };
        let long = "x".repeat(500);
        update.clients.insert(ClientID::new(1), entry("{\"not\":\"presence\"}"));
        update.clients.insert(ClientID::new(2), entry("definitely not json"));
        update.clients.insert(
            ClientID::new(3),
            entry(&format!(
                r#"{{"user":{{"name":"{long}","color":"red;background:url(x)"}}}}"#
            )),
        );
        update.clients.insert(
            ClientID::new(4),
            entry(r##"{"user":{"name":"   ","color":"#00ff00"}}"##),
        );
        bob.apply(update);
        let peers = bob.peers();
        assert_eq!(peers.len(), 2, "the unreadable two are left out");
        let hostile = peers.iter().find(|p| p.client_id == 3).unwrap();
        assert_eq!(hostile.name.chars().count(), MAX_NAME_CHARS);
        assert_eq!(hostile.color, colour_for(3), "a colour that is not #rrggbb is replaced");
        let blank = peers.iter().find(|p| p.client_id == 4).unwrap();
        assert_eq!((blank.name.as_str(), blank.color.as_str()), ("Someone", "#00ff00"));
    }

    #[test]
    fn colours_come_from_the_palette_and_spread() {
        let used: std::collections::BTreeSet<_> = (1..=8).map(colour_for).collect();
        assert!(used.len() >= 4, "sequential ids get varied colours: {used:?}");
        assert!(used.iter().all(|c| PALETTE.contains(c)));
    }
}
