//! Redaction: masking a passage in every stored copy of a plan without
//! changing the document's structure.
//!
//! Yjs identifies each character of a text by (client, clock) and counts a
//! text item's length in UTF-16 units, so replacing each unit of the
//! passage by one [`MASK`] unit keeps every id, origin, state vector and
//! delete set as it was: updates rewritten this way still merge with each
//! other, and with states encoded before, exactly as the originals did.
//! [`locate`] finds the ids of the passage's characters in the version of
//! the plan where the passage stands, [`redact_update`] rewrites one v1
//! update or state (bytes in, bytes out), and [`scrub_text`] masks copies
//! of the passage kept as plain text (audit values, stored exports).

use crate::fields::TextField;
use crate::PlanDoc;
use std::collections::BTreeMap;
use std::ops::Range;
use yrs::block::ItemContent;
use yrs::encoding::read::Read;
use yrs::encoding::write::Write;
use yrs::updates::decoder::{Decoder, DecoderV1};
use yrs::updates::encoder::{Encoder, EncoderV1};
use yrs::{GetString, IndexedSequence};

/// What a redacted character becomes (one UTF-16 unit, like each unit it
/// replaces).
pub const MASK: char = '\u{2588}';

/// The shortest passage that may be redacted: shorter ones would mask
/// too much of other text kept as plain copies.
pub const MIN_PASSAGE: usize = 3;

/// The shortest start or end of a passage that [`scrub_text`] masks where
/// it ends or starts a text.
pub const MIN_PARTIAL: usize = 8;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RedactError {
    #[error("text: a passage to redact must be at least {MIN_PASSAGE} characters")]
    TooShort,
    #[error("field: {0:?} is not a field of this version of the plan")]
    NoField(String),
    #[error("text: the passage is not in {0} in that version of the plan")]
    NotFound(String),
    #[error("a stored update is unreadable: {0}")]
    Malformed(String),
}

/// The characters to mask, by (client, clock ranges).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Passage {
    ranges: BTreeMap<u64, Vec<Range<u32>>>,
}

impl Passage {
    /// Adds one character unit.
    fn add(&mut self, client: u64, clock: u32) {
        let ranges = self.ranges.entry(client).or_default();
        match ranges.last_mut() {
            Some(last) if last.end == clock => last.end += 1,
            _ => ranges.push(clock..clock + 1),
        }
    }

    pub fn contains(&self, client: u64, clock: u32) -> bool {
        self.ranges
            .get(&client)
            .is_some_and(|r| r.iter().any(|range| range.contains(&clock)))
    }

