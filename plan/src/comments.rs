//! Comments on a plan, free of storage and networking: what a comment is
//! about ([`Anchor`]), its text ([`CommentText`]), where a range comment's
//! words are now ([`locate`]), and who may do what to a thread.
//!
//! A range is anchored with two Yjs sticky (relative) positions in one
//! section's text, so the comment stays on its words while others type
//! around them; when its words are deleted both ends meet, and the comment
//! keeps the quote taken when it was made.

use crate::access::Role;
use crate::template::Section;
use crate::PlanDoc;
use yrs::types::text::TextRef;
use yrs::updates::decoder::Decode;
use yrs::updates::encoder::Encode;
use yrs::{Assoc, GetString, IndexedSequence, ReadTxn, StickyIndex};

/// The longest comment, in characters.
pub const MAX_COMMENT_CHARS: usize = 10_000;
/// The longest quote kept of a range's words, in characters.
pub const MAX_QUOTE_CHARS: usize = 500;

/// What a comment is about. In JSON `{"kind": "range", "section": "aim",
/// "start": hex, "end": hex}` (see [`wire`] for the compact form).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Anchor {
    /// The plan as a whole.
    Plan,
    /// A text section (`aim`, `objectives_pursue`...).
    Section { section: String },
    /// Words inside a section: two encoded sticky positions.
    Range {
        section: String,
        start: Vec<u8>,
        end: Vec<u8>,
    },
    /// An action of Part B, by its id.
    Action { action: String },
}

/// Why an anchor or a text was refused; the text is the user's message.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CommentError {
    #[error("comment: write something")]
    Empty,
    #[error("comment: at most {MAX_COMMENT_CHARS} characters (this one has {0})")]
    TooLong(usize),
    #[error("anchor: there is no section {0:?}")]
    NoSuchSection(String),
    #[error("anchor: there is no action {0:?} on this plan")]
    NoSuchAction(String),
    #[error("anchor: the range is not inside the section's text")]
    OutsideDocument,
}

/// A comment's text: trimmed, not empty, at most [`MAX_COMMENT_CHARS`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CommentText(String);

impl CommentText {
    pub fn parse(text: &str) -> Result<CommentText, CommentError> {
        let text = text.trim();
        match text.chars().count() {
            0 => Err(CommentError::Empty),
            n if n > MAX_COMMENT_CHARS => Err(CommentError::TooLong(n)),
            _ => Ok(CommentText(text.to_string())),
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Where a range's words are in its section now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Located {
    /// UTF-16 offsets into the section's text.
    pub start: u32,
    pub end: u32,
    /// The words there now (empty: they were deleted).
    pub text: String,
}

impl Anchor {
    /// The anchor's section, if it has one.
    pub fn section(&self) -> Result<Option<Section>, CommentError> {
        match self {
            Anchor::Section { section } | Anchor::Range { section, .. } => Section::from_key(section)
                .map(Some)
                .ok_or_else(|| CommentError::NoSuchSection(section.clone())),
            _ => Ok(None),
        }
    }

    /// A range over `start..end` (UTF-16) of `section`'s text, as a page makes it.
    pub fn range<T: ReadTxn>(plan: &PlanDoc, txn: &T, section: Section, start: u32, end: u32) -> Option<Anchor> {
        let text = plan.section_ref(section);
        let start = text.sticky_index(txn, start, Assoc::After)?;
        // The end sticks to the character before it, so typing just after
        // the words does not join them.
        let end = text.sticky_index(txn, end, Assoc::Before)?;
        Some(Anchor::Range {
            section: section.key().to_string(),
            start: start.encode_v1(),
            end: end.encode_v1(),
        })
    }

    /// Checks the anchor against the plan as it is: the section or action
    /// exists, a range lies in its section's text. For a range, the words
    /// it covers now (the quote a new comment keeps).
    pub fn check<T: ReadTxn>(&self, plan: &PlanDoc, txn: &T) -> Result<Option<Located>, CommentError> {
        match self {
            Anchor::Plan | Anchor::Section { .. } => self.section().map(|_| None),
            Anchor::Action { action } => match plan.action_ref(txn, action) {
                Ok(_) => Ok(None),
                Err(_) => Err(CommentError::NoSuchAction(action.clone())),
            },
            Anchor::Range { start, end, .. } => {
                let section = self.section()?.expect("a range has a section");
                let located = locate(plan, txn, section, start, end).ok_or(CommentError::OutsideDocument)?;
                if located.text.is_empty() {
                    // A new comment must be about some words.
                    return Err(CommentError::OutsideDocument);
                }
                Ok(Some(located))
            }
        }
    }
}

/// Where the range `start..end` (encoded sticky positions) of `section` is
/// now; `None` if either is not a position in that section's text.
pub fn locate<T: ReadTxn>(plan: &PlanDoc, txn: &T, section: Section, start: &[u8], end: &[u8]) -> Option<Located> {
    let text: TextRef = plan.section_ref(section);
    let offset = |bytes: &[u8]| {
        let sticky = StickyIndex::decode_v1(bytes).ok()?;
        let offset = sticky.get_offset(txn)?;
        let ours = yrs::branch::BranchPtr::from(AsRef::<yrs::branch::Branch>::as_ref(&text));
        (offset.branch == ours).then_some(offset.index)
    };
    let (start, end) = (offset(start)?, offset(end)?);
    let whole = text.get_string(txn);
    let end = end.max(start);
    Some(Located {
        start,
        end,
        text: utf16_slice(&whole, start, end),
    })
}

/// `text[start..end]` in UTF-16 units, cut to [`MAX_QUOTE_CHARS`].
fn utf16_slice(text: &str, start: u32, end: u32) -> String {
    let units: Vec<u16> = text.encode_utf16().collect();
    let (start, end) = ((start as usize).min(units.len()), (end as usize).min(units.len()));
    String::from_utf16_lossy(&units[start..end])
        .chars()
        .take(MAX_QUOTE_CHARS)
        .collect()
}

/// Whether `role` may resolve or reopen a thread started by someone else
/// (its author always may).
pub fn may_resolve(role: Role) -> bool {
    matches!(role, Role::Lro | Role::PlanOwner | Role::Sio)
}

/// Whether `role` may hide a comment (with a reason).
pub fn may_hide(role: Role) -> bool {
    role == Role::Lro
}

mod wire;

#[cfg(test)]
mod tests;
