//! The portfolio page's SVG: a bar per month and disruption level, and a
//! RAG bar per threat.

use super::{fixture, today};
use chrono::Duration;
use integration_tests::Fetch;

/// The `<rect>`s of the monthly chart: (month, level, count).
fn monthly_bars(page: &str) -> Vec<(String, String, String)> {
    let attr = |tag: &str, name: &str| {
        let start = tag.find(&format!("{name}=\""))? + name.len() + 2;
        Some(tag[start..][..tag[start..].find('"')?].to_string())
    };
    page.split("<rect")
        .skip(1)
        .filter_map(|rest| {
            let tag = &rest[..rest.find('>')?];
            Some((
                attr(tag, "data-month")?,
                attr(tag, "data-level")?,
                attr(tag, "data-count")?,
            ))
        })
        .collect()
}

#[tokio::test]
async fn the_chart_has_a_bar_per_month_and_level_and_each_threat_a_rag_bar() {
    let f = fixture().await;
    let page = f.lead.get(f.app.url("/portfolio")).text_body().await;
    assert!(page.contains("OFFICIAL-SENSITIVE"));
    let month = |days: i64| (today() - Duration::days(days)).format("%Y-%m").to_string();
    let mut bars = monthly_bars(&page);
    bars.sort();
    let mut expected = vec![
        (month(60), "MAJOR".to_string(), "1".to_string()),
        (month(0), "MINOR".to_string(), "1".to_string()),
    ];
    expected.sort();
    assert_eq!(
        bars, expected,
        "one bar per assessed month and level; the 800-day-old one is off the chart"
    );
    let row = &page[page.find("data-threat=\"county-lines\"").expect("a county lines row")..];
    let row = &row[..row.find("</tr>").unwrap()];
    for part in [
        "data-red=\"2\"",
        "data-amber=\"1\"",
        "data-green=\"1\"",
        "data-status=\"RED\" data-count=\"2\"",
        "data-status=\"GREEN\" data-count=\"1\"",
    ] {
        assert!(row.contains(part), "{part} in {row}");
    }
}