    /// How many character units it masks.
    pub fn len(&self) -> usize {
        self.ranges.values().flatten().map(|r| r.len()).sum()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// The ids of the characters of every occurrence of `passage` in `field`
/// of `doc` (the version where the passage stands). Where a later edit
/// kept some of those characters (a diff reusing a common start), they are
/// masked where they stand now too: they are the passage's.
pub fn locate(doc: &PlanDoc, field: &TextField, passage: &str) -> Result<Passage, RedactError> {
    if passage.chars().count() < MIN_PASSAGE {
        return Err(RedactError::TooShort);
    }
    let txn = doc.transact();
    let text = doc
        .text_ref(&txn, field)
        .ok_or_else(|| RedactError::NoField(field.to_string()))?;
    let content = text.get_string(&txn);
    let mut found = Passage::default();
    for (at, _) in content.match_indices(passage) {
        // Offsets in the document are UTF-16 units.
        let start = content[..at].encode_utf16().count() as u32;
        for unit in start..start + passage.encode_utf16().count() as u32 {
            let id = text
                .sticky_index(&txn, unit, yrs::Assoc::After)
                .and_then(|s| s.id().copied())
                .ok_or_else(|| RedactError::NotFound(field.to_string()))?;
            found.add(id.client.get(), id.clock);
        }
    }
    if found.is_empty() {
        return Err(RedactError::NotFound(field.to_string()));
    }
    Ok(found)
}

const HAS_ORIGIN: u8 = 0b1000_0000;
const HAS_RIGHT_ORIGIN: u8 = 0b0100_0000;
const HAS_PARENT_SUB: u8 = 0b0010_0000;
const GC: u8 = 0;
const SKIP: u8 = 10;
const STRING: u8 = 4;
const JSON: u8 = 2;

/// `update` (a v1 update or encoded state) with the passage's characters
/// masked; every other byte means what it meant. Returns `None` when the
/// update holds none of them (store it as it is).
pub fn redact_update(update: &[u8], passage: &Passage) -> Result<Option<Vec<u8>>, RedactError> {
    let bad = |e: yrs::encoding::read::Error| RedactError::Malformed(e.to_string());
    let mut d = DecoderV1::from(update);
    let mut e = EncoderV1::new();
    let mut changed = false;
    let clients: u32 = d.read_var().map_err(bad)?;
    e.write_var(clients);
    for _ in 0..clients {
        let count: u32 = d.read_var().map_err(bad)?;
        let client = d.read_client().map_err(bad)?;
        let mut clock: u32 = d.read_var().map_err(bad)?;
        e.write_var(count);
        e.write_client(client);
        e.write_var(clock);
        for _ in 0..count {
            let info = d.read_info().map_err(bad)?;
            e.write_info(info);
            let len = match info {
                SKIP => {
                    let len: u32 = d.read_var().map_err(bad)?;
                    e.write_var(len);
                    len
                }
                GC => {
                    let len = d.read_len().map_err(bad)?;
                    e.write_len(len);
                    len
                }
                _ => {
                    if info & HAS_ORIGIN != 0 {
                        e.write_left_id(&d.read_left_id().map_err(bad)?);
                    }
                    if info & HAS_RIGHT_ORIGIN != 0 {
                        e.write_right_id(&d.read_right_id().map_err(bad)?);
                    }
                    if info & (HAS_ORIGIN | HAS_RIGHT_ORIGIN) == 0 {
                        let named = d.read_parent_info().map_err(bad)?;
                        e.write_parent_info(named);
                        if named {
                            e.write_string(&d.read_string().map_err(bad)?);
                        } else {
                            e.write_left_id(&d.read_left_id().map_err(bad)?);
                        }
                        if info & HAS_PARENT_SUB != 0 {
                            e.write_string(&d.read_string().map_err(bad)?);
                        }
                    }
                    if info & 0b1111 == JSON {
                        // yrs reads one more JSON string than it writes.
                        return Err(RedactError::Malformed("JSON content is not supported".into()));
                    }
                    let mut content = ItemContent::decode(&mut d, info).map_err(bad)?;
                    if info & 0b1111 == STRING {
                        if let ItemContent::String(s) = &content {
                            if let Some(masked) = mask(s.as_str(), client.get(), clock, passage) {
                                content = ItemContent::String(masked.as_str().into());
                                changed = true;
                            }
                        }
                    }
                    content.encode(&mut e);
                    content.len_utf16()
                }
            };
            clock = clock.saturating_add(len);
        }
    }
    let clients: u32 = d.read_var().map_err(bad)?;
    e.write_var(clients);
    for _ in 0..clients {
        e.write_client(d.read_client().map_err(bad)?);
        let ranges: u32 = d.read_var().map_err(bad)?;
        e.write_var(ranges);
        for _ in 0..ranges {
            e.write_ds_clock(d.read_ds_clock().map_err(bad)?);
            e.write_ds_len(d.read_ds_len().map_err(bad)?);
        }
    }
    if d.read_u8().is_ok() {
        return Err(RedactError::Malformed("trailing bytes after the update".into()));
    }
    Ok(changed.then(|| e.to_vec()))
}

/// `text` (an item starting at `client`#`clock`) with the passage's units
/// masked, or `None` if it holds none of them.
fn mask(text: &str, client: u64, clock: u32, passage: &Passage) -> Option<String> {
    let mut units: Vec<u16> = text.encode_utf16().collect();
    let mut changed = false;
    for (i, unit) in units.iter_mut().enumerate() {
        if passage.contains(client, clock + i as u32) {
            *unit = MASK as u16;
            changed = true;
        }
    }
    // A surrogate pair cut in two by the passage's edge keeps its length as
    // U+FFFD (one unit, like the half it replaces).
    changed.then(|| String::from_utf16_lossy(&units))
}

/// `text` with each occurrence of `passage`, and a start or end of it of at
/// least [`MIN_PARTIAL`] characters left at the end or start of the text (a
/// value recorded mid-typing), masked character for character; `None` if
/// nothing was masked.
pub fn scrub_text(text: &str, passage: &str) -> Option<String> {
    if passage.chars().count() < MIN_PASSAGE {
        return None;
    }
    let masked = |s: &str| MASK.to_string().repeat(s.chars().count());
    let mut out = text.replace(passage, &masked(passage));
    let starts: Vec<usize> = passage.char_indices().map(|(i, _)| i).skip(MIN_PARTIAL).collect();
    // The longest start of the passage that ends the text.
    for end in starts.iter().copied().rev() {
        let head = &passage[..end];
        if let Some(rest) = out.strip_suffix(head) {
            out = format!("{rest}{}", masked(head));
            break;
        }
    }
    // The longest end of the passage that starts the text.
    let ends: Vec<usize> = passage.char_indices().map(|(i, _)| i).skip(1).collect();
    for start in ends {
        let tail = &passage[start..];
        if tail.chars().count() < MIN_PARTIAL {
            break;
        }
        if let Some(rest) = out.strip_prefix(tail) {
            out = format!("{}{rest}", masked(tail));
            break;
        }
    }
    (out != text).then_some(out)
}

/// Every string in a JSON value scrubbed with [`scrub_text`]; whether any was.
pub fn scrub_json(value: &mut serde_json::Value, passage: &str) -> bool {
    match value {
        serde_json::Value::String(s) => match scrub_text(s, passage) {
            Some(masked) => {
                *s = masked;
                true
            }
            None => false,
        },
        serde_json::Value::Array(items) => items.iter_mut().fold(false, |any, v| scrub_json(v, passage) | any),
        serde_json::Value::Object(map) => map.values_mut().fold(false, |any, v| scrub_json(v, passage) | any),
        _ => false,
    }
}

/// A redaction asked for: the passage `text` as it stands in `field` (a
/// [`TextField`] key) of version `at` (`seq-N`, `review-N` or `now`), and
/// why it is redacted.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct RedactRequest {
    pub at: String,
    pub field: String,
    pub text: String,
    pub reason: String,
}

/// A redaction done, as the audit trail keeps it: never the passage.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Redacted {
    pub field: String,
    pub at: String,
    pub reason: String,
    /// Characters (UTF-16 units) masked in the document.
    pub masked: usize,
    /// Stored rows rewritten.
    pub rows: usize,
}
