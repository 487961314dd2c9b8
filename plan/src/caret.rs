//! Keeping a person's caret and selection in place while others edit the
//! same text: positions are pinned to the characters around them (yrs
//! sticky indexes), not to numeric offsets, then read back after the change.

use yrs::{Assoc, IndexedSequence, ReadTxn, StickyIndex, TextRef};

/// A selection in UTF-16 code units, as browsers report it. A caret is a
/// selection whose start equals its end.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Selection {
    pub start: u32,
    pub end: u32,
}

/// A selection pinned to the text's characters.
#[derive(Debug, Clone)]
pub struct PinnedSelection {
    start: StickyIndex,
    end: StickyIndex,
}

impl PinnedSelection {
    /// Pins a selection before a remote change is applied. Offsets past the
    /// end of the text are clamped to it.
    pub fn pin<T: ReadTxn>(text: &TextRef, txn: &T, selection: Selection) -> Option<PinnedSelection> {
        let len = yrs::Text::len(text, txn);
        let (start, end) = (selection.start.min(len), selection.end.min(len));
        // The start sticks to the character after it and the end to the one
        // before, so text typed by someone else right at either edge lands
        // outside the selection rather than growing it.
        Some(PinnedSelection {
            start: text.sticky_index(txn, start, Assoc::After)?,
            end: text.sticky_index(txn, end, if start == end { Assoc::After } else { Assoc::Before })?,
        })
    }

    /// Where the selection is now.
    pub fn resolve<T: ReadTxn>(&self, txn: &T) -> Option<Selection> {
        let start = self.start.get_offset(txn)?.index;
        let end = self.end.get_offset(txn)?.index;
        Some(Selection {
            start,
            end: end.max(start),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::new_doc;
    use yrs::{Text, Transact};

    fn check(
        initial: &str,
        selection: (u32, u32),
        remote: impl FnOnce(&TextRef, &mut yrs::TransactionMut),
    ) -> (u32, u32) {
        let doc = new_doc();
        let text = doc.get_or_insert_text("aim");
        text.insert(&mut doc.transact_mut(), 0, initial);
        let pinned = PinnedSelection::pin(
            &text,
            &doc.transact(),
            Selection {
                start: selection.0,
                end: selection.1,
            },
        )
        .unwrap();
        remote(&text, &mut doc.transact_mut());
        let s = pinned.resolve(&doc.transact()).unwrap();
        (s.start, s.end)
    }

    #[test]
    fn a_remote_insert_before_the_caret_moves_it_with_its_text() {
        // Caret after "Disrupt" (7); someone types "Now: " at the start.
        assert_eq!(
            check("Disrupt supply", (7, 7), |t, txn| t.insert(txn, 0, "Now: ")),
            (12, 12)
        );
    }

    #[test]
    fn a_remote_insert_after_the_caret_leaves_it_alone() {
        assert_eq!(
            check("Disrupt supply", (7, 7), |t, txn| t.insert(txn, 14, " chains")),
            (7, 7)
        );
    }

    #[test]
    fn a_selection_keeps_its_words_and_does_not_swallow_edits_at_its_edges() {
        // "supply" selected (8..14); text inserted at both edges stays outside.
        let moved = check("Disrupt supply now", (8, 14), |t, txn| {
            t.insert(txn, 14, "!");
            t.insert(txn, 8, "drug ");
        });
        assert_eq!(moved, (13, 19));
    }

    #[test]
    fn a_remote_delete_around_the_caret_collapses_it_sensibly() {
        // Caret inside "supply" when the word is deleted: it stays where the word was.
        assert_eq!(
            check("Disrupt supply now", (10, 10), |t, txn| t.remove_range(txn, 8, 7)),
            (8, 8)
        );
    }

    #[test]
    fn utf16_offsets_count_as_browsers_do() {
        // "🚓" is two UTF-16 code units.
        assert_eq!(check("ab", (1, 1), |t, txn| t.insert(txn, 0, "🚓")), (3, 3));
    }
}
