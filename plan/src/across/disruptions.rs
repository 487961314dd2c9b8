//! The disruption return: the actions whose disruption has been assessed
//! and which are not yet submitted, for an LRO's (or plan owner's) plans;
//! as JSON, CSV and a printable page, and recorded when exported so that
//! the same return can be produced again.

use super::{ps_label, ActionRow};
use crate::csv::row;
use crate::SecurityMarking;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// A return: its rows and the marking heading and footing it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DisruptionReturn {
    pub marking: SecurityMarking,
    /// The plan it covers, or `None` for all of the viewer's.
    pub plan: Option<Uuid>,
    pub rows: Vec<ActionRow>,
}

/// A return as recorded when its CSV was produced.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecordedReturn {
    pub id: Uuid,
    /// Who produced it (name), and when.
    pub by: String,
    pub at: DateTime<Utc>,
    pub plan_ids: Vec<Uuid>,
    #[serde(flatten)]
    pub content: DisruptionReturn,
}

/// The marking of a return over these rows: the highest of their plans',
/// and at least OFFICIAL-SENSITIVE when it spans plans (or none).
pub fn marking(rows: &[ActionRow], plan: Option<Uuid>) -> SecurityMarking {
    let floor = if plan.is_some() {
        SecurityMarking::Official
    } else {
        SecurityMarking::OfficialSensitive
    };
    let highest = rows.iter().map(|r| r.marking).max();
    match (plan, highest) {
        (Some(_), Some(m)) => m,
        (Some(_), None) => SecurityMarking::default(),
        (None, m) => m.map_or(floor, |m| m.max(floor)),
    }
}

/// Plan name, then the action log's date (undated last), then text.
pub fn sort(rows: &mut [ActionRow]) {
    rows.sort_by(|a, b| {
        let key = |r: &ActionRow| {
            (
                r.plan_name.to_lowercase(),
                r.plan_id,
                r.action.date.is_none(),
                r.action.date,
                r.action.text.to_lowercase(),
            )
        };
        key(a).cmp(&key(b))
    });
}

/// The CSV of a recorded return: the marking first and last, then who
/// produced it and when; one row per action; formulas defused. The same
/// record always gives the same bytes.
pub fn to_csv(recorded: &RecordedReturn) -> String {
    let marking = recorded.content.marking.as_str();
    let mut out = row([marking]);
    out.push_str(&row([format!(
        "Disruption return {}; produced {} by {}; {} action(s)",
        recorded.id,
        recorded.at.format("%Y-%m-%d %H:%M:%S UTC"),
        recorded.by,
        recorded.content.rows.len()
    )]));
    out.push_str(&row([
        "plan",
        "plan id",
        "action id",
        "date",
        "action",
        "owner",
        "agency",
        "disruption",
        "Ps",
    ]));
    for r in &recorded.content.rows {
        let a = &r.action;
        out.push_str(&row([
            r.plan_name.clone(),
            r.plan_id.to_string(),
            a.id.clone(),
            a.date.map(|d| d.to_string()).unwrap_or_default(),
            a.text.clone(),
            a.owner_name.clone(),
            a.owner_agency.clone(),
            a.disruption.map(|d| d.as_str().to_string()).unwrap_or_default(),
            ps_label(a),
        ]));
    }
    out.push_str(&row([marking]));
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::access::Role;
    use crate::portfolio::ActionFacts;
    use crate::vocabulary::{Disruption, P};
    use chrono::NaiveDate;

    fn action_row(plan: &str, text: &str, marking: SecurityMarking) -> ActionRow {
        ActionRow {
            plan_id: Uuid::nil(),
            plan_name: plan.into(),
            marking,
            role: Role::Lro,
            action: ActionFacts {
                id: "a1".into(),
                status: None,
                date: NaiveDate::from_ymd_opt(2026, 11, 5),
                target_date: None,
                disruption: Some(Disruption::Major),
                owner_agency: "Northshire Police".into(),
                ps: [P::Pursue, P::Protect].into(),
                submitted: false,
                text: text.into(),
                owner_name: "@Dee".into(),
                update: String::new(),
            },
        }
    }

    #[test]
    fn the_csv_is_marked_defused_and_reproducible() {
        let rows = vec![action_row(
            "Operation Larch",
            "=HYPERLINK(\"http://x\")",
            SecurityMarking::OfficialSensitive,
        )];
        let recorded = RecordedReturn {
            id: Uuid::nil(),
            by: "Dee LRO".into(),
            at: DateTime::from_timestamp(1_800_000_000, 0).unwrap(),
            plan_ids: vec![Uuid::nil()],
            content: DisruptionReturn {
                marking: marking(&rows, None),
                plan: None,
                rows,
            },
        };
        let csv = to_csv(&recorded);
        let lines: Vec<&str> = csv.lines().collect();
        assert_eq!(lines.first(), Some(&"\"OFFICIAL-SENSITIVE\""));
        assert_eq!(lines.last(), Some(&"\"OFFICIAL-SENSITIVE\""));
        assert!(
            lines[1].contains("produced 2027-01-15 08:00:00 UTC by Dee LRO"),
            "{}",
            lines[1]
        );
        assert!(lines[3].contains("\"'=HYPERLINK(\"\"http://x\"\")\""), "{}", lines[3]);
        assert!(lines[3].contains("\"'@Dee\""), "{}", lines[3]);
        assert!(
            lines[3].contains("\"2026-11-05\"")
                && lines[3].contains("\"MAJOR\"")
                && lines[3].contains("\"PURSUE, PROTECT\"")
        );
        assert_eq!(to_csv(&recorded), csv);
    }

    #[test]
    fn a_return_is_marked_by_its_highest_plan_and_spans_at_least_official_sensitive() {
        let official = [action_row("A", "x", SecurityMarking::Official)];
        assert_eq!(marking(&official, Some(Uuid::nil())), SecurityMarking::Official);
        assert_eq!(marking(&official, None), SecurityMarking::OfficialSensitive);
        let operational = [action_row("B", "y", SecurityMarking::OfficialSensitiveOperational)];
        assert_eq!(
            marking(&operational, None),
            SecurityMarking::OfficialSensitiveOperational
        );
        assert_eq!(marking(&[], None), SecurityMarking::OfficialSensitive);
    }
}
