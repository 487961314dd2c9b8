//! `/portfolio`: every plan the viewer may count, seen against the Control
//! Strategy: per SGG area and threat, the untagged plans, the threats no
//! plan tackles, disruptions per month, filters, drill-down and CSV. It
//! refreshes itself when a counted plan changes.

use super::portfolio_charts::MonthlyDisruptions;
use super::portfolio_tables::{FigureCells, FigureHeadings, PlanListTable, ThreatRow};
use crate::changes::watch_changes;
use crate::components::{AccountBar, Marking};
use crate::escape::PageTitle;
use crate::portfolio::portfolio;
use crate::present;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;
use plan::portfolio::{PortfolioQuery, PortfolioView};
use plan::strategy::ManagementModel;

const TITLE: &str = "Portfolio — Pillars";

#[component]
pub fn PortfolioPage() -> impl IntoView {
    let params = use_query_map();
    let query = Memo::new(move |_| {
        params.with(|p| PortfolioQuery {
            threat: p.get("threat"),
            tier: p.get("tier"),
            model: p.get("model"),
            agency: p.get("agency"),
            from: p.get("from"),
            to: p.get("to"),
            list: p.get("list"),
            only: p.get("only"),
        })
    });
    let changed = RwSignal::new(0u64);
    watch_changes("/api/portfolio/changes", "portfolio", changed);
    let view_data = crate::wire::resource(move || (query.get(), changed.get()), |(q, _)| portfolio(q));
    view! {
        <PageTitle text=TITLE/>
        <Marking/>
        <AccountBar/>
        <main class="page portfolio-page" id="main">
            <header class="page-header"><h1>"Portfolio"</h1></header>
            <Transition fallback=|| view! { <p class="loading">"Loading the portfolio…"</p> }>
                {move || Suspend::new(async move {
                    match view_data.await {
                        Ok(data) => view! { <PortfolioBody data=data/> }.into_any(),
                        Err(e) => view! { <p class="error" role="alert" id="portfolio-error">{present::user_message(&e)}</p> }.into_any(),
                    }
                })}
            </Transition>
        </main>
        <Marking bottom=true/>
    }
}

#[component]
fn PortfolioBody(data: PortfolioView) -> AnyView {
    let p = data.portfolio;
    let q = data.query;
    let scope = if p.whole_region {
        "Counting every plan in the region. Plans you are not a member of are counted but not named."
    } else {
        "Counting the plans you are a member of."
    };
    let csv_params = q.undrilled().to_pairs();
    let back = format!("/portfolio?{}", q.undrilled().to_url_query());
    let untagged_shown = q.threat.is_none() && q.model.is_none();
    view! {
        <p class="scope" id="portfolio-scope" data-whole-region=p.whole_region.to_string()>{scope}</p>
        <p class="strategy-line">
            "Seen against " <strong>{data.strategy_title.clone()}</strong>
            {format!(" (version {}). Disruptions dated {} to {}, by the action log's date.", data.strategy_version, crate::dates::numeric(p.from), crate::dates::numeric(p.to))}
        </p>
        <Filters query=q.clone() threats=data.threats agencies=data.agencies/>
        <crate::components::DownloadForm action="/api/portfolio.csv".to_string() params=csv_params
            id="portfolio-csv" label="Download as CSV"/>
        {p.list.map(|list| view! { <PlanListTable list=list back=back.clone()/> })}
        <ClosedInPeriod closed=data.closed from=p.from to=p.to/>
        <section aria-labelledby="monthly-heading">
            <h2 id="monthly-heading">"Disruptions per month (last 12 months)"</h2>
            <MonthlyDisruptions months=p.monthly/>
            {(p.undated_disruptions > 0).then(|| view! {
                <p class="help">{format!("{} assessed disruptions have no action date and are in no month.", p.undated_disruptions)}</p>
            })}
        </section>
        {p.areas.into_iter().filter(|a| !a.threats.is_empty()).map(|area| {
            let q = q.clone();
            view! {
                <section class="sgg-area" data-area=area.name.clone()>
                    <h2>{area.name.clone()}</h2>
                    <div class="table-scroll">
                        <table class="portfolio-table">
                            <thead><tr><th scope="col">"Threat and management model"</th><FigureHeadings/></tr></thead>
                            <tbody>{area.threats.into_iter().map(|t| view! { <ThreatRow threat=t query=q.clone()/> }).collect_view()}</tbody>
                        </table>
                    </div>
                </section>
            }
        }).collect_view()}
        <section aria-labelledby="totals-heading">
            <h2 id="totals-heading">"All plans"</h2>
            <div class="table-scroll">
                <table class="portfolio-table">
                    <thead><tr><th scope="col">""</th><FigureHeadings/></tr></thead>
                    <tbody>
                        {untagged_shown.then(|| view! {
                            <tr data-threat="untagged"><th scope="row">"Tagged to no threat"</th>
                                <FigureCells figures=p.untagged query=q.clone() list="untagged" label="Tagged to no threat"/></tr>
                        })}
                        <tr data-threat="all"><th scope="row">"All plans counted"</th>
                            <FigureCells figures=p.total query=q.clone() list="all" label="All plans"/></tr>
                    </tbody>
                </table>
            </div>
        </section>
        <section aria-labelledby="idle-heading">
            <h2 id="idle-heading">"Threats no plan tackles"</h2>
            {if p.idle_threats.is_empty() {
                view! { <p id="idle-threats">"Every threat shown has at least one plan."</p> }.into_any()
            } else {
                view! { <ul id="idle-threats">{p.idle_threats.into_iter().map(|(key, name)| view! { <li data-threat=key>{name}</li> }).collect_view()}</ul> }.into_any()
            }}
        </section>
    }
    .into_any()
}

