//! Word-level text differences: what was kept, inserted and deleted.

use serde::{Deserialize, Serialize};

/// A run of text in a comparison.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Piece {
    Same(String),
    Inserted(String),
    Deleted(String),
}

/// Above this many token pairs the texts are shown as replaced whole
/// rather than diffed (the longest-common-subsequence table is n × m).
const MAX_CELLS: usize = 4_000_000;

/// Words and the whitespace between them, so joining gives the text back.
fn tokens(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start = 0;
    let mut in_space = None;
    for (i, c) in text.char_indices() {
        let space = c.is_whitespace();
        if in_space.is_some_and(|s| s != space) {
            out.push(&text[start..i]);
            start = i;
        }
        in_space = Some(space);
    }
    if start < text.len() {
        out.push(&text[start..]);
    }
    out
}

fn push(pieces: &mut Vec<Piece>, piece: Piece) {
    match (pieces.last_mut(), piece) {
        (Some(Piece::Same(a)), Piece::Same(b))
        | (Some(Piece::Inserted(a)), Piece::Inserted(b))
        | (Some(Piece::Deleted(a)), Piece::Deleted(b)) => a.push_str(&b),
        (_, piece) => pieces.push(piece),
    }
}

/// How `old` became `new`, word by word. Equal texts give one `Same`.
pub fn diff_words(old: &str, new: &str) -> Vec<Piece> {
    let (a, b) = (tokens(old), tokens(new));
    let mut pieces = Vec::new();
    if a.len().saturating_mul(b.len()) > MAX_CELLS {
        if !old.is_empty() {
            pieces.push(Piece::Deleted(old.to_string()));
        }
        if !new.is_empty() {
            pieces.push(Piece::Inserted(new.to_string()));
        }
        return pieces;
    }
    // lcs[i][j]: length of the longest common subsequence of a[i..], b[j..].
    let width = b.len() + 1;
    let mut lcs = vec![0u32; (a.len() + 1) * width];
    for i in (0..a.len()).rev() {
        for j in (0..b.len()).rev() {
            lcs[i * width + j] = if a[i] == b[j] {
                lcs[(i + 1) * width + j + 1] + 1
            } else {
                lcs[(i + 1) * width + j].max(lcs[i * width + j + 1])
            };
        }
    }
    let (mut i, mut j) = (0, 0);
    while i < a.len() || j < b.len() {
        if i < a.len() && j < b.len() && a[i] == b[j] {
            push(&mut pieces, Piece::Same(a[i].to_string()));
            i += 1;
            j += 1;
        } else if i < a.len() && (j == b.len() || lcs[(i + 1) * width + j] >= lcs[i * width + j + 1]) {
            // Deletions first, so a replaced word reads "old, then new".
            push(&mut pieces, Piece::Deleted(a[i].to_string()));
            i += 1;
        } else {
            push(&mut pieces, Piece::Inserted(b[j].to_string()));
            j += 1;
        }
    }
    pieces
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_inserted_and_deleted_are_marked_and_the_rest_kept() {
        let pieces = diff_words(
            "Disrupt the Red Kings supply",
            "Dismantle the Red Kings county lines supply",
        );
        assert_eq!(
            pieces,
            [
                Piece::Deleted("Disrupt".into()),
                Piece::Inserted("Dismantle".into()),
                Piece::Same(" the Red Kings ".into()),
                Piece::Inserted("county lines ".into()),
                Piece::Same("supply".into()),
            ]
        );
    }

    #[test]
    fn joining_either_side_gives_the_text_back() {
        let (old, new) = ("a  b\nc d", "a b\nc e  f");
        let pieces = diff_words(old, new);
        let side = |keep_inserted: bool| -> String {
            pieces
                .iter()
                .filter_map(|p| match p {
                    Piece::Same(t) => Some(t.as_str()),
                    Piece::Inserted(t) if keep_inserted => Some(t.as_str()),
                    Piece::Deleted(t) if !keep_inserted => Some(t.as_str()),
                    _ => None,
                })
                .collect()
        };
        assert_eq!((side(false), side(true)), (old.to_string(), new.to_string()));
        assert_eq!(diff_words("same", "same"), [Piece::Same("same".into())]);
        assert_eq!(diff_words("", ""), []);
    }
}
