//! Writing a whole new value into a `Y.Text` as the smallest edit, so that
//! concurrent edits elsewhere in the same text survive.

use yrs::{GetString, Text, TextRef, TransactionMut};

/// Replaces the content of `text` with `new` by deleting and inserting only
/// the span that differs. Offsets are UTF-16 code units (the documents use
/// `OffsetKind::Utf16`, the unit browsers use).
pub fn replace_text(txn: &mut TransactionMut, text: &TextRef, new: &str) {
    let old = text.get_string(txn);
    if old == new {
        return;
    }
    let (start, old_end, new_end) = changed_span(&old, new);
    let start_u16 = utf16_len(&old[..start]);
    let removed_u16 = utf16_len(&old[start..old_end]);
    if removed_u16 > 0 {
        text.remove_range(txn, start_u16, removed_u16);
    }
    if new_end > start {
        text.insert(txn, start_u16, &new[start..new_end]);
    }
}

/// Byte offsets `(start, old_end, new_end)` of the differing middle of two
/// strings, always on char boundaries.
fn changed_span(old: &str, new: &str) -> (usize, usize, usize) {
    let prefix: usize = old
        .chars()
        .zip(new.chars())
        .take_while(|(a, b)| a == b)
        .map(|(a, _)| a.len_utf8())
        .sum();
    let suffix: usize = old[prefix..]
        .chars()
        .rev()
        .zip(new[prefix..].chars().rev())
        .take_while(|(a, b)| a == b)
        .map(|(a, _)| a.len_utf8())
        .sum();
    (prefix, old.len() - suffix, new.len() - suffix)
}

fn utf16_len(s: &str) -> u32 {
    s.encode_utf16().count() as u32
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::new_doc;
    use yrs::Transact;

    fn set_and_read(initial: &str, new: &str) -> String {
        let doc = new_doc();
        let text = doc.get_or_insert_text("t");
        text.insert(&mut doc.transact_mut(), 0, initial);
        replace_text(&mut doc.transact_mut(), &text, new);
        let txn = doc.transact();
        text.get_string(&txn)
    }

    #[test]
    fn replaces_only_the_changed_span() {
        assert_eq!(changed_span("hello world", "hello brave world"), (6, 6, 12));
        assert_eq!(set_and_read("hello world", "hello brave world"), "hello brave world");
        assert_eq!(set_and_read("abc", ""), "");
        assert_eq!(set_and_read("", "xyz"), "xyz");
        assert_eq!(set_and_read("aaa", "aa"), "aa");
    }

    #[test]
    fn handles_text_outside_the_basic_plane() {
        assert_eq!(set_and_read("tier 🚓 one", "tier 🚓🚓 one"), "tier 🚓🚓 one");
        assert_eq!(set_and_read("é🚓x", "é🚓"), "é🚓");
    }
}
