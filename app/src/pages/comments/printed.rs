//! The plan's comments in print, when the printer chooses to include them:
//! every thread, with what it is about, as plain text after Part B.

use super::CommentsHandle;
use leptos::prelude::*;
use plan::comments::Anchor;
use plan::Section;

/// The choice, beside the plan's comments.
#[component]
pub fn PrintChoice() -> impl IntoView {
    let comments = expect_context::<CommentsHandle>();
    view! {
        <p class="print-choice">
            <input type="checkbox" id="print-comments" prop:checked=move || comments.print.get()
                on:change=move |ev| comments.print.set(event_target_checked(&ev))/>
            <label for="print-comments">"Include the comments when printing this plan"</label>
        </p>
    }
    .into_any()
}

/// Shown only in print, and only when chosen.
#[component]
pub fn PrintedComments() -> impl IntoView {
    let comments = expect_context::<CommentsHandle>();
    let threads = move || comments.threads(|_| true);
    view! {
        <section class="printed-comments" class:chosen=move || comments.print.get()>
            <h2>"Comments"</h2>
            {move || threads().into_iter().map(|(root, replies)| {
                let about = root.anchor.as_ref().map(about).unwrap_or_default();
                let quote = root.quote.clone().map(|q| format!(" “{q}”")).unwrap_or_default();
                view! {
                    <div class="printed-thread">
                        <p><strong>{about} {quote}</strong>
                            {root.resolved_by.clone().map(|by| format!(" (resolved by {by})"))}</p>
                        {std::iter::once(root).chain(replies).map(|c| view! {
                            <p>{c.author} " (" {c.agency} "), " {c.at} ": "
                                {c.body.unwrap_or_else(|| "(hidden)".into())}</p>
                        }).collect_view()}
                    </div>
                }
            }).collect_view()}
        </section>
    }
    .into_any()
}

fn about(anchor: &Anchor) -> String {
    match anchor {
        Anchor::Plan => "On the plan".into(),
        Anchor::Section { section } | Anchor::Range { section, .. } => {
            format!(
                "On {}",
                Section::from_key(section).map(Section::title).unwrap_or("a section")
            )
        }
        Anchor::Action { action } => format!("On an action ({action})"),
    }
}
