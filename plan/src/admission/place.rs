//! Places in a plan: where an item of the document sits, in the terms the
//! permission rules and the audit trail use (root, action id, field).
//!
//! The layout is the one [`crate::doc`] and [`crate::actions`] describe;
//! anything else in a document is outside the plan model.

use crate::fields::ActionText;
use crate::header::HeaderText;
use crate::strategy::ThreatKey;
use crate::template::{standard_objective, Section};
use crate::vocabulary::P;
use std::sync::Arc;

/// Where an item sits.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Place {
    /// Characters of a root text: a header text or a section (its key).
    Text(&'static str),
    /// A value of the `header` map.
    Header(Arc<str>),
    /// A standard objective's 'Y'.
    Objective(Arc<str>),
    /// A Control Strategy threat tag: any well-formed key (whether it may
    /// be tagged is the current strategy's to say, see [`super::Gate`]).
    Threat(Arc<str>),
    /// A custom objective's entry (its map).
    Custom(Arc<str>),
    /// A value or the text of a custom objective (`p`, `selected`, `text`).
    CustomField(Arc<str>, &'static str),
    /// Characters of a custom objective's text.
    CustomText(Arc<str>),
    /// An action's entry (its map).
    Action(Arc<str>),
    /// A value of an action, or one of its shared texts or its Ps map.
    ActionField(Arc<str>, &'static str),
    /// One P of an action's Ps.
    ActionP(Arc<str>, P),
    /// Characters of an action's text, owner name or update.
    ActionText(Arc<str>, ActionText),
    /// Inside something deleted: whatever lands here changes nothing.
    Gone,
    /// Found in a stored document but outside the plan model (written
    /// before the model was enforced): nobody writes or deletes here.
    Foreign,
}

/// What an item holds, as far as placing its children goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Chars,
    Value,
    Map,
    Text,
    /// An item whose content was deleted: it still has its place, but
    /// what names it as a parent lands nowhere.
    Deleted,
    /// Garbage collected, or never placed: holds nothing, places nothing.
    Gc,
}

/// An item's place and kind.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Slot {
    pub place: Place,
    pub kind: Kind,
}

/// The keys of the `header` map.
pub const HEADER_KEYS: [&str; 5] = ["subject_kind", "tier", "marking", "created", "last_review"];

/// The keys of an action's map, and which hold shared types.
pub const ACTION_KEYS: [(&str, Option<Kind>); 10] = [
    ("ps", Some(Kind::Map)),
    ("date", None),
    ("target_date", None),
    ("text", Some(Kind::Text)),
    ("owner_name", Some(Kind::Text)),
    ("owner_agency", None),
    ("update", Some(Kind::Text)),
    ("status", None),
    ("disruption", None),
    ("submitted", None),
];

/// The keys of a custom objective's map.
pub const CUSTOM_KEYS: [(&str, Option<Kind>); 3] = [("p", None), ("text", Some(Kind::Text)), ("selected", None)];

fn root_text(name: &str) -> Option<&'static str> {
    HeaderText::ALL
        .iter()
        .map(|h| h.key())
        .find(|k| *k == name)
        .or_else(|| Section::from_key(name).map(|s| s.key()))
}

fn known(keys: &'static [(&'static str, Option<Kind>)], key: &str) -> Option<(&'static str, Option<Kind>)> {
    keys.iter().copied().find(|(k, _)| *k == key)
}

/// The place of an item whose parent is the root type `root`, under `key`.
pub fn in_root(root: &str, key: Option<&Arc<str>>) -> Result<Place, String> {
    let outside = || format!("{root:?} is not part of a plan");
    match (root_text(root), key) {
        (Some(text), None) => return Ok(Place::Text(text)),
        (Some(_), Some(k)) => return Err(format!("a text has no key {k:?}")),
        (None, _) => {}
    }
    const MAPS: [&str; 5] = ["header", "objectives", "threats", "custom_objectives", "actions"];
    if !MAPS.contains(&root) {
        return Err(outside());
    }
    let Some(key) = key.cloned() else {
        return Err(format!("{root:?} holds only keyed entries"));
    };
    match root {
        "header" if HEADER_KEYS.contains(&&*key) => Ok(Place::Header(key)),
        "header" => Err(format!("the header has no field {key:?}")),
        "objectives" if standard_objective(&key).is_some() => Ok(Place::Objective(key)),
        "objectives" => Err(format!("there is no standard objective {key:?}")),
        "threats" if ThreatKey::parse(&key).is_ok() => Ok(Place::Threat(key)),
        "threats" => Err(format!("{key:?} is not a threat key")),
        "custom_objectives" => Ok(Place::Custom(key)),
        "actions" => Ok(Place::Action(key)),
        _ => Err(outside()),
    }
}

