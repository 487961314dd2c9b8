//! Suggested changes beside a section: each shown like a tracked change
//! (the words struck through, the proposal inserted), outdated once its
//! words changed; leads accept or reject; anyone suggests.

use super::CommentsHandle;
use crate::live::LiveHandle;
use crate::suggestions::{decide_suggestion, suggest_change, SuggestionView};
use leptos::prelude::*;
use plan::comments::Anchor;
use plan::Section;

#[component]
pub fn SectionSuggestions(section: Section) -> impl IntoView {
    let comments = expect_context::<CommentsHandle>();
    let key = section.key().to_string();
    let here = Memo::new(move |_| {
        comments
            .suggestions
            .with(|all| all.iter().filter(|s| s.section == key).cloned().collect::<Vec<_>>())
    });
    view! {
        <ul class="suggestions">
            <For each=move || here.get() key=|s| format!("{s:?}") let:suggestion>
                <li><Suggestion suggestion=suggestion section=section/></li>
            </For>
        </ul>
        <Suggest section=section/>
    }
}

#[component]
fn Suggestion(suggestion: SuggestionView, section: Section) -> impl IntoView {
    let comments = expect_context::<CommentsHandle>();
    let live = expect_context::<LiveHandle>();
    let plan = live.plan_id;
    let proposed = suggestion.proposed();
    let current = Memo::new(move |_| live.read(|doc, txn| plan::suggestions::is_current(doc, txn, section, &proposed)));
    let open = suggestion.decision.is_none();
    let id = suggestion.id;
    let error = RwSignal::new(None::<String>);
    let rejecting = RwSignal::new(false);
    let reason = RwSignal::new(String::new());
    let decide = move |accept: bool| {
        let why = reason.get_untracked();
        leptos::task::spawn_local(async move {
            match decide_suggestion(plan, id, accept, why).await {
                Ok(()) => comments.refresh.update(|n| *n += 1),
                Err(e) => error.set(Some(crate::present::user_message(&e))),
            }
        });
    };
    let change = match &suggestion.original {
        Some(original) => {
            view! { <del>{original.clone()}</del> " " <ins>{suggestion.proposed.clone()}</ins> }.into_any()
        }
        None => view! { "New paragraph: " <ins>{suggestion.proposed.clone()}</ins> }.into_any(),
    };
    view! {
        <article class="suggestion" class:decided=!open data-suggestion-id=id.to_string()>
            <p class="comment-meta">
                "Suggested by " <strong>{suggestion.author.clone()}</strong> " (" {suggestion.agency.clone()} ") · " {suggestion.at.clone()}
            </p>
            <p class="tracked-change">{change}</p>
            {suggestion.decision.clone().map(|d| view! { <p class="resolved-note">{d}</p> })}
            <Show when=move || open && !current.get()>
                <p class="outdated">"Outdated: the words have changed since it was suggested."</p>
            </Show>
            {suggestion.can_decide.then(|| view! {
                <p class="comment-actions">
                    <button type="button" class="link-button accept" disabled=move || !current.get()
                        on:click=move |_| decide(true)>"Accept"</button>
                    <button type="button" class="link-button" on:click=move |_| rejecting.set(true)>"Reject"</button>
                </p>
                <Show when=move || rejecting.get()>
                    <form class="comment-form" on:submit=move |ev| { ev.prevent_default(); decide(false); }>
                        <label for=format!("reject-{id}")>"Why reject it? (kept with it)"</label>
                        <input id=format!("reject-{id}") type="text" required prop:value=move || reason.get()
                            on:input=move |ev| reason.set(event_target_value(&ev))/>
                        <button type="submit">"Reject the suggestion"</button>
                    </form>
                </Show>
            })}
            <p class="form-error" role="alert">{move || error.get()}</p>
        </article>
    }
}

/// Suggest a change: to the words selected in the section, or a new
/// paragraph when none are.
#[component]
fn Suggest(section: Section) -> impl IntoView {
    let comments = expect_context::<CommentsHandle>();
    let live = expect_context::<LiveHandle>();
    let plan = live.plan_id;
    let text = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);
    let field = format!("suggest-{}", section.key());
    view! {
        <form class="comment-form suggest" on:submit=move |ev| {
            ev.prevent_default();
            let anchor = super::selected_words(&live, section)
                .map(|a: Anchor| serde_json::to_string(&a).unwrap_or_default())
                .unwrap_or_default();
            let body = text.get_untracked();
            leptos::task::spawn_local(async move {
                match suggest_change(plan, section.key().to_string(), body, anchor).await {
                    Ok(_) => {
                        text.set(String::new());
                        error.set(None);
                        comments.refresh.update(|n| *n += 1);
                    }
                    Err(e) => error.set(Some(crate::present::user_message(&e))),
                }
            });
        }>
            <label for=field.clone()>"Suggest a change: the words to put in place of those selected, or, with none selected, a paragraph to add"</label>
            <textarea id=field rows="2" prop:value=move || text.get() on:input=move |ev| text.set(event_target_value(&ev))></textarea>
            <button type="submit" class="secondary">"Suggest"</button>
            <p class="form-error" role="alert">{move || error.get()}</p>
        </form>
    }
}
