//! Text for the two places where Leptos writes text unescaped when it
//! renders on the server: the children of a `<textarea>` (tachys marks it
//! as not escaping its children) and the document `<title>` (leptos_meta
//! writes it into the head as it is). Text a user typed that reached either
//! raw could close the element (`</textarea><img onerror=…>`) and become
//! markup in another user's browser, so every such text goes through here.
//!
//! In the browser the same text is set through the DOM (a text node, or
//! `document.title`), which never parses markup, so it is passed as it is:
//! hydration keeps the server's (escaped, then decoded by the parser) node.

use leptos::prelude::*;
use leptos_meta::Title;

/// `text` made safe to stand between `<textarea>` and `</textarea>` (or
/// `<title>`/`</title>`) in the HTML the server sends; the browser shows
/// exactly `text`. Unchanged in the browser, where no HTML is written.
pub fn raw_text(text: impl Into<String>) -> String {
    let text = text.into();
    if cfg!(feature = "ssr") {
        escape_html(&text)
    } else {
        text
    }
}

/// `&`, `<`, `>`, `"` and `'` as character references.
pub fn escape_html(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// The page's `<title>`, safe whatever the text holds (a plan's subject is
/// typed by its members). Use this, never `leptos_meta::Title` with text a
/// user wrote.
#[component]
pub fn PageTitle(#[prop(into)] text: TextProp) -> impl IntoView {
    view! { <Title text=move || raw_text(text.get().to_string())/> }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markup_in_text_becomes_character_references() {
        assert_eq!(
            escape_html(r#"</textarea><img src=x onerror="a&b">'"#),
            "&lt;/textarea&gt;&lt;img src=x onerror=&quot;a&amp;b&quot;&gt;&#39;"
        );
        assert_eq!(escape_html("Ops — Elm St"), "Ops — Elm St");
    }
}
