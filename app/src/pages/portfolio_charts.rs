//! The portfolio's pictures as server-rendered SVG: plain elements from the
//! geometry in `plan::portfolio::chart`, readable without JavaScript and
//! printable. Each bar carries its figures as data attributes and a
//! `<title>` (the tooltip, and what a screen reader reads).

use leptos::prelude::*;
use plan::portfolio::aggregate::MonthFigures;
use plan::portfolio::chart::{monthly_chart, rag_bar};
use plan::portfolio::{RagCounts, LEVELS};

fn level_class(level: plan::Disruption) -> String {
    format!("level level-{}", level.as_str().to_lowercase())
}

fn status_class(status: Option<plan::RagStatus>) -> String {
    format!(
        "seg seg-{}",
        status.map_or("unset".to_string(), |s| s.as_str().to_lowercase())
    )
}

/// Disruptions per month, stacked by level, with a legend.
#[component]
pub fn MonthlyDisruptions(months: Vec<MonthFigures>) -> AnyView {
    let chart = monthly_chart(&months);
    let axis_right = chart.width - 10.0;
    let view_box = format!("0 0 {} {}", chart.width, chart.height);
    view! {
        <figure class="chart monthly-chart">
            <svg id="disruption-chart" viewBox=view_box role="img" aria-labelledby="disruption-chart-title">
                <title id="disruption-chart-title">"Disruptions per month by level, last 12 months"</title>
                {chart.ticks.iter().map(|(value, y)| view! {
                    <g class="tick">
                        <line x1=chart.plot_left x2=axis_right y1=*y y2=*y/>
                        <text x=chart.plot_left - 6.0 y=*y + 4.0 text-anchor="end">{*value}</text>
                    </g>
                }).collect_view()}
                {chart.labels.iter().map(|(month, x)| view! {
                    <text class="month" x=*x y=chart.height - 10.0 text-anchor="middle">{crate::dates::month_short(*month)}</text>
                }).collect_view()}
                {chart.bars.iter().map(|bar| view! {
                    <rect
                        class=level_class(bar.level)
                        x=format!("{:.1}", bar.x)
                        y=format!("{:.1}", bar.y)
                        width=format!("{:.1}", bar.width)
                        height=format!("{:.1}", bar.height)
                        data-month=crate::dates::month_key(bar.month)
                        data-level=bar.level.as_str()
                        data-count=bar.count
                    >
                        <title>{format!("{}: {} {}", crate::dates::month_long(bar.month), bar.count, bar.level.as_str())}</title>
                    </rect>
                }).collect_view()}
            </svg>
            <figcaption class="legend">
                {LEVELS.iter().map(|l| view! {
                    <span class="legend-item"><span class=level_class(*l) aria-hidden="true"></span>{l.as_str()}</span>
                }).collect_view()}
            </figcaption>
        </figure>
    }
    .into_any()
}

/// A RAG bar: RED, AMBER, GREEN and not set, each as wide as its share.
#[component]
pub fn RagBar(rag: RagCounts, #[prop(into)] label: String) -> AnyView {
    let segments = rag_bar(&rag);
    let summary = format!(
        "{label}: {} RED, {} AMBER, {} GREEN, {} not set",
        rag.red, rag.amber, rag.green, rag.unset
    );
    let aria = summary.clone();
    view! {
        <svg class="rag-bar" viewBox="0 0 100 10" preserveAspectRatio="none" role="img" aria-label=aria>
            <title>{summary}</title>
            {segments.into_iter().map(|s| view! {
                <rect
                    class=status_class(s.status)
                    x=format!("{:.2}", s.start * 100.0)
                    y="0"
                    width=format!("{:.2}", s.width * 100.0)
                    height="10"
                    data-status=s.status.map_or("unset", |st| st.as_str())
                    data-count=s.count
                />
            }).collect_view()}
        </svg>
    }
    .into_any()
}
