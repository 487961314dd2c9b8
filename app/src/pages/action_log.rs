//! Part B of the plan page: the tactical activity and action log, one
//! table per P, with the template's guidance.

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
}

/// One P's table of the action log, with the template's columns.
#[component]
pub(super) fn ActionLog(p: P, actions: Vec<Action>, today: NaiveDate) -> impl IntoView {
    let heading_id = format!("actions-{}-heading", p.key());
    let empty = actions.is_empty().then(|| {
        view! {
            <tr class="empty">
                <td colspan="7">"No actions recorded."</td>
            </tr>
        }
    });
    let rows = actions
        .into_iter()
        .map(|a| view! { <ActionRow action=a p=p today=today/> })
        .collect_view();
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
                    <tbody>{empty} {rows}</tbody>
                </table>
            </div>
        </section>
    }
}

#[component]
fn ActionRow(action: Action, p: P, today: NaiveDate) -> impl IntoView {
    let overdue = action.is_overdue(today);
    let also = present::also_aligned(&action, p);
    let target = action.target_date.map(|d| {
        view! {
            <p class="target">
                "Target: " {present::format_date(d)}
                {overdue.then(|| view! { " " <strong class="flag">"Overdue"</strong> })}
            </p>
        }
    });
    let update = if action.update.trim().is_empty() {
        view! { <span class="empty">"None yet"</span> }.into_any()
    } else {
        view! { <span class="multiline">{action.update.clone()}</span> }.into_any()
    };
    view! {
        <tr class="action-row" class:overdue=overdue data-action-id=action.id.clone()>
            <td class="date">{present::format_opt_date(action.date)}</td>
            <td class="action-text">
                <span class="multiline">{action.text.clone()}</span>
                {target}
                {also.map(|a| view! { <p class="also">"Also under: " {a}</p> })}
            </td>
            <td class="owner">{present::owner_text(&action.owner_name, &action.owner_agency)}</td>
            <td class="update">{update}</td>
            <td class="status">
                <span class=present::rag_class(action.status)>{present::rag_text(action.status)}</span>
            </td>
            <td class="disruption-cell">
                <span class=present::disruption_class(action.disruption)>
                    {present::disruption_text(action.disruption)}
                </span>
            </td>
            <td class="submitted">{present::yes_no(action.submitted)}</td>
        </tr>
    }
}
