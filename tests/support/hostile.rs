//! A hostile-text corpus: text a user could type that would become markup
//! or run as script wherever a page writes it unescaped. Every payload
//! carries a marker naming the field it was written into (`pw` + the
//! field's code + the payload's number), so a finding names its field.
//!
//! Injected markup tags itself with `data-pwned`, and injected script sets
//! `window.__pwned` to its marker; [`crate::hostile_page`] looks for both.

use std::collections::BTreeMap;

/// The payloads; `{m}` becomes the marker.
pub const TEMPLATES: &[&str] = &[
    // Closes a <textarea> (leptos writes its children raw on the server).
    "</textarea><img src=x data-pwned={m} onerror=window.__pwned='{m}'>",
    // Closes the <title>.
    "X</title><script>window.__pwned='{m}'</script>",
    // Breaks out of a double-quoted, then a single-quoted attribute.
    "\"><svg data-pwned={m} onload=window.__pwned='{m}'>",
    "'><img src=x data-pwned={m} onerror=window.__pwned='{m}'>",
    // Adds attributes without leaving the element.
    "x\" data-pwned=\"{m}\" onmouseover=\"window.__pwned='{m}'",
    "<script>window.__pwned='{m}'</script>",
    // For anything that could become an href.
    "javascript:window.__pwned='{m}'",
    "</style><img src=x data-pwned={m} onerror=window.__pwned='{m}'>",
    "</script><script>window.__pwned='{m}'</script>",
    "</noscript><img src=x data-pwned={m} onerror=window.__pwned='{m}'>",
    "</option></select><b data-pwned={m}>opt</b>",
    // Would swallow the rest of the page as a comment.
    "<!-- {m}",
    "]]> {m}",
    // Must show literally: decoded once, never twice.
    "&lt;b&gt;{m}&lt;/b&gt; &amp; &#60;i&#62;",
    // Template syntax must stay text.
    "{{7*7}} ${7*7} {m}",
    "<b data-pwned={m}>bold</b>",
    "Zoë Ødegård — 東京 🚓 Ünïcødé {m}",
];

/// The payloads every short field gets, before one more taken in turn.
const SHORT_ALWAYS: [usize; 2] = [0, 1];

/// The longest one-line text the app accepts (plan header, names).
pub const SHORT_MAX: usize = 200;

/// One field written with hostile text.
#[derive(Debug, Clone)]
pub struct Written {
    /// What the field is, as a finding names it.
    pub name: String,
    /// Each payload as written into the field, marker filled in.
    pub payloads: Vec<String>,
}

/// The fields written so far, by code.
#[derive(Debug, Default)]
pub struct Corpus {
    fields: BTreeMap<String, Written>,
    shorts: usize,
}

impl Corpus {
    /// The marker of payload `n` in field `code`.
    pub fn marker(code: &str, n: usize) -> String {
        format!("pw{code}{n:02}")
    }

    fn payload(code: &str, n: usize) -> String {
        TEMPLATES[n].replace("{m}", &Corpus::marker(code, n))
    }

    /// Text for a one-line field (at most [`SHORT_MAX`] characters): the
    /// textarea and title payloads, and one more, taken in turn so that
    /// the short fields between them carry every payload.
    pub fn short(&mut self, code: &str, name: &str) -> String {
        let others: Vec<usize> = (0..TEMPLATES.len()).filter(|n| !SHORT_ALWAYS.contains(n)).collect();
        let extra = others[self.shorts % others.len()];
        self.shorts += 1;
        let payloads: Vec<String> = SHORT_ALWAYS
            .iter()
            .chain([&extra])
            .map(|&n| Corpus::payload(code, n))
            .collect();
        let text = payloads.join(" ");
        assert!(
            text.chars().count() <= SHORT_MAX,
            "{code}: {} characters",
            text.chars().count()
        );
        self.record(code, name, payloads);
        text
    }

    /// Text for a multi-line field: every payload, one a line.
    pub fn long(&mut self, code: &str, name: &str) -> String {
        let payloads: Vec<String> = (0..TEMPLATES.len()).map(|n| Corpus::payload(code, n)).collect();
        let text = payloads.join("\n");
        self.record(code, name, payloads);
        text
    }

    fn record(&mut self, code: &str, name: &str, payloads: Vec<String>) {
        assert!(
            code.len() == 2 && code.chars().all(|c| c.is_ascii_lowercase()),
            "field codes are two letters: {code}"
        );
        let written = Written {
            name: name.to_string(),
            payloads,
        };
        assert!(
            self.fields.insert(code.to_string(), written).is_none(),
            "field {code} written twice"
        );
    }

    /// The field written under `code`.
    pub fn field(&self, code: &str) -> &Written {
        self.fields
            .get(code)
            .unwrap_or_else(|| panic!("no field {code} was written"))
    }

    /// Every field written, by code.
    pub fn fields(&self) -> impl Iterator<Item = (&String, &Written)> {
        self.fields.iter()
    }

    /// `text` with every marker in it followed by the name of its field,
    /// so a finding says which field's text escaped.
    pub fn explain(&self, text: &str) -> String {
        let mut named: Vec<String> = Vec::new();
        for (code, written) in &self.fields {
            if text.contains(&format!("pw{code}")) && !named.contains(&written.name) {
                named.push(written.name.clone());
            }
        }
        if named.is_empty() {
            text.to_string()
        } else {
            format!("{text} [field: {}]", named.join(", "))
        }
    }

    /// Of the fields named by `codes`, the payloads not found whole in
    /// `shown` (a page's text), each with its field's name.
    pub fn missing_from(&self, codes: &[&str], shown: &str) -> Vec<String> {
        codes
            .iter()
            .flat_map(|code| {
                let written = self.field(code);
                written
                    .payloads
                    .iter()
                    .filter(|p| !shown.contains(p.as_str()))
                    .map(move |p| format!("{}: {p:?}", written.name))
            })
            .collect()
    }

    /// The codes of the fields whose every payload is in `shown`.
    pub fn shown_in(&self, shown: &str) -> Vec<String> {
        self.fields
            .iter()
            .filter(|(_, w)| w.payloads.iter().all(|p| shown.contains(p.as_str())))
            .map(|(code, _)| code.clone())
            .collect()
    }

    /// Payloads that must never reach a page's HTML as they are: those
    /// with markup characters (escaped, they read `&lt;` or `&amp;`).
    pub fn raw_forbidden(&self) -> impl Iterator<Item = (&Written, &String)> {
        self.fields.values().flat_map(|w| {
            w.payloads
                .iter()
                .filter(|p| p.contains('<') || p.contains('&'))
                .map(move |p| (w, p))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_fields_fit_and_between_them_carry_every_payload() {
        let mut corpus = Corpus::default();
        let codes: Vec<String> = (b'a'..=b'p').map(|c| format!("s{}", c as char)).collect();
        for code in &codes {
            corpus.short(code, code);
        }
        for n in 0..TEMPLATES.len() {
            let marker_n = format!("{n:02}");
            assert!(
                codes.iter().any(|c| corpus
                    .field(c)
                    .payloads
                    .iter()
                    .any(|p| p.contains(&format!("pw{c}{marker_n}")))),
                "payload {n} is in some short field"
            );
        }
    }
}
