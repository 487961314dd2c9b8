//! The passwords refused as too common: a list of 414,573 bundled with the
//! server (`server/data/common-passwords.txt`, where its source and licence
//! are named), lower-cased and sorted by bytes. It is searched in place, by
//! bisecting the text on its line breaks, so it costs no memory beyond the
//! binary's own and nothing to load.

/// The bundled list: one lower-case password per line, sorted by bytes.
static LIST: &str = include_str!("../../data/common-passwords.txt");

/// Whether `password`, whatever its case, is on the bundled list.
pub fn is_common(password: &str) -> bool {
    contains(LIST, &password.to_lowercase())
}

/// Whether the sorted, newline-terminated `list` has the line `word`.
fn contains(list: &str, word: &str) -> bool {
    if word.contains('\n') {
        return false;
    }
    let bytes = list.as_bytes();
    // Both ends always sit at the start of a line (or the end of the text).
    let (mut lo, mut hi) = (0, bytes.len());
    while lo < hi {
        let mid = lo + (hi - lo) / 2;
        let start = bytes[lo..mid]
            .iter()
            .rposition(|&b| b == b'\n')
            .map_or(lo, |at| lo + at + 1);
        let end = bytes[start..hi]
            .iter()
            .position(|&b| b == b'\n')
            .map_or(hi, |at| start + at);
        match bytes[start..end].cmp(word.as_bytes()) {
            std::cmp::Ordering::Equal => return true,
            std::cmp::Ordering::Less => lo = end + 1,
            std::cmp::Ordering::Greater => hi = start,
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_bundled_list_is_large_sorted_and_lower_case() {
        let lines: Vec<&str> = LIST.lines().collect();
        assert!(lines.len() >= 100_000, "{} passwords", lines.len());
        assert!(LIST.ends_with('\n'));
        assert!(
            lines.windows(2).all(|w| w[0].as_bytes() < w[1].as_bytes()),
            "sorted, no repeats"
        );
        assert!(lines.iter().all(|l| !l.is_empty() && *l == l.to_lowercase()));
    }

    #[test]
    fn every_listed_password_is_found_and_others_are_not() {
        for (i, line) in LIST.lines().enumerate().step_by(97) {
            assert!(contains(LIST, line), "line {i}: {line:?}");
        }
        for common in [
            "password1234",
            "qwertyuiop123",
            "Password1234",
            "PASSWORDPASSWORD",
            "123456",
        ] {
            assert!(is_common(common), "{common}");
        }
        for rare in [
            "correct horse battery staple",
            "",
            "zzzzzzzzzzzzzzzzzzzzzzzzzzzzzz",
            "a\npassword",
        ] {
            assert!(!is_common(rare), "{rare:?}");
        }
    }

    #[test]
    fn bisecting_finds_the_first_and_last_lines_of_small_lists() {
        let list = "alpha\nbravo\ncharlie\n";
        for word in ["alpha", "bravo", "charlie"] {
            assert!(contains(list, word), "{word}");
        }
        for word in ["", "a", "alph", "alphaa", "b", "delta", "bravo\ncharlie"] {
            assert!(!contains(list, word), "{word:?}");
        }
        assert!(!contains("", "alpha"));
    }
}
