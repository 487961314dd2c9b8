//! The portfolio as CSV: one row per threat (and one for plans tagged to no
//! threat, one for the whole portfolio), headed and footed by the marking.

use super::aggregate::Portfolio;
use super::figures::{Figures, LEVELS};
use crate::csv::row;

/// The CSV. `marking` heads and foots it; values a spreadsheet would run as
/// formulas are defused.
pub fn to_csv(marking: &str, title: &str, portfolio: &Portfolio) -> String {
    let mut out = row([marking]);
    out.push_str(&row([format!(
        "{title}; {}; disruptions dated {} to {}; as at {}",
        if portfolio.whole_region {
            "every plan in the region"
        } else {
            "your plans only"
        },
        portfolio.from,
        portfolio.to,
        portfolio.today
    )]));
    let mut header: Vec<String> = [
        "SGG area",
        "threat",
        "management model",
        "must win battles",
        "retired",
        "plans",
        "tier 1",
        "tier 2",
        "tier 3",
        "tier 4",
        "tier not set",
        "OCG",
        "PI",
        "RED actions",
        "AMBER actions",
        "GREEN actions",
        "status not set",
        "overdue actions",
        "overdue reviews",
    ]
    .map(String::from)
    .to_vec();
    header.extend(LEVELS.iter().map(|l| format!("disruptions {}", l.as_str())));
    out.push_str(&row(header));
    let line = |cells: [&str; 5], f: &Figures| {
        let mut fields: Vec<String> = cells.map(String::from).to_vec();
        fields.push(f.plans.to_string());
        fields.extend(f.tiers[1..].iter().chain(&f.tiers[..1]).map(u32::to_string));
        fields.extend(
            [
                f.ocg,
                f.pi,
                f.rag.red,
                f.rag.amber,
                f.rag.green,
                f.rag.unset,
                f.overdue_actions,
                f.overdue_reviews,
            ]
            .map(|n| n.to_string()),
        );
        fields.extend(f.disruptions.iter().map(u32::to_string));
        row(fields)
    };
    for area in &portfolio.areas {
        for t in &area.threats {
            let battles = t.battles.join("; ");
            out.push_str(&line(
                [
                    &area.name,
                    &t.name,
                    t.model.label(),
                    &battles,
                    if t.retired { "Y" } else { "N" },
                ],
                &t.figures,
            ));
        }
    }
    out.push_str(&line(["", "Tagged to no threat", "", "", ""], &portfolio.untagged));
    out.push_str(&line(["", "All plans", "", "", ""], &portfolio.total));
    out.push_str(&row([marking]));
    out
}
