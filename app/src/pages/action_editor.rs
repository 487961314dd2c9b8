//! Editing the action log: an action's editor (every column, its Ps, and
//! delete) and the form that adds an action under a P.

use crate::live::{LiveHandle, LiveText};
use crate::present;
use chrono::NaiveDate;
use leptos::prelude::*;
use plan::{Action, ActionChange, ActionText, Disruption, NewAction, RagStatus, TextField, P};

/// The editor of one action. Text fields merge live; every other control
/// writes its value as it changes.
#[component]
pub fn ActionEditor(
    action: Memo<Option<Action>>,
    on_close: impl Fn() + Clone + Send + Sync + 'static,
) -> impl IntoView {
    let live = expect_context::<LiveHandle>();
    let Some(first) = action.get_untracked() else {
        return ().into_any();
    };
    let id = first.id.clone();
    let dom = |name: &str| format!("{name}-{id}");
    let change = {
        let id = id.clone();
        move |change: ActionChange| {
            live.edit(|plan, txn| plan.change_action(txn, &id, &change).ok());
        }
    };
    let key = |name: &str| format!("action:{id}:{name}");
    let focus = move |k: String| move |_| live.focus(Some(k.clone()));
    let blur = move |_| live.focus(None);
    let ps = move || action.get().map(|a| a.ps).unwrap_or_default();
    let date_value = |d: Option<NaiveDate>| d.map(|d| d.to_string()).unwrap_or_default();
    let confirming = RwSignal::new(false);
    // Partners edit their agency's actions but not who owns them, their
    // Ps, or whether they exist.
    let officer = live.role.edits_everything();
    let text_field = |part| TextField::Action { id: id.clone(), part };
    let (c1, c2, c3, c4, c5, c6, c7) = (
        change.clone(),
        change.clone(),
        change.clone(),
        change.clone(),
        change.clone(),
        change.clone(),
        change,
    );
    let delete = {
        let id = id.clone();
        let on_close = on_close.clone();
        move |_| {
            live.edit(|plan, txn| plan.delete_action(txn, &id).ok());
            on_close();
        }
    };
    view! {
        <div class="action-editor" data-editing=id.clone()>
            <fieldset class="ps">
                <legend>"Aligned to (at least one P)"</legend>
                {P::ALL
                    .iter()
                    .map(|p| {
                        let p = *p;
                        let change = c1.clone();
                        let on = move || ps().contains(&p);
                        let only = move || on() && ps().len() == 1;
                        view! {
                            <label class="check">
                                <input
                                    type="checkbox"
                                    data-align=p.as_str()
                                    prop:checked=on
                                    disabled=move || !live.may_edit_plan() || only()
                                    title=move || only().then_some("An action must align to at least one P")
                                    on:change=move |ev| change(ActionChange::Align(p, event_target_checked(&ev)))
                                />
                                " " {p.as_str()}
                            </label>
                        }
                    })
                    .collect_view()}
            </fieldset>
            <div class="editor-grid">
                <label for=dom("date")>"Date"</label>
                <input type="date" id=dom("date") prop:value=move || date_value(action.get().and_then(|a| a.date))
                    on:focus=focus(key("date")) on:blur=blur
                    on:change=move |ev| c2(ActionChange::Date(event_target_value(&ev).parse().ok()))/>
                <label for=dom("target")>"Target date"</label>
                <input type="date" id=dom("target") prop:value=move || date_value(action.get().and_then(|a| a.target_date))
                    on:focus=focus(key("target_date")) on:blur=blur
                    on:change=move |ev| c3(ActionChange::TargetDate(event_target_value(&ev).parse().ok()))/>
                <span class="field-label">"Action/Planned activity"</span>
                <LiveText field=text_field(ActionText::Text) label="Action/Planned activity".to_string() multiline=true/>
                <span class="field-label">"Owner name"</span>
                <LiveText field=text_field(ActionText::OwnerName) label="Owner name".to_string()/>
                <label for=dom("agency")>"Owner agency"</label>
                <input type="text" id=dom("agency") maxlength="200"
                    readonly=!officer
                    title=(!officer).then_some("Only the LRO, plan owner or SIO can change which agency owns an action")
                    prop:value=move || action.get().map(|a| a.owner_agency).unwrap_or_default()
                    on:focus=focus(key("owner_agency")) on:blur=blur
                    on:change=move |ev| c4(ActionChange::OwnerAgency(event_target_value(&ev).trim().to_string()))/>
                <span class="field-label">"Update/result"</span>
                <LiveText field=text_field(ActionText::Update) label="Update/result".to_string() multiline=true/>
                <label for=dom("status")>"Status"</label>
                <select id=dom("status") data-status-select=""
                    on:focus=focus(key("status")) on:blur=blur
                    on:change=move |ev| if let Ok(s) = event_target_value(&ev).parse() { c5(ActionChange::Status(s)) }>
                    <option value="" disabled=true selected=move || action.get().and_then(|a| a.status).is_none()>"Not set"</option>
                    {RagStatus::ALL.iter().map(|s| {
                        let s = *s;
                        view! { <option value=s.as_str() selected=move || action.get().and_then(|a| a.status) == Some(s)>{s.as_str()}</option> }
                    }).collect_view()}
                </select>
                <label for=dom("disruption")>"Disruption assessment"</label>
                <select id=dom("disruption")
                    on:focus=focus(key("disruption")) on:blur=blur
                    on:change=move |ev| c6(ActionChange::Disruption(event_target_value(&ev).parse().ok()))>
                    <option value="" selected=move || action.get().and_then(|a| a.disruption).is_none()>{present::disruption_text(None)}</option>
                    {Disruption::ALL.iter().map(|d| {
                        let d = *d;
                        view! { <option value=d.as_str() selected=move || action.get().and_then(|a| a.disruption) == Some(d)>{d.as_str()}</option> }
                    }).collect_view()}
                </select>
                <span class="field-label">"Submitted"</span>
                <label class="check">
                    <input type="checkbox" id=dom("submitted") prop:checked=move || action.get().is_some_and(|a| a.submitted)
                        on:focus=focus(key("submitted")) on:blur=blur
                        on:change=move |ev| c7(ActionChange::Submitted(event_target_checked(&ev)))/>
                    " Submitted (Y)"
                </label>
            </div>
            <div class="editor-actions">
                <button type="button" class="secondary" on:click={
                    let on_close = on_close.clone();
                    move |_| on_close()
                }>"Done"</button>
                <Show when=move || officer>
                {
                let delete = delete.clone();
                view! {
                <Show
                    when=move || confirming.get()
                    fallback=move || view! {
                        <button type="button" class="danger-quiet" on:click=move |_| confirming.set(true)>"Delete action…"</button>
                    }
                >
                    <span role="alert">"Delete this action from every P? "</span>
                    <button type="button" class="danger" on:click=delete.clone()>"Yes, delete"</button>
                    <button type="button" class="secondary" on:click=move |_| confirming.set(false)>"Keep it"</button>
                </Show>
                }
                }
                </Show>
            </div>
        </div>
    }
    .into_any()
}

