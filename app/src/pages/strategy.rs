//! `/strategy`: the regional Control Strategy, for every logged-in user;
//! `/strategy?version=N` shows an earlier version, read-only.
//! Administrators and strategic leads also get the editor
//! ([`super::strategy_editor`]) under the current version.

use super::strategy_editor::StrategyEditor;
use crate::components::{AccountBar, Marking};
use crate::escape::PageTitle;
use crate::present;
use crate::strategy::{get_strategy, PublishStrategy, StrategyPageData};
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;
use plan::strategy::{ControlStrategy, StrategyThreat};

/// The strategy page.
#[component]
pub fn StrategyPage() -> impl IntoView {
    let query = use_query_map();
    let publish = ServerAction::<PublishStrategy>::new();
    let version = move || query.read().get("version").and_then(|v| v.trim().parse::<i64>().ok());
    // Reloaded after a publish that landed; a refused one leaves the
    // editor as it is, with the reason beside it.
    let published = Memo::new(move |_| publish.value().get().and_then(Result::ok));
    let page = crate::wire::resource(move || (version(), published.get()), |(v, _)| get_strategy(v));
    view! {
        <PageTitle text="Control Strategy — Pillars"/>
        <Marking/>
        <AccountBar/>
        <main class="page strategy" id="main">
            <nav class="breadcrumbs" aria-label="Breadcrumb">
                <a href="/">"← All plans"</a>
            </nav>
            <Suspense fallback=|| view! { <p class="loading">"Loading…"</p> }>
                {move || Suspend::new(async move {
                    match page.await {
                        Err(e) => view! { <p class="error" role="alert" id="strategy-error">{present::user_message(&e)}</p> }.into_any(),
                        Ok(page) => view! { <Strategy page=page publish=publish/> }.into_any(),
                    }
                })}
            </Suspense>
        </main>
        <Marking bottom=true/>
    }
}

#[component]
fn Strategy(page: StrategyPageData, publish: ServerAction<PublishStrategy>) -> impl IntoView {
    let shown = page.shown.clone();
    let is_current = shown.version == page.current;
    let status = if is_current {
        format!("Version {} (current)", shown.version)
    } else {
        format!("Version {}, superseded: read-only", shown.version)
    };
    let editor =
        (is_current && page.may_edit).then(|| view! { <StrategyEditor current=shown.clone() action=publish/> });
    view! {
        <header class="page-header">
            <p class="eyebrow">"Control Strategy"</p>
            <h1 id="strategy-title">{shown.strategy.title.clone()}</h1>
            <p id="strategy-version" data-version=shown.version.to_string()>
                {status} " · effective from " {present::format_date(shown.strategy.effective_from)}
                " · published by " {shown.published_by.clone()}
            </p>
        </header>
        <StrategyBody strategy=shown.strategy/>
        <section aria-labelledby="versions-heading">
            <h2 id="versions-heading">"Versions"</h2>
            <ul id="strategy-versions">
                {page.versions.into_iter().map(|v| view! {
                    <li data-version=v.version.to_string()>
                        <a href=format!("/strategy?version={}", v.version)>{format!("Version {}: {}", v.version, v.title)}</a>
                        " (effective " {present::format_date(v.effective_from)} ", published by " {v.published_by} ")"
                    </li>
                }).collect_view()}
            </ul>
        </section>
        {editor}
    }
}

/// The strategy itself: aim, SPR themes, threats by SGG area, priorities.
#[component]
fn StrategyBody(strategy: ControlStrategy) -> impl IntoView {
    let items = |list: Vec<String>| list.into_iter().map(|i| view! { <li>{i}</li> }).collect_view();
    let areas = strategy
        .areas
        .iter()
        .map(|area| {
            let threats: Vec<StrategyThreat> = strategy.threats_in(area).cloned().collect();
            view! {
                <section class="sgg-area" data-area=area.clone()>
                    <h3>{area.clone()}</h3>
                    <table class="members threats-table">
                        <thead><tr><th scope="col">"Threat"</th><th scope="col">"Management model"</th><th scope="col">"Must win battles"</th></tr></thead>
                        <tbody>{threats.into_iter().map(|t| view! { <ThreatRow threat=t/> }).collect_view()}</tbody>
                    </table>
                </section>
            }
        })
        .collect_view();
    view! {
        <section aria-labelledby="aim-heading">
            <h2 id="aim-heading">"Aim"</h2>
            <p id="strategy-aim">{strategy.aim.clone()}</p>
            <h2>"Strategic Policing Requirement"</h2>
            <ul id="spr-themes">{items(strategy.spr_themes.clone())}</ul>
        </section>
        <section aria-labelledby="threats-heading" id="strategy-threats">
            <h2 id="threats-heading">"Threats"</h2>
            {areas}
        </section>
        <section aria-labelledby="priorities-heading">
            <h2 id="priorities-heading">"Local policing priorities (common themes)"</h2>
            <ul id="local-priorities">{items(strategy.local_priorities.clone())}</ul>
        </section>
    }
}

#[component]
fn ThreatRow(threat: StrategyThreat) -> impl IntoView {
    let retired = threat.retired;
    view! {
        <tr class="threat" class:retired=retired data-threat=threat.key.to_string()>
            <th scope="row">
                {threat.name} {retired.then(|| view! { " " <strong class="flag">"(retired)"</strong> })}
            </th>
            <td>{threat.model.label()}</td>
            <td><ul>{threat.battles.into_iter().map(|b| view! { <li>{b}</li> }).collect_view()}</ul></td>
        </tr>
    }
}