/// A plain GET form: works without JavaScript, and its URL can be shared.
#[component]
fn Filters(query: PortfolioQuery, threats: Vec<(String, String, bool)>, agencies: Vec<String>) -> AnyView {
    let selected = |current: &Option<String>, value: &str| current.as_deref() == Some(value);
    let q = query;
    view! {
        <form class="portfolio-filters" method="get" action="/portfolio" id="portfolio-filters">
            <label>"Threat "
                <select name="threat">
                    <option value="">"Any"</option>
                    {threats.into_iter().map(|(key, name, retired)| {
                        let label = if retired { format!("{name} (retired)") } else { name };
                        view! { <option value=key.clone() selected=selected(&q.threat, &key)>{label}</option> }
                    }).collect_view()}
                </select>
            </label>
            <label>"Tier "
                <select name="tier">
                    <option value="">"Any"</option>
                    {(1..=4).map(|t| view! { <option value=t.to_string() selected=selected(&q.tier, &t.to_string())>{t}</option> }).collect_view()}
                </select>
            </label>
            <label>"Management model "
                <select name="model">
                    <option value="">"Any"</option>
                    {ManagementModel::ALL.iter().map(|m| view! { <option value=m.key() selected=selected(&q.model, m.key())>{m.label()}</option> }).collect_view()}
                </select>
            </label>
            <label>"Agency "
                <select name="agency">
                    <option value="">"Any"</option>
                    {agencies.into_iter().map(|a| view! { <option value=a.clone() selected=selected(&q.agency, &a)>{a.clone()}</option> }).collect_view()}
                </select>
            </label>
            <label>"Disruptions from " <input type="date" name="from" value=q.from.clone().unwrap_or_default()/></label>
            <label>"to " <input type="date" name="to" value=q.to.clone().unwrap_or_default()/></label>
            <button type="submit">"Apply"</button>
            <a href="/portfolio">"Clear"</a>
        </form>
    }
    .into_any()
}

/// Plans closed in the period: they leave the live figures above, and are
/// counted here by the outcome they were closed with.
#[component]
fn ClosedInPeriod(
    closed: Vec<(plan::lifecycle::Outcome, u32)>,
    from: chrono::NaiveDate,
    to: chrono::NaiveDate,
) -> impl IntoView {
    let total: u32 = closed.iter().map(|(_, n)| n).sum();
    view! {
        <section aria-labelledby="closed-heading" id="closed-in-period">
            <h2 id="closed-heading">{format!("Closed from {} to {}", crate::dates::numeric(from), crate::dates::numeric(to))}</h2>
            {if closed.is_empty() {
                view! { <p class="empty">"No plan was closed in the period."</p> }.into_any()
            } else {
                view! {
                    <table class="figures" id="closed-table">
                        <thead><tr><th scope="col">"Outcome"</th><th scope="col">"Plans"</th></tr></thead>
                        <tbody>
                            {closed.into_iter().map(|(o, n)| view! {
                                <tr data-outcome=o.key()><td>{o.label()}</td><td>{n}</td></tr>
                            }).collect_view()}
                            <tr class="total"><td>"All closed"</td><td>{total}</td></tr>
                        </tbody>
                    </table>
                }.into_any()
            }}
        </section>
    }
}