/// The place of an item inside the shared type `parent` holds, under `key`.
pub fn inside(parent: &Slot, key: Option<&Arc<str>>) -> Result<Place, String> {
    let key_str = key.map(|k| &**k);
    match (&parent.place, parent.kind, key_str) {
        (Place::Foreign, _, _) => Ok(Place::Foreign),
        (Place::Gone, _, _) | (_, Kind::Deleted | Kind::Gc, _) => Ok(Place::Gone),
        (Place::Action(id), Kind::Map, Some(k)) => match known(&ACTION_KEYS, k) {
            Some((field, _)) => Ok(Place::ActionField(id.clone(), field)),
            None => Err(format!("an action has no field {k:?}")),
        },
        (Place::ActionField(id, "ps"), Kind::Map, Some(k)) => match P::ALL.iter().find(|p| p.as_str() == k) {
            Some(p) => Ok(Place::ActionP(id.clone(), *p)),
            None => Err(format!("{k:?} is not one of the four Ps")),
        },
        (Place::ActionField(id, field), Kind::Text, None) => match ActionText::ALL.iter().find(|t| t.key() == *field) {
            Some(part) => Ok(Place::ActionText(id.clone(), *part)),
            None => Err(format!("an action's {field} is not a text")),
        },
        (Place::Custom(id), Kind::Map, Some(k)) => match known(&CUSTOM_KEYS, k) {
            Some((field, _)) => Ok(Place::CustomField(id.clone(), field)),
            None => Err(format!("an objective has no field {k:?}")),
        },
        (Place::CustomField(id, "text"), Kind::Text, None) => Ok(Place::CustomText(id.clone())),
        (place, kind, _) => Err(format!("{} cannot hold {kind:?} content here", describe(place))),
    }
}

/// The shared type a field must hold, if any (`ps` a map; texts a text).
pub fn structural(place: &Place) -> Option<Kind> {
    match place {
        Place::Action(_) | Place::Custom(_) => Some(Kind::Map),
        Place::ActionField(_, field) => known(&ACTION_KEYS, field).and_then(|(_, kind)| kind),
        Place::CustomField(_, field) => known(&CUSTOM_KEYS, field).and_then(|(_, kind)| kind),
        _ => None,
    }
}

/// Characters belong in texts; single values in map entries.
pub fn holds_chars(place: &Place) -> bool {
    matches!(place, Place::Text(_) | Place::ActionText(..) | Place::CustomText(_))
}

/// The action or custom objective a place belongs to.
pub fn entity(place: &Place) -> Option<&Arc<str>> {
    match place {
        Place::Action(id)
        | Place::ActionField(id, _)
        | Place::ActionP(id, _)
        | Place::ActionText(id, _)
        | Place::Custom(id)
        | Place::CustomField(id, _)
        | Place::CustomText(id) => Some(id),
        _ => None,
    }
}

/// The stable key the audit trail and refusals name a place by.
pub fn describe(place: &Place) -> String {
    match place {
        Place::Text(key) => key.to_string(),
        Place::Header(key) => key.to_string(),
        Place::Objective(id) | Place::Custom(id) | Place::CustomText(id) => format!("objective:{id}"),
        Place::CustomField(id, field) => format!("objective:{id}:{field}"),
        Place::Threat(id) => format!("threat:{id}"),
        Place::Action(id) => format!("action:{id}"),
        Place::ActionField(id, field) => format!("action:{id}:{field}"),
        Place::ActionP(id, _) => format!("action:{id}:ps"),
        Place::ActionText(id, part) => format!("action:{id}:{}", part.key()),
        Place::Gone => "something deleted".into(),
        Place::Foreign => "content outside the plan model".into(),
    }
}
