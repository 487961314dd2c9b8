//! A new comment: what it is about is asked of the place it is made in
//! when it is posted (a section's selected words at that moment).

use super::CommentsHandle;
use crate::comments::post_comment;
use crate::live::LiveHandle;
use leptos::prelude::*;
use plan::comments::Anchor;

#[component]
pub fn Composer(
    new_anchor: Callback<(), Anchor>,
    label: String,
    /// Makes the field's id unique on the page.
    key: String,
) -> impl IntoView {
    let comments = expect_context::<CommentsHandle>();
    let plan = expect_context::<LiveHandle>().plan_id;
    let text = RwSignal::new(String::new());
    let chosen = RwSignal::new(Vec::new());
    let error = RwSignal::new(None::<String>);
    let field = format!("new-comment-{key}");
    view! {
        <form class="comment-form new-comment" on:submit=move |ev| {
            ev.prevent_default();
            let anchor = serde_json::to_string(&new_anchor.run(())).unwrap_or_default();
            let body = text.get_untracked();
            let mentions = chosen.with_untracked(|c| super::mentions::mentioned(&body, c));
            leptos::task::spawn_local(async move {
                match post_comment(plan, body, anchor, None, mentions).await {
                    Ok(_) => {
                        text.set(String::new());
                        chosen.set(Vec::new());
                        error.set(None);
                        comments.refresh.update(|n| *n += 1);
                    }
                    Err(e) => error.set(Some(crate::present::user_message(&e))),
                }
            });
        }>
            <label for=field.clone()>{label} <span class="hint">"(type @ to mention a member)"</span></label>
            <textarea id=field rows="2" prop:value=move || text.get()
                on:input=move |ev| text.set(event_target_value(&ev))></textarea>
            <super::mentions::MentionPicker text=text chosen=chosen/>
            <button type="submit">"Post comment"</button>
            <p class="form-error" role="alert">{move || error.get()}</p>
        </form>
    }
    .into_any()
}
