//! The standard objectives checklist of one P (a tick is the template's
//! 'Y') and the objectives the plan adds under it.

use crate::live::{LiveHandle, LiveText};
use leptos::prelude::*;
use plan::{ObjectiveEntry, TextField, P};

/// The checklist for one P, live.
#[component]
pub fn Checklist(p: P) -> impl IntoView {
    let live = expect_context::<LiveHandle>();
    let entries = Memo::new(move |_| live.read(|plan, txn| plan.objectives_for(txn, p)));
    let heading_id = format!("objectives-{}-heading", p.key());
    view! {
        <div class="checklist" id=format!("objectives-{}", p.key())>
            <h4 id=heading_id.clone()>{p.heading()}</h4>
            <p class="hint">"Selected objectives are marked Y."</p>
            <ul class="objectives" aria-labelledby=heading_id>
                <For each=move || entries.get() key=|o| (o.id.clone(), o.custom) let:entry>
                    <Objective id=entry.id.clone() custom=entry.custom entries=entries/>
                </For>
            </ul>
            <AddObjective p=p/>
        </div>
    }
    .into_any()
}

#[component]
fn Objective(id: String, custom: bool, entries: Memo<Vec<ObjectiveEntry>>) -> impl IntoView {
    let live = expect_context::<LiveHandle>();
    let entry = Memo::new({
        let id = id.clone();
        move |_| entries.with(|all| all.iter().find(|o| o.id == id).cloned())
    });
    let selected = move || entry.get().is_some_and(|o| o.selected);
    let text = move || entry.get().map(|o| o.text).unwrap_or_default();
    let check_id = format!("objective-{id}");
    let toggle = {
        let id = id.clone();
        move |on: bool| {
            live.edit(|plan, txn| {
                if custom {
                    plan.set_custom_objective(txn, &id, None, Some(on)).ok()
                } else {
                    plan.select_objective(txn, &id, on).ok()
                }
            });
        }
    };
    let remove = {
        let id = id.clone();
        move |_| {
            live.edit(|plan, txn| plan.remove_custom_objective(txn, &id).ok());
        }
    };
    let label = move || {
        let t = text();
        if t.trim().is_empty() {
            "Added objective".to_string()
        } else {
            t
        }
    };
    view! {
        <li
            class="objective"
            class:selected=selected
            data-objective-id=id.clone()
            data-selected=move || selected().to_string()
        >
            <span class="objective-mark static-only" aria-hidden="true">
                {move || if selected() { "✓ Y" } else { "" }}
            </span>
            <span class="visually-hidden static-only">
                {move || if selected() { "Selected: " } else { "Not selected: " }}
            </span>
            <input
                type="checkbox"
                class="live-only"
                id=check_id.clone()
                aria-label=move || format!("Select (Y): {}", label())
                disabled=move || !live.may_edit_plan()
                prop:checked=selected
                on:change=move |ev| toggle(event_target_checked(&ev))
            />
            {if custom {
                view! {
                    <span class="objective-text static-only">{text}</span>
                    <span class="objective-editor live-only">
                        <LiveText field=TextField::CustomObjective(id.clone()) label="Added objective".to_string()/>
                    </span>
                    " "
                    <span class="tag">"Added"</span>
                    <button
                        type="button"
                        class="link-button live-only"
                        disabled=move || !live.may_edit_plan()
                        on:click=remove
                    >
                        "Remove"
                        <span class="visually-hidden">" objective: " {label}</span>
                    </button>
                }
                .into_any()
            } else {
                view! {
                    <label class="objective-text" for=check_id>
                        {text}
                    </label>
                }
                .into_any()
            }}
        </li>
    }
    .into_any()
}

/// A form adding an objective of the plan's own under a P (selected).
#[component]
fn AddObjective(p: P) -> impl IntoView {
    let live = expect_context::<LiveHandle>();
    let draft = RwSignal::new(String::new());
    let input_id = format!("add-objective-{}", p.key());
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let text = draft.get_untracked().trim().to_string();
        if text.is_empty() {
            return;
        }
        live.edit(|plan, txn| plan.add_custom_objective(txn, p, &text));
        draft.set(String::new());
    };
    view! {
        <form class="add-objective live-only" on:submit=on_submit>
            <label for=input_id.clone()>"Add an objective under " {p.as_str()}</label>
            <input
                id=input_id
                type="text"
                maxlength="500"
                disabled=move || !live.may_edit_plan()
                prop:value=move || draft.get()
                on:input=move |ev| draft.set(event_target_value(&ev))
            />
            <button type="submit" disabled=move || !live.may_edit_plan() || draft.get().trim().is_empty()>
                "Add objective"
            </button>
        </form>
    }
}