/// The form adding an action under a P (and any others ticked).
#[component]
pub fn AddAction(p: P) -> impl IntoView {
    let live = expect_context::<LiveHandle>();
    let text = RwSignal::new(String::new());
    let owner = RwSignal::new(String::new());
    // A partner adds actions for its own agency only.
    let own_agency = (live.role == plan::access::Role::Partner).then(|| live.agency.get_value());
    let agency = RwSignal::new(own_agency.clone().unwrap_or_default());
    let agency_fixed = own_agency.is_some();
    let target = RwSignal::new(String::new());
    let also = RwSignal::new(std::collections::BTreeSet::from([p]));
    let error = RwSignal::new(None::<String>);
    let dom = |name: &str| format!("new-action-{}-{name}", p.key());
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let new = NewAction {
            ps: also.get_untracked(),
            date: Some(present::today()),
            target_date: target.get_untracked().parse().ok(),
            text: text.get_untracked().trim().to_string(),
            owner_name: owner.get_untracked().trim().to_string(),
            owner_agency: agency.get_untracked().trim().to_string(),
            update: String::new(),
            status: RagStatus::Red,
            disruption: None,
            submitted: false,
        };
        match live.edit(|plan, txn| plan.add_action(txn, &new)) {
            Ok(_) => {
                for field in [text, owner, target] {
                    field.set(String::new());
                }
                agency.set(own_agency.clone().unwrap_or_default());
                also.set([p].into());
                error.set(None);
            }
            Err(e) => error.set(Some(present::describe_model_error(&e))),
        }
    };
    view! {
        <details class="add-action live-only" id=format!("add-action-{}", p.key()) class:hidden=live.role == plan::access::Role::Viewer>
            <summary>"Add an action under " {p.as_str()}</summary>
            <form on:submit=on_submit novalidate=true>
                <div class="editor-grid">
                    <label for=dom("text")>"Action/Planned activity"</label>
                    <textarea id=dom("text") rows="2" prop:value=move || text.get() on:input=move |ev| text.set(event_target_value(&ev))></textarea>
                    <label for=dom("owner")>"Owner name"</label>
                    <input type="text" id=dom("owner") prop:value=move || owner.get() on:input=move |ev| owner.set(event_target_value(&ev))/>
                    <label for=dom("agency")>"Owner agency"</label>
                    <input type="text" id=dom("agency") readonly=agency_fixed prop:value=move || agency.get() on:input=move |ev| agency.set(event_target_value(&ev))/>
                    <label for=dom("target")>"Target date"</label>
                    <input type="date" id=dom("target") prop:value=move || target.get() on:input=move |ev| target.set(event_target_value(&ev))/>
                </div>
                <fieldset class="ps">
                    <legend>"Aligned to"</legend>
                    {P::ALL.iter().map(|q| {
                        let q = *q;
                        view! {
                            <label class="check">
                                <input type="checkbox" data-new-align=q.as_str() prop:checked=move || also.get().contains(&q)
                                    on:change=move |ev| {
                                        let on = event_target_checked(&ev);
                                        also.update(|s| { if on { s.insert(q); } else { s.remove(&q); } });
                                    }/>
                                " " {q.as_str()}
                            </label>
                        }
                    }).collect_view()}
                </fieldset>
                <p class="form-error" role="alert">{move || error.get()}</p>
                <button type="submit" id=dom("submit") disabled=move || !live.may_add_actions()>"Add action"</button>
            </form>
        </details>
    }
    .into_any()
}
