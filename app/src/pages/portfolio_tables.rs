//! The portfolio's tables: one row per threat (and for untagged plans and
//! the total), every count a link to the plans behind it, and the
//! drill-down list, which names only the viewer's own plans.

use super::portfolio_charts::RagBar;
use leptos::prelude::*;
use plan::portfolio::aggregate::{PlanLine, PlanList, ThreatFigures};
use plan::portfolio::{Figures, Only, PortfolioQuery, LEVELS};
use plan::{RagStatus, SubjectKind, Tier};

/// The column headings matching [`FigureCells`].
#[component]
pub fn FigureHeadings() -> AnyView {
    view! {
        <th scope="col">"Plans"</th>
        <th scope="col">"By tier (1/2/3/4)"</th>
        <th scope="col">"OCG / PI"</th>
        <th scope="col">"Actions (RAG)"</th>
        <th scope="col">"Overdue actions"</th>
        <th scope="col">"Overdue reviews"</th>
        {LEVELS.iter().map(|l| view! { <th scope="col" class="level-heading">{l.as_str()}</th> }).collect_view()}
    }
    .into_any()
}

/// A count linking to the plans behind it (plain text when zero).
fn count(query: &PortfolioQuery, list: &str, only: Only, n: u32, label: String) -> AnyView {
    if n == 0 {
        return view! { <span class="count zero">"0"</span> }.into_any();
    }
    let href = format!("/portfolio?{}#plan-list", query.drilled(list, only).to_url_query());
    view! { <a class="count" href=href data-only=only.key() aria-label=label>{n}</a> }.into_any()
}

/// The cells of one row of figures; `list` is the drill-down scope
/// (`all`, `untagged` or a threat key).
#[component]
pub fn FigureCells(
    figures: Figures,
    query: PortfolioQuery,
    #[prop(into)] list: String,
    #[prop(into)] label: String,
) -> AnyView {
    let f = figures;
    let q = &query;
    let tiers = (1..=4)
        .filter_map(|t| Tier::new(t).ok())
        .map(|t| {
            count(
                q,
                &list,
                Only::Tier(Some(t)),
                f.tiers[t.get() as usize],
                format!("{label}: tier {} plans", t.get()),
            )
        })
        .collect::<Vec<_>>();
    let rag = [RagStatus::Red, RagStatus::Amber, RagStatus::Green].map(|s| {
        count(
            q,
            &list,
            Only::Rag(Some(s)),
            f.rag.get(Some(s)),
            format!("{label}: plans with {} actions", s.as_str()),
        )
    });
    view! {
        <td class="plans" data-figure="plans">{count(q, &list, Only::Plans, f.plans, format!("{label}: plans"))}</td>
        <td class="tiers" data-figure="tiers">
            {tiers.into_iter().enumerate().map(|(i, c)| view! { {(i > 0).then_some(" / ")}{c} }).collect_view()}
        </td>
        <td class="kinds" data-figure="kinds">
            {count(q, &list, Only::Kind(Some(SubjectKind::Ocg)), f.ocg, format!("{label}: OCG plans"))}
            " / "
            {count(q, &list, Only::Kind(Some(SubjectKind::Pi)), f.pi, format!("{label}: PI plans"))}
        </td>
        <td class="rag-cell" data-figure="rag" data-red=f.rag.red data-amber=f.rag.amber data-green=f.rag.green data-unset=f.rag.unset>
            <RagBar rag=f.rag label=label.clone()/>
            <span class="rag-counts">
                {rag.into_iter().zip(["RED", "AMBER", "GREEN"]).enumerate().map(|(i, (c, word))| {
                    // One text node before each count: adjacent ones would merge in the browser.
                    let label = format!("{}{word} ", if i > 0 { " · " } else { "" });
                    view! { {label}{c} }
                }).collect_view()}
                {(f.rag.unset > 0).then(|| format!(" · {} not set", f.rag.unset))}
            </span>
        </td>
        <td data-figure="overdue-actions">{count(q, &list, Only::OverdueActions, f.overdue_actions, format!("{label}: plans with overdue actions"))}</td>
        <td data-figure="overdue-reviews">{count(q, &list, Only::OverdueReviews, f.overdue_reviews, format!("{label}: plans overdue for review"))}</td>
        {LEVELS.iter().enumerate().map(|(i, level)| view! {
            <td data-figure=format!("disruptions-{}", level.as_str().to_lowercase())>
                {count(q, &list, Only::Disruption(*level), f.disruptions[i], format!("{label}: plans with {} disruptions", level.as_str()))}
            </td>
        }).collect_view()}
    }
    .into_any()
}

/// One threat's row: its name, model and must-win battles, then figures.
#[component]
pub fn ThreatRow(threat: ThreatFigures, query: PortfolioQuery) -> AnyView {
    let label = threat.name.clone();
    let key = threat.key.clone();
    view! {
        <tr data-threat=key class:retired=threat.retired>
            <th scope="row" class="threat-name">
                {threat.name.clone()}
                {threat.retired.then(|| view! { <span class="retired-mark">" (retired)"</span> })}
                <details class="battles">
                    <summary>{threat.model.label()}</summary>
                    <p class="help">"Must win battles:"</p>
                    <ul>{threat.battles.into_iter().map(|b| view! { <li>{b}</li> }).collect_view()}</ul>
                </details>
            </th>
            <FigureCells figures=threat.figures query=query list=threat.key label=label/>
        </tr>
    }
    .into_any()
}

/// The plans behind a clicked count. Plans the viewer is not a member of
/// count but are not named.
#[component]
pub fn PlanListTable(list: PlanList, back: String) -> AnyView {
    let empty = list.plans.is_empty();
    view! {
        <section class="plan-list" id="plan-list" aria-labelledby="plan-list-heading">
            <h2 id="plan-list-heading">{list.title}</h2>
            <p><a href=back>"Close the list"</a></p>
            {empty.then(|| view! { <p class="empty">"No plans."</p> })}
            {(!empty).then(|| view! {
                <table class="plans-table">
                    <thead><tr>
                        <th scope="col">"Plan"</th><th scope="col">"Tier"</th><th scope="col">"Kind"</th>
                        <th scope="col">"Threats"</th><th scope="col">"Actions (R/A/G)"</th>
                        <th scope="col">"Overdue actions"</th><th scope="col">"Next review"</th><th scope="col">"Disruptions"</th>
                    </tr></thead>
                    <tbody>{list.plans.into_iter().map(|p| view! { <PlanLineRow line=p/> }).collect_view()}</tbody>
                </table>
            })}
        </section>
    }
    .into_any()
}

#[component]
fn PlanLineRow(line: PlanLine) -> AnyView {
    let name = match (line.id, line.name) {
        (Some(id), Some(name)) => view! { <a href=format!("/plans/{id}") class="plan-link">{name}</a> }.into_any(),
        _ => view! { <span class="unnamed">"A plan you are not a member of"</span> }.into_any(),
    };
    view! {
        <tr class:review-overdue=line.review_overdue>
            <td>{name}</td>
            <td>{line.tier.map_or("—".to_string(), |t| t.get().to_string())}</td>
            <td>{line.kind.map_or("—", |k| k.as_str())}</td>
            <td>{line.threats.join(", ")}</td>
            <td>{format!("{} / {} / {}", line.rag.red, line.rag.amber, line.rag.green)}</td>
            <td>{line.overdue_actions}</td>
            <td>
                {line.next_review.map_or("—".to_string(), |d| crate::dates::numeric(d))}
                {line.review_overdue.then_some(" (overdue)")}
            </td>
            <td>{line.disruptions}</td>
        </tr>
    }
    .into_any()
}
