//! Reads a v1 Yjs update into the structs and deletions it carries, without
//! integrating anything: what admission judges.
//!
//! yrs decodes updates into types whose fields it keeps private, so this is
//! a reader of the same wire format (lib0 v1, as in yrs' `Update::decode`)
//! that keeps what admission needs: each struct's id and length, where it
//! says it goes (origins, explicit parent and key), and its content. Client
//! ids are checked against the 53 bits Yjs allows before anything is built
//! from them, and nothing here allocates more than the bytes it was given
//! can fill.

use std::sync::Arc;
use yrs::encoding::read::Read;
use yrs::updates::decoder::{Decoder, DecoderV1};
use yrs::Any;

/// The largest client id Yjs produces (53 bits, safe in JavaScript).
pub const MAX_CLIENT: u64 = (1 << 53) - 1;

/// A struct's id: who wrote it and at which clock.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Id {
    pub client: u64,
    pub clock: u32,
}

impl std::fmt::Display for Id {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}#{}", self.client, self.clock)
    }
}

/// Where a struct with no origins says it goes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Parent {
    /// A root type, by name.
    Root(Arc<str>),
    /// The shared type held by this item.
    Item(Id),
}

/// What a struct holds.
#[derive(Debug, Clone, PartialEq)]
pub enum Content {
    /// Characters of a text (`len` UTF-16 units).
    Chars,
    /// Plain values (a map entry holds one).
    Values(Vec<Any>),
    /// Content that was inserted and deleted again.
    Deleted,
    /// A new shared map.
    Map,
    /// A new shared text.
    Text,
    /// Content the plan model never holds, found in a stored document
    /// (only [`decode_stored`] yields it).
    Foreign,
}

/// An inserted item.
#[derive(Debug, Clone, PartialEq)]
pub struct ItemStruct {
    pub origin: Option<Id>,
    pub right_origin: Option<Id>,
    /// Only present when both origins are absent.
    pub parent: Option<Parent>,
    /// The map key, only present when both origins are absent.
    pub key: Option<Arc<str>>,
    pub content: Content,
}

#[derive(Debug, Clone, PartialEq)]
pub enum StructKind {
    Item(ItemStruct),
    /// Garbage-collected content: ids that exist and are deleted.
    Gc,
    /// A gap the sender skipped over.
    Skip,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Struct {
    pub id: Id,
    pub len: u32,
    pub kind: StructKind,
}

/// A decoded update: structs grouped by client (in clock order within each
/// client), then the ranges it deletes.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Decoded {
    pub structs: Vec<Struct>,
    /// `(client, start..end)` clock ranges.
    pub deletes: Vec<(u64, std::ops::Range<u32>)>,
}

const HAS_ORIGIN: u8 = 0b1000_0000;
const HAS_RIGHT_ORIGIN: u8 = 0b0100_0000;
const HAS_PARENT_SUB: u8 = 0b0010_0000;
const GC: u8 = 0;
const SKIP: u8 = 10;

pub use super::read_update::ReadUpdate;

/// Decodes a v1 update. Any malformed or trailing byte is an error, and so
/// is content the plan model never holds.
pub fn decode(bytes: &[u8]) -> Result<Decoded, String> {
    decode_with(bytes, false)
}

/// Decodes a document's state as yrs encoded it, keeping content outside
/// the model (written before the model was enforced) as [`Content::Foreign`].
pub fn decode_stored(bytes: &[u8]) -> Result<Decoded, String> {
    decode_with(bytes, true)
}

fn decode_with(bytes: &[u8], tolerant: bool) -> Result<Decoded, String> {
    let mut d = DecoderV1::from(bytes);
    let mut out = Decoded::default();
    let clients: u32 = d.read_var().map_err(bad)?;
    let mut seen = std::collections::HashSet::new();
    for _ in 0..clients {
        let count: u32 = d.read_var().map_err(bad)?;
        let client = read_client(&mut d)?;
        if !seen.insert(client) {
            return Err(format!("client {client} appears twice in one update"));
        }
        let mut clock: u32 = d.read_var().map_err(bad)?;
        for _ in 0..count {
            let (len, kind) = read_struct(&mut d, tolerant)?;
            if len == 0 {
                continue; // yrs drops empty items without advancing the clock
            }
            let id = Id { client, clock };
            clock = clock
                .checked_add(len)
                .ok_or_else(|| format!("struct {id} runs past the last clock"))?;
            out.structs.push(Struct { id, len, kind });
        }
    }
    let clients: u32 = d.read_var().map_err(bad)?;
    for _ in 0..clients {
        let client = read_client(&mut d)?;
        let ranges: u32 = d.read_var().map_err(bad)?;
        for _ in 0..ranges {
            let start = d.read_ds_clock().map_err(bad)?;
            let len = d.read_ds_len().map_err(bad)?;
            let end = start
                .checked_add(len)
                .ok_or_else(|| format!("deleted range {client}#{start}+{len} runs past the last clock"))?;
            // yrs keeps an empty range, and leaves one past the client's
            // clock pending: no encoder writes one, so it is refused.
            if len == 0 {
                return Err(format!("{OUTSIDE_MODEL}an empty deleted range {client}#{start}"));
            }
            out.deletes.push((client, start..end));
        }
    }
    if d.read_u8().is_ok() {
        return Err("trailing bytes after the update".into());
    }
    Ok(out)
}

