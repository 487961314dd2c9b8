//! The geometry of the portfolio's two pictures, as plain numbers a view
//! turns into SVG: disruptions per month stacked by level, and a RAG bar
//! per threat. Kept here so the bars can be checked without a browser.

use super::aggregate::MonthFigures;
use super::figures::{RagCounts, LEVELS};
use crate::vocabulary::{Disruption, RagStatus};
use chrono::NaiveDate;

/// One rectangle of a stacked bar.
#[derive(Debug, Clone, PartialEq)]
pub struct Bar {
    pub month: NaiveDate,
    pub level: Disruption,
    pub count: u32,
    pub x: f64,
    pub y: f64,
    pub width: f64,
    pub height: f64,
}

/// The monthly chart: its bars, y-axis ticks (value, y) and month labels (x).
#[derive(Debug, Clone, PartialEq)]
pub struct MonthlyChart {
    pub width: f64,
    pub height: f64,
    pub plot_top: f64,
    pub plot_bottom: f64,
    pub plot_left: f64,
    pub bars: Vec<Bar>,
    pub ticks: Vec<(u32, f64)>,
    pub labels: Vec<(NaiveDate, f64)>,
}

pub const CHART_WIDTH: f64 = 720.0;
pub const CHART_HEIGHT: f64 = 260.0;
const LEFT: f64 = 40.0;
const RIGHT: f64 = 10.0;
const TOP: f64 = 10.0;
const BOTTOM: f64 = 30.0;

/// A round number at least `max` for the axis top, and its tick step.
fn scale(max: u32) -> (u32, u32) {
    let max = max.max(1);
    let step = [1u32, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000, 2000, 5000, 10_000]
        .into_iter()
        .find(|s| max.div_ceil(*s) <= 5)
        .unwrap_or_else(|| max.div_ceil(5));
    (max.div_ceil(step) * step, step)
}

/// Lays out one stacked column per month, levels bottom-up in
/// [`LEVELS`] order (MAJOR at the base).
pub fn monthly_chart(months: &[MonthFigures]) -> MonthlyChart {
    let plot_height = CHART_HEIGHT - TOP - BOTTOM;
    let plot_width = CHART_WIDTH - LEFT - RIGHT;
    let tallest = months.iter().map(|m| m.counts.iter().sum::<u32>()).max().unwrap_or(0);
    let (top, step) = scale(tallest);
    let unit = plot_height / f64::from(top);
    let column = plot_width / months.len().max(1) as f64;
    let bar_width = column * 0.7;
    let mut bars = Vec::new();
    let mut labels = Vec::new();
    for (i, month) in months.iter().enumerate() {
        let x = LEFT + column * i as f64 + (column - bar_width) / 2.0;
        labels.push((month.month, x + bar_width / 2.0));
        let mut base = CHART_HEIGHT - BOTTOM;
        for (level, count) in LEVELS.iter().zip(month.counts) {
            if count == 0 {
                continue;
            }
            let height = unit * f64::from(count);
            base -= height;
            bars.push(Bar {
                month: month.month,
                level: *level,
                count,
                x,
                y: base,
                width: bar_width,
                height,
            });
        }
    }
    let ticks = (0..=top / step)
        .map(|i| (i * step, CHART_HEIGHT - BOTTOM - unit * f64::from(i * step)))
        .collect();
    MonthlyChart {
        width: CHART_WIDTH,
        height: CHART_HEIGHT,
        plot_top: TOP,
        plot_bottom: CHART_HEIGHT - BOTTOM,
        plot_left: LEFT,
        bars,
        ticks,
        labels,
    }
}

/// One segment of a RAG bar.
#[derive(Debug, Clone, PartialEq)]
pub struct Segment {
    /// `None`: status not set.
    pub status: Option<RagStatus>,
    pub count: u32,
    /// Left edge and width, as fractions of the bar (0 to 1).
    pub start: f64,
    pub width: f64,
}

/// A bar split RED, AMBER, GREEN, then not set, each as wide as its share.
pub fn rag_bar(rag: &RagCounts) -> Vec<Segment> {
    let total = rag.total();
    if total == 0 {
        return Vec::new();
    }
    let mut start = 0.0;
    [
        Some(RagStatus::Red),
        Some(RagStatus::Amber),
        Some(RagStatus::Green),
        None,
    ]
    .into_iter()
    .filter_map(|status| {
        let count = rag.get(status);
        (count > 0).then(|| {
            let width = f64::from(count) / f64::from(total);
            let segment = Segment {
                status,
                count,
                start,
                width,
            };
            start += width;
            segment
        })
    })
    .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn month(m: u32, counts: [u32; 5]) -> MonthFigures {
        MonthFigures {
            month: NaiveDate::from_ymd_opt(2026, m, 1).unwrap(),
            counts,
        }
    }

    #[test]
    fn columns_stack_levels_from_major_up_and_share_one_scale() {
        let chart = monthly_chart(&[
            month(1, [2, 0, 1, 0, 0]),
            month(2, [0, 0, 0, 0, 0]),
            month(3, [0, 4, 0, 0, 1]),
        ]);
        assert_eq!(chart.bars.len(), 4);
        let (major, minor) = (&chart.bars[0], &chart.bars[1]);
        assert_eq!(
            (major.level, major.count, minor.level, minor.count),
            (Disruption::Major, 2, Disruption::Minor, 1)
        );
        assert!(
            (major.y + major.height - chart.plot_bottom).abs() < 1e-9,
            "MAJOR sits on the axis"
        );
        assert!((minor.y + minor.height - major.y).abs() < 1e-9, "MINOR sits on MAJOR");
        // The tallest column (5) fills the plot to the axis top (5).
        let tallest: f64 = chart.bars[2..].iter().map(|b| b.height).sum();
        assert!((tallest - (chart.plot_bottom - chart.plot_top)).abs() < 1e-9);
        assert!((major.height / f64::from(major.count) - chart.bars[2].height / 4.0).abs() < 1e-9);
        assert_eq!(chart.ticks.first().unwrap().0, 0);
        assert_eq!(chart.ticks.last().unwrap().0, 5);
        assert_eq!(chart.labels.len(), 3);
    }

    #[test]
    fn an_empty_chart_has_an_axis_and_no_bars() {
        let chart = monthly_chart(&[month(1, [0; 5])]);
        assert!(chart.bars.is_empty());
        assert_eq!(chart.ticks.iter().map(|t| t.0).collect::<Vec<_>>(), [0, 1]);
    }

    #[test]
    fn rag_segments_are_shares_of_the_bar() {
        let bar = rag_bar(&RagCounts {
            red: 1,
            amber: 0,
            green: 2,
            unset: 1,
        });
        let got: Vec<(Option<RagStatus>, u32, f64, f64)> =
            bar.iter().map(|s| (s.status, s.count, s.start, s.width)).collect();
        assert_eq!(
            got,
            [
                (Some(RagStatus::Red), 1, 0.0, 0.25),
                (Some(RagStatus::Green), 2, 0.25, 0.5),
                (None, 1, 0.75, 0.25)
            ]
        );
        assert!(rag_bar(&RagCounts::default()).is_empty());
    }

    #[test]
    fn axis_tops_are_round() {
        assert_eq!(scale(0), (1, 1));
        assert_eq!(scale(7), (8, 2));
        assert_eq!(scale(23), (25, 5));
        assert_eq!(scale(480), (500, 100));
    }
}
