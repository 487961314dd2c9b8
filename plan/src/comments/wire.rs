//! How an [`Anchor`] travels: tagged JSON with hex positions for people
//! and REST clients (`{"kind": "range", ...}`), a plain enum in compact
//! binary formats (postcard, which cannot read tagged forms).

use super::Anchor;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

#[derive(Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
enum Tagged {
    Plan,
    Section {
        section: String,
    },
    Range {
        section: String,
        #[serde(with = "hex_bytes")]
        start: Vec<u8>,
        #[serde(with = "hex_bytes")]
        end: Vec<u8>,
    },
    Action {
        action: String,
    },
}

#[derive(Serialize, Deserialize)]
enum Compact {
    Plan,
    Section(String),
    Range(String, Vec<u8>, Vec<u8>),
    Action(String),
}

impl Serialize for Anchor {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let a = self.clone();
        if s.is_human_readable() {
            match a {
                Anchor::Plan => Tagged::Plan,
                Anchor::Section { section } => Tagged::Section { section },
                Anchor::Range { section, start, end } => Tagged::Range { section, start, end },
                Anchor::Action { action } => Tagged::Action { action },
            }
            .serialize(s)
        } else {
            match a {
                Anchor::Plan => Compact::Plan,
                Anchor::Section { section } => Compact::Section(section),
                Anchor::Range { section, start, end } => Compact::Range(section, start, end),
                Anchor::Action { action } => Compact::Action(action),
            }
            .serialize(s)
        }
    }
}

impl<'de> Deserialize<'de> for Anchor {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Anchor, D::Error> {
        Ok(if d.is_human_readable() {
            match Tagged::deserialize(d)? {
                Tagged::Plan => Anchor::Plan,
                Tagged::Section { section } => Anchor::Section { section },
                Tagged::Range { section, start, end } => Anchor::Range { section, start, end },
                Tagged::Action { action } => Anchor::Action { action },
            }
        } else {
            match Compact::deserialize(d)? {
                Compact::Plan => Anchor::Plan,
                Compact::Section(section) => Anchor::Section { section },
                Compact::Range(section, start, end) => Anchor::Range { section, start, end },
                Compact::Action(action) => Anchor::Action { action },
            }
        })
    }
}

mod hex_bytes {
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(bytes: &[u8], s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&bytes.iter().map(|b| format!("{b:02x}")).collect::<String>())
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<u8>, D::Error> {
        let text = String::deserialize(d)?;
        if text.len() % 2 != 0 || text.len() > 512 || !text.is_ascii() {
            return Err(serde::de::Error::custom(
                "a position is an even number of hex digits, at most 512",
            ));
        }
        (0..text.len())
            .step_by(2)
            .map(|i| u8::from_str_radix(&text[i..i + 2], 16).map_err(serde::de::Error::custom))
            .collect()
    }
}