fn bad(e: yrs::encoding::read::Error) -> String {
    format!("malformed update: {e}")
}

fn read_client(d: &mut DecoderV1) -> Result<u64, String> {
    let client: u64 = d.read_var().map_err(bad)?;
    if client > MAX_CLIENT {
        return Err(format!("client id {client} is over 53 bits"));
    }
    Ok(client)
}

fn read_id(d: &mut DecoderV1) -> Result<Id, String> {
    let client = read_client(d)?;
    let clock = d.read_var().map_err(bad)?;
    Ok(Id { client, clock })
}

fn read_struct(d: &mut DecoderV1, tolerant: bool) -> Result<(u32, StructKind), String> {
    let info = d.read_info().map_err(bad)?;
    match info {
        SKIP => Ok((d.read_var().map_err(bad)?, StructKind::Skip)),
        GC => Ok((d.read_len().map_err(bad)?, StructKind::Gc)),
        _ => {
            let origin = (info & HAS_ORIGIN != 0).then(|| read_id(d)).transpose()?;
            let right_origin = (info & HAS_RIGHT_ORIGIN != 0).then(|| read_id(d)).transpose()?;
            let explicit = origin.is_none() && right_origin.is_none();
            let parent = if explicit {
                Some(if d.read_parent_info().map_err(bad)? {
                    Parent::Root(d.read_string().map_err(bad)?.into())
                } else {
                    Parent::Item(read_id(d)?)
                })
            } else {
                None
            };
            let key = if explicit && info & HAS_PARENT_SUB != 0 {
                Some(d.read_string().map_err(bad)?.into())
            } else {
                None
            };
            let (len, content) = if tolerant {
                read_any_content(d, info)?
            } else {
                read_content(d, info & 0b1111)?
            };
            let item = ItemStruct {
                origin,
                right_origin,
                parent,
                key,
                content,
            };
            Ok((len, StructKind::Item(item)))
        }
    }
}

/// Reads any content with yrs' own decoder: only for states yrs encoded.
fn read_any_content(d: &mut DecoderV1, info: u8) -> Result<(u32, Content), String> {
    use yrs::block::ItemContent;
    use yrs::types::TypeRef;
    let content = ItemContent::decode(d, info).map_err(bad)?;
    let kind = match &content {
        ItemContent::Deleted(_) => Content::Deleted,
        ItemContent::String(_) => Content::Chars,
        ItemContent::Any(values) => Content::Values(values.clone()),
        ItemContent::Type(branch) => match branch.type_ref() {
            TypeRef::Map => Content::Map,
            TypeRef::Text => Content::Text,
            _ => Content::Foreign,
        },
        _ => Content::Foreign,
    };
    Ok((content.len_utf16(), kind))
}

/// Reads a content of the kinds the plan model holds; for any other kind
/// the rest of the update is not read (it is refused whole anyway).
fn read_content(d: &mut DecoderV1, kind: u8) -> Result<(u32, Content), String> {
    match kind {
        1 => Ok((d.read_len().map_err(bad)?, Content::Deleted)),
        4 => {
            let s = d.read_string().map_err(bad)?;
            Ok((s.encode_utf16().count() as u32, Content::Chars))
        }
        8 => {
            let len = d.read_len().map_err(bad)?;
            // Each value takes at least one byte: never reserve more than remain.
            let mut values = Vec::new();
            for _ in 0..len {
                values.push(d.read_any().map_err(bad)?);
            }
            Ok((len, Content::Values(values)))
        }
        7 => match d.read_type_ref().map_err(bad)? {
            1 => Ok((1, Content::Map)),
            2 => Ok((1, Content::Text)),
            0 => Err(other("an array")),
            3..=6 => Err(other("an XML type")),
            9 => Err(other("a sub-document")),
            n => Err(format!("unknown shared type {n}")),
        },
        2 => Err(other("JSON content")),
        3 => Err(other("binary content")),
        5 => Err(other("an embed")),
        6 => Err(other("text formatting")),
        9 => Err(other("a sub-document")),
        n => Err(format!("unknown content kind {n}")),
    }
}

/// Content the plan model never holds is refused where it is met; the
/// marker prefix lets the caller tell it from malformed bytes.
fn other(what: &'static str) -> String {
    format!("{OUTSIDE_MODEL}{what}")
}

/// Prefix of a decoding error that is about the model, not the bytes.
pub const OUTSIDE_MODEL: &str = "outside the plan model: ";
