//! Part B of the plan page: the tactical activity and action log, one
//! table per P, with the template's guidance. Rows follow the plan live;
//! each opens an editor, and each table has a form to add an action.

use super::action_editor::{ActionEditor, AddAction};
use crate::live::LiveHandle;
use crate::present;
use chrono::NaiveDate;
use leptos::prelude::*;
use plan::template::{disruption_definition, status_definition, ACTION_LOG_GUIDANCE};
use plan::{Action, Disruption, RagStatus, P};

/// Part B's guidance: the log, each status and each disruption level.
#[component]
pub(super) fn ActionLogGuidance() -> impl IntoView {
    view! {
        <details class="guidance" id="action-log-guidance">
            <summary>"Guidance"</summary>
            <p>{ACTION_LOG_GUIDANCE}</p>
            <h4>"Status"</h4>
            <dl class="definitions">
                {[RagStatus::Green, RagStatus::Amber, RagStatus::Red]
                    .into_iter()
                    .map(|s| {
                        view! {
                            <dt>
                                <span class=present::rag_class(Some(s))>{s.as_str()}</span>
                            </dt>
                            <dd>{status_definition(s)}</dd>
                        }
                    })
                    .collect_view()}
            </dl>
            <h4>"Disruption assessment"</h4>
            <p>"Assess the impact of the specific activity against the OCG’s threat and harm:"</p>
            <dl class="definitions">
                {Disruption::ALL
                    .iter()
                    .map(|d| {
                        view! {
                            <dt>{d.as_str()}</dt>
                            <dd>{disruption_definition(*d)}</dd>
                        }
                    })
                    .collect_view()}
            </dl>
        </details>
    }
    .into_any()
}

/// One P's table of the action log, with the template's columns.
#[component]
pub(super) fn ActionLog(p: P, today: NaiveDate) -> impl IntoView {
    let live = expect_context::<LiveHandle>();
    let actions = Memo::new(move |_| {
        let mut mine = live.read(|plan, txn| plan.actions_for(txn, p));
        // Date, then id: editing an action's words never moves its row.
        mine.sort_by(|a, b| (a.date.is_none(), a.date, &a.id).cmp(&(b.date.is_none(), b.date, &b.id)));
        mine
    });
    let heading_id = format!("actions-{}-heading", p.key());
    view! {
        <section class="action-log" id=format!("actions-{}", p.key()) data-p=p.as_str()>
            <h4 id=heading_id.clone() class="p-heading">{p.as_str()}</h4>
            <div class="table-scroll" role="region" aria-labelledby=heading_id.clone() tabindex="0">
                <table class="actions" id=format!("action-log-{}", p.key())>
                    <colgroup>
                        <col class="col-date"/>
                        <col class="col-action"/>
                        <col class="col-owner"/>
                        <col class="col-update"/>
                        <col class="col-status"/>
                        <col class="col-disruption"/>
                        <col class="col-submitted"/>
                    </colgroup>
                    <thead>
                        <tr class="groups">
                            <th scope="colgroup" colspan="4">"RESPONSE"</th>
                            <th scope="colgroup" colspan="3">"ASSESSMENT"</th>
                        </tr>
                        <tr>
                            <th scope="col">"Date"</th>
                            <th scope="col">"Action/Planned activity"</th>
                            <th scope="col">"Owner (name/agency)"</th>
                            <th scope="col">"Update/result"</th>
                            <th scope="col">"Status"</th>
                            <th scope="col">"Disruption assessment"</th>
                            <th scope="col">"Submitted Y/N"</th>
                        </tr>
                    </thead>
                    <tbody>
                        <Show when=move || actions.with(Vec::is_empty)>
                            <tr class="empty">
                                <td colspan="7">"No actions recorded."</td>
                            </tr>
                        </Show>
                        <For each=move || actions.get() key=|a| a.id.clone() let:action>
                            <ActionRow id=action.id p=p today=today actions=actions/>
                        </For>
                    </tbody>
                </table>
            </div>
            <AddAction p=p/>
        </section>
    }
}

