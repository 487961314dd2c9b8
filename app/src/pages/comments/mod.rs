//! A plan's comments on its page: the threads beside each section, on
//! each action row and on the plan as a whole, kept live (the server's
//! comment stream says when to fetch them again). Only in the browser: the
//! page as rendered on the server carries none, so hydration never differs.

mod composer;
mod mentions;
mod printed;
mod suggested;
mod thread;

pub use composer::Composer;
pub use printed::PrintedComments;
pub use thread::Thread;

use crate::comments::{plan_comments, CommentView};
use crate::live::LiveHandle;
use leptos::prelude::*;
use plan::comments::Anchor;
use plan::Section;

/// The page's comments, shared by its parts. Cheap to copy.
#[derive(Clone, Copy)]
pub struct CommentsHandle {
    pub all: RwSignal<Vec<CommentView>>,
    /// Bumped to fetch them again (a post here, a notice from the server).
    pub refresh: RwSignal<u64>,
    /// What went wrong last, to show beside the plan's comments.
    pub error: RwSignal<Option<String>>,
    /// The printer chose to print them.
    pub print: RwSignal<bool>,
    /// The plan's suggested changes, fetched with the comments.
    pub suggestions: RwSignal<Vec<crate::suggestions::SuggestionView>>,
}

impl CommentsHandle {
    /// Made by the plan page; fetches once live, and again on every notice.
    pub fn provide(plan: uuid::Uuid) -> CommentsHandle {
        let handle = CommentsHandle {
            all: RwSignal::new(Vec::new()),
            refresh: RwSignal::new(0),
            error: RwSignal::new(None),
            print: RwSignal::new(false),
            suggestions: RwSignal::new(Vec::new()),
        };
        provide_context(handle);
        crate::changes::watch_changes_every(
            format!("/api/plans/{plan}/comments/changes"),
            "comment",
            handle.refresh,
            30,
        );
        #[cfg(feature = "hydrate")]
        Effect::new(move |_| {
            handle.refresh.track();
            leptos::task::spawn_local(async move {
                let comments = plan_comments(plan).await;
                let suggestions = crate::suggestions::plan_suggestions(plan).await;
                match comments.and_then(|c| suggestions.map(|s| (c, s))) {
                    Ok((comments, suggestions)) => {
                        handle.all.set(comments);
                        handle.suggestions.set(suggestions);
                    }
                    Err(e) => handle.error.set(Some(crate::present::user_message(&e))),
                }
            });
        });
        #[cfg(not(feature = "hydrate"))]
        let _ = plan_comments;
        handle
    }

    /// The threads whose first comment `about` accepts, each with its replies.
    pub fn threads(&self, about: impl Fn(&Anchor) -> bool) -> Vec<(CommentView, Vec<CommentView>)> {
        self.all.with(|all| {
            all.iter()
                .filter(|c| c.thread.is_none() && c.anchor.as_ref().is_some_and(&about))
                .map(|root| {
                    let replies = all.iter().filter(|c| c.thread == Some(root.id)).cloned().collect();
                    (root.clone(), replies)
                })
                .collect()
        })
    }
}

/// Threads and a composer: the body of every place comments are shown.
#[component]
fn Threads(
    /// Which threads belong here.
    about: fn(&Anchor, &str) -> bool,
    key: String,
    /// What a new comment here is about (asked when it is posted: a
    /// section's selected words are read at that moment).
    new_anchor: Callback<(), Anchor>,
    label: String,
) -> impl IntoView {
    let comments = expect_context::<CommentsHandle>();
    let composer_key = if key.is_empty() {
        "plan".to_string()
    } else {
        key.clone()
    };
    let threads = Memo::new(move |_| comments.threads(|a| about(a, &key)));
    view! {
        <ul class="threads">
            <For each=move || threads.get() key=|thread| format!("{thread:?}") let:thread>
                <li><Thread root=thread.0 replies=thread.1/></li>
            </For>
        </ul>
        <Composer new_anchor=new_anchor label=label key=composer_key/>
    }
    .into_any()
}

