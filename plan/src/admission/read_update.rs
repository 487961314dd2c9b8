//! An incoming update read once, by admission's own reader, before it is
//! judged and applied.

use super::decode::{decode, Decoded, OUTSIDE_MODEL};

/// An incoming update as admission's reader read it, before it is judged:
/// the only decoding it gets before it is applied (yrs's own decoder
/// reserves memory for counts before reading what they count). Content
/// outside the plan model reads, and is refused when judged.
#[derive(Debug, Clone, PartialEq)]
pub struct ReadUpdate(pub(crate) Result<Decoded, super::Refusal>);

impl ReadUpdate {
    /// Reads a v1 update; malformed bytes are an error.
    pub fn new(bytes: &[u8]) -> Result<ReadUpdate, String> {
        match decode(bytes) {
            Ok(decoded) => Ok(ReadUpdate(Ok(decoded))),
            Err(e) => match e.strip_prefix(OUTSIDE_MODEL) {
                Some(what) => Ok(ReadUpdate(Err(super::denied(
                    "the update",
                    format!("{what} is not part of a plan"),
                )))),
                None => Err(e),
            },
        }
    }

    /// Whether it writes and deletes nothing (no edit at all).
    pub fn is_empty(&self) -> bool {
        matches!(&self.0, Ok(d) if d.structs.is_empty() && d.deletes.is_empty())
    }
}