/// One action in one P's table, and its editor when open.
#[component]
fn ActionRow(id: String, p: P, today: NaiveDate, actions: Memo<Vec<Action>>) -> impl IntoView {
    let live = expect_context::<LiveHandle>();
    let action = Memo::new({
        let id = id.clone();
        move |_| actions.with(|all| all.iter().find(|a| a.id == id).cloned())
    });
    let editing = RwSignal::new(false);
    let get = move || action.get();
    let overdue = move || get().is_some_and(|a| a.is_overdue(today));
    let status = move || get().and_then(|a| a.status);
    let disruption = move || get().and_then(|a| a.disruption);
    let editor_id = format!("action-editor-{}-{}", p.key(), id);
    let controls = editor_id.clone();
    let prefix = format!("action:{id}:");
    let editors = Memo::new(move |_| {
        live.peers
            .get()
            .into_iter()
            .filter(|peer| peer.field.as_deref().is_some_and(|f| f.starts_with(&prefix)))
            .collect::<Vec<_>>()
    });
    // Notifications link to `#action-{id}`: the row in its first P's table
    // (an action aligned to several Ps has a row in each).
    let anchor = move || get().and_then(|a| (a.ps.first() == Some(&p)).then(|| format!("action-{}", a.id)));
    view! {
        <tr class="action-row" id=anchor class:overdue=overdue data-action-id=id.clone() data-status=move || present::rag_text(status())>
            <td class="date">{move || present::format_opt_date(get().and_then(|a| a.date))}</td>
            <td class="action-text">
                <span class="multiline">
                    {move || {
                        let text = get().map(|a| a.text).unwrap_or_default();
                        if text.trim().is_empty() { "(no description)".to_string() } else { text }
                    }}
                </span>
                {move || {
                    get().and_then(|a| a.target_date).map(|d| {
                        view! {
                            <p class="target">
                                "Target: " {present::format_date(d)}
                                {overdue().then(|| view! { " " <strong class="flag">"Overdue"</strong> })}
                            </p>
                        }
                    })
                }}
                {move || {
                    get().and_then(|a| present::also_aligned(&a, p)).map(|a| view! { <p class="also">"Also under: " {a}</p> })
                }}
                <p class="row-peers" class:hidden=move || editors.with(Vec::is_empty)>
                    <For each=move || editors.get() key=|peer| peer.client_id let:peer>
                        <span class="field-peer" style:--person-color=peer.color.clone()>{peer.name.clone()}</span>
                    </For>
                    <span class="visually-hidden">" editing this action"</span>
                </p>
                <super::comments::ActionComments id=id.clone()/>
                <Show when=move || get().is_some_and(|a| live.may_edit_action(&a.owner_agency))>
                    <button
                        type="button"
                        class="link-button live-only edit-action"
                        aria-expanded=move || editing.get().to_string()
                        aria-controls=controls.clone()
                        on:click=move |_| editing.update(|e| *e = !*e)
                    >
                        {move || if editing.get() { "Close editor" } else { "Edit" }}
                    </button>
                </Show>
            </td>
            <td class="owner">{move || get().map(|a| present::owner_text(&a.owner_name, &a.owner_agency))}</td>
            <td class="update">
                {move || {
                    let update = get().map(|a| a.update).unwrap_or_default();
                    if update.trim().is_empty() {
                        view! { <span class="empty">"None yet"</span> }.into_any()
                    } else {
                        view! { <span class="multiline">{update}</span> }.into_any()
                    }
                }}
            </td>
            <td class="status">
                <span class=move || present::rag_class(status())>{move || present::rag_text(status())}</span>
            </td>
            <td class="disruption-cell">
                <span class=move || present::disruption_class(disruption())>
                    {move || present::disruption_text(disruption())}
                </span>
            </td>
            <td class="submitted">{move || present::yes_no(get().is_some_and(|a| a.submitted))}</td>
        </tr>
        <Show when=move || editing.get()>
            <tr class="action-editor-row live-only" id=editor_id.clone()>
                <td colspan="7">
                    <ActionEditor action=action on_close=move || editing.set(false)/>
                </td>
            </tr>
        </Show>
    }
    .into_any()
}
