//! A plan as it was, read-only, laid out as the plan page is: header,
//! Part A's sections and checklists, Part B's action log per P. Rendered
//! entirely on the server, so it reads and prints without JavaScript.

use super::restore_button::RestoreButton;
use leptos::prelude::*;
use plan::{PlanExport, Section, P};

fn or_dash(value: &str) -> String {
    if value.trim().is_empty() {
        "—".to_string()
    } else {
        value.to_string()
    }
}

/// The plan in `export`; with `restore_from` (a version key), each section
/// offers "Restore this section" (for the LRO).
#[component]
pub fn VersionBody(export: PlanExport, restore_from: Option<String>) -> AnyView {
    let h = &export.header;
    let threats = if export.threat_tags.is_empty() {
        export.threats.join(", ")
    } else {
        export
            .threat_tags
            .iter()
            .map(|t| {
                if t.retired {
                    format!("{} (retired)", t.name)
                } else {
                    t.name.clone()
                }
            })
            .collect::<Vec<_>>()
            .join(", ")
    };
    let facts = [
        (
            "Subject",
            format!("{} {}", h.subject_kind.map_or("", |k| k.as_str()), h.subject_name),
        ),
        ("Reference", or_dash(&h.subject_ref)),
        ("Tier", h.tier.map_or("—".into(), |t| t.to_string())),
        ("LRO", or_dash(&h.lro)),
        ("SIO", or_dash(&h.sio)),
        ("Plan owner", or_dash(&h.plan_owner)),
        (
            "Last review",
            h.last_review.map_or("—".into(), |d| crate::dates::long(d)),
        ),
        (
            "Next review",
            export.next_review.map_or("—".into(), |d| crate::dates::long(d)),
        ),
        ("SOC threats tackled", or_dash(&threats)),
    ];
    let plan_id = export.id.to_string();
    let restore = restore_from.clone();
    let sections = Section::ALL
        .iter()
        .map(|s| {
            let text = export.sections.get(s.key()).cloned().unwrap_or_default();
            let empty = text.trim().is_empty();
            let objectives = match s {
                Section::Objectives(p) => export.objectives.get(p.key()).cloned().unwrap_or_default(),
                _ => Vec::new(),
            };
            let restore = restore.clone().map(|from| {
                view! {
                    <RestoreButton plan=plan_id.clone() from=from kind="section" key=s.key().to_string()
                        label="Restore this section" done="Restored: the plan now has this text."/>
                }
            });
            view! {
                <section class="plan-section" data-section=s.key()>
                    <h3>{s.title()}</h3>
                    <div class="section-text" class:empty=empty>{if empty { "Not completed.".to_string() } else { text }}</div>
                    {(!objectives.is_empty()).then(|| view! {
                        <ul class="checklist-static">
                            {objectives.into_iter().map(|o| view! {
                                <li data-selected=o.selected.to_string()>{format!("{} {}", if o.selected { "Y" } else { "–" }, o.text)}</li>
                            }).collect_view()}
                        </ul>
                    })}
                    {restore}
                </section>
            }
        })
        .collect_view();
    let logs = P::ACTION_LOG_ORDER
        .iter()
        .map(|p| {
            let rows: Vec<_> = export.actions.iter().filter(|a| a.ps.contains(p)).cloned().collect();
            view! {
                <section class="action-log" data-p=p.key()>
                    <h4>{p.as_str()}</h4>
                    <table class="actions-table">
                        <thead><tr>
                            <th scope="col">"Date"</th><th scope="col">"Action"</th><th scope="col">"Owner (agency)"</th>
                            <th scope="col">"Update/result"</th><th scope="col">"RAG"</th><th scope="col">"Disruption"</th><th scope="col">"Submitted"</th>
                        </tr></thead>
                        <tbody>
                            {rows.into_iter().map(|a| view! {
                                <tr data-action=a.id.clone()>
                                    <td>{a.date.map_or("—".into(), |d| crate::dates::numeric(d))}</td>
                                    <td>{a.text.clone()}</td>
                                    <td>{format!("{} ({})", or_dash(&a.owner_name), or_dash(&a.owner_agency))}</td>
                                    <td>{or_dash(&a.update)}</td>
                                    <td>{a.status.map_or("—", |s| s.as_str())}</td>
                                    <td>{a.disruption.map_or("—", |d| d.as_str())}</td>
                                    <td>{if a.submitted { "Y" } else { "N" }}</td>
                                </tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                </section>
            }
        })
        .collect_view();
    view! {
        <dl class="version-facts">
            {facts.into_iter().map(|(label, value)| view! { <div><dt>{label}</dt><dd>{value}</dd></div> }).collect_view()}
        </dl>
        <section class="part part-a"><h2>"Part A — The plan"</h2>{sections}</section>
        <section class="part part-b"><h2>"Part B — Tactical activity and action log"</h2>{logs}</section>
    }
    .into_any()
}
