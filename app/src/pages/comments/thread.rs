//! One thread: its first comment (what it is about, a range's words as
//! they are now), its replies, and what the viewer may do to each.

use super::CommentsHandle;
use crate::comments::{edit_comment, hide_comment, post_comment, resolve_comment, CommentView};
use crate::live::LiveHandle;
use leptos::prelude::*;
use plan::comments::{locate, Anchor};
use plan::Section;

#[component]
pub fn Thread(root: CommentView, replies: Vec<CommentView>) -> impl IntoView {
    let resolved = root.resolved_by.clone();
    let words = root
        .anchor
        .clone()
        .map(|a| view! { <Words anchor=a quote=root.quote.clone()/> });
    let root_id = root.id;
    let is_resolved = resolved.is_some();
    let error = RwSignal::new(None::<String>);
    view! {
        <article class="thread" class:resolved=is_resolved data-comment-id=root_id.to_string()>
            {words}
            <Comment comment=root error=error/>
            {replies.into_iter().map(|r| view! { <Comment comment=r error=error/> }).collect_view()}
            {resolved.map(|by| view! { <p class="resolved-note">"Resolved by " {by}</p> })}
            <Reply thread=root_id error=error/>
            <p class="form-error" role="alert">{move || error.get()}</p>
        </article>
    }
}

/// What a range comment is about: its words as they are now, or, once
/// deleted, the words it was made on.
#[component]
fn Words(anchor: Anchor, quote: Option<String>) -> impl IntoView {
    let live = expect_context::<LiveHandle>();
    let Anchor::Range { section, start, end } = anchor else {
        return ().into_any();
    };
    let Some(section) = Section::from_key(&section) else {
        return ().into_any();
    };
    let now = Memo::new(move |_| live.read(|plan, txn| locate(plan, txn, section, &start, &end).map(|l| l.text)));
    let quote = quote.unwrap_or_default();
    view! {
        <blockquote class="comment-words">
            {move || match now.get() {
                Some(words) if !words.is_empty() => view! { <q class="words-now">{words}</q> }.into_any(),
                _ => view! {
                    <span class="words-gone">"The words it was about were deleted: " <q>{quote.clone()}</q></span>
                }.into_any(),
            }}
        </blockquote>
    }
    .into_any()
}

#[component]
fn Comment(comment: CommentView, error: RwSignal<Option<String>>) -> impl IntoView {
    let comments = expect_context::<CommentsHandle>();
    let plan = expect_context::<LiveHandle>().plan_id;
    let id = comment.id;
    let editing = RwSignal::new(false);
    let hiding = RwSignal::new(false);
    let run = move |call: std::pin::Pin<Box<dyn std::future::Future<Output = Result<(), ServerFnError>>>>| {
        leptos::task::spawn_local(async move {
            match call.await {
                Ok(()) => {
                    error.set(None);
                    comments.refresh.update(|n| *n += 1);
                }
                Err(e) => error.set(Some(crate::present::user_message(&e))),
            }
        });
    };
    let body = comment.body.clone();
    let (said, hidden) = (comment.body.clone(), comment.hidden.clone());
    let shown = move || match (&said, &hidden) {
        (Some(body), _) => view! { <p class="comment-body multiline">{body.clone()}</p> }.into_any(),
        (None, Some((by, why))) => {
            view! { <p class="comment-hidden">"Hidden by " {by.clone()} ": " {why.clone()}</p> }.into_any()
        }
        (None, None) => ().into_any(),
    };
    let resolved = comment.resolved_by.is_some();
    let edit_text = RwSignal::new(body.clone().unwrap_or_default());
    let reason = RwSignal::new(String::new());
    view! {
        <div class="comment" id=format!("comment-{id}")>
            <p class="comment-meta">
                <strong>{comment.author.clone()}</strong> " (" {comment.agency.clone()} ") · " {comment.at.clone()}
                {comment.edited.then_some(" · edited")}
            </p>
            <Show when=move || !editing.get() fallback=move || view! {
                <form class="comment-form" on:submit=move |ev| {
                    ev.prevent_default();
                    editing.set(false);
                    run(Box::pin(edit_comment(plan, id, edit_text.get_untracked())));
                }>
                    <label for=format!("edit-{id}")>"Your comment"</label>
                    <textarea id=format!("edit-{id}") rows="3" prop:value=move || edit_text.get()
                        on:input=move |ev| edit_text.set(event_target_value(&ev))></textarea>
                    <button type="submit">"Save"</button>
                </form>
            }>
                {shown.clone()()}
            </Show>
            <p class="comment-actions">
                {comment.can_edit.then(|| view! {
                    <button type="button" class="link-button" on:click=move |_| editing.set(true)>"Edit"</button>
                })}
                {comment.can_resolve.then(|| view! {
                    <button type="button" class="link-button resolve" on:click=move |_| run(Box::pin(resolve_comment(plan, id, !resolved)))>
                        {if resolved { "Reopen" } else { "Resolve" }}
                    </button>
                })}
                {comment.can_hide.then(|| view! {
                    <button type="button" class="link-button" on:click=move |_| hiding.set(true)>"Hide"</button>
                })}
            </p>
            <Show when=move || hiding.get()>
                <form class="comment-form" on:submit=move |ev| {
                    ev.prevent_default();
                    hiding.set(false);
                    run(Box::pin(hide_comment(plan, id, reason.get_untracked())));
                }>
                    <label for=format!("hide-{id}")>"Why hide it? (kept in the record)"</label>
                    <input id=format!("hide-{id}") type="text" required prop:value=move || reason.get()
                        on:input=move |ev| reason.set(event_target_value(&ev))/>
                    <button type="submit">"Hide the comment"</button>
                </form>
            </Show>
        </div>
    }
}

/// A reply in the thread.
#[component]
fn Reply(thread: uuid::Uuid, error: RwSignal<Option<String>>) -> impl IntoView {
    let comments = expect_context::<CommentsHandle>();
    let plan = expect_context::<LiveHandle>().plan_id;
    let text = RwSignal::new(String::new());
    let field = format!("reply-{thread}");
    view! {
        <form class="comment-form reply" on:submit=move |ev| {
            ev.prevent_default();
            let body = text.get_untracked();
            leptos::task::spawn_local(async move {
                match post_comment(plan, body, String::new(), Some(thread), String::new()).await {
                    Ok(_) => {
                        text.set(String::new());
                        error.set(None);
                        comments.refresh.update(|n| *n += 1);
                    }
                    Err(e) => error.set(Some(crate::present::user_message(&e))),
                }
            });
        }>
            <label for=field.clone() class="visually-hidden">"Reply"</label>
            <input id=field type="text" placeholder="Reply…" prop:value=move || text.get()
                on:input=move |ev| text.set(event_target_value(&ev))/>
            <button type="submit" class="secondary">"Reply"</button>
        </form>
    }
}