/// The comments beside a text section: on it, and on words in it.
#[component]
pub fn SectionComments(section: Section) -> impl IntoView {
    let comments = expect_context::<CommentsHandle>();
    let live = expect_context::<LiveHandle>();
    let key = section.key().to_string();
    let count_key = key.clone();
    let count = Memo::new(move |_| {
        let open = comments.suggestions.with(|all| {
            all.iter()
                .filter(|s| s.section == count_key && s.decision.is_none())
                .count()
        });
        (comments.threads(|a| on_section(a, &count_key)).len(), open)
    });
    let new_anchor = Callback::new(move |()| {
        selected_words(&live, section).unwrap_or(Anchor::Section {
            section: section.key().to_string(),
        })
    });
    let on = key.clone();
    view! {
        <details class="comments section-comments live-only" data-comments-on=on>
            <summary>{move || {
                let (threads, open) = count.get();
                match open {
                    0 => count_label(threads),
                    1 => format!("{} · 1 suggested change", count_label(threads)),
                    n => format!("{} · {n} suggested changes", count_label(threads)),
                }
            }}</summary>
            <suggested::SectionSuggestions section=section/>
            <Threads about=on_section key=key new_anchor=new_anchor
                label=format!("Comment on {} (select words in it first to comment on them)", section.title())/>
        </details>
    }
    .into_any()
}

/// The comments on an action, from its row.
#[component]
pub fn ActionComments(id: String) -> impl IntoView {
    let comments = expect_context::<CommentsHandle>();
    let count_id = id.clone();
    let count = Memo::new(move |_| comments.threads(|a| on_action(a, &count_id)).len());
    let anchor_id = id.clone();
    let new_anchor = Callback::new(move |()| Anchor::Action {
        action: anchor_id.clone(),
    });
    let on = id.clone();
    view! {
        <details class="comments action-comments live-only" data-comments-on=on>
            <summary>{move || count_label(count.get())}</summary>
            <Threads about=on_action key=id new_anchor=new_anchor label="Comment on this action".to_string()/>
        </details>
    }
    .into_any()
}

/// The comments on the plan as a whole.
#[component]
pub fn PlanComments() -> impl IntoView {
    let comments = expect_context::<CommentsHandle>();
    view! {
        <section class="part plan-comments live-only" aria-labelledby="comments-heading" id="comments">
            <h2 id="comments-heading">"Comments on the plan"</h2>
            <p class="hint">
                "Every member may comment, viewers too: asking a question is not editing. Comments on a section or an action are beside it."
            </p>
            <printed::PrintChoice/>
            <Threads about=|a, _| matches!(a, Anchor::Plan) key=String::new()
                new_anchor=Callback::new(|()| Anchor::Plan) label="Comment on the plan".to_string()/>
            <p class="form-error" role="alert" id="comments-error">{move || comments.error.get()}</p>
        </section>
    }
    .into_any()
}

fn on_section(anchor: &Anchor, key: &str) -> bool {
    matches!(anchor, Anchor::Section { section } | Anchor::Range { section, .. } if section == key)
}

fn on_action(anchor: &Anchor, id: &str) -> bool {
    matches!(anchor, Anchor::Action { action } if action == id)
}

fn count_label(n: usize) -> String {
    match n {
        0 => "Comment".to_string(),
        1 => "1 comment".to_string(),
        n => format!("{n} comments"),
    }
}

/// The words selected in the section's editor, as an anchor.
pub(super) fn selected_words(live: &LiveHandle, section: Section) -> Option<Anchor> {
    #[cfg(feature = "hydrate")]
    {
        use wasm_bindgen::JsCast;
        let id = format!("text-{}", section.key());
        let area = document()
            .get_element_by_id(&id)?
            .dyn_into::<web_sys::HtmlTextAreaElement>()
            .ok()?;
        let (start, end) = (area.selection_start().ok()??, area.selection_end().ok()??);
        if start >= end {
            return None;
        }
        live.read(|plan, txn| Anchor::range(plan, txn, section, start, end))
    }
    #[cfg(not(feature = "hydrate"))]
    {
        let _ = (live, section);
        None
    }
}
