//! A plan's history as CSV, headed and footed by the security marking.

use crate::audit::HistoryEntry;
use plan::change_label;
use std::collections::BTreeMap;

/// One row per change: when, who, agency, what (in words), field (its
/// key), old, new.
pub fn to_csv(marking: &str, entries: &[HistoryEntry], names: &BTreeMap<String, String>) -> String {
    let rows = entries.iter().flat_map(|entry| {
        entry.changes.iter().map(move |change| {
            [
                entry.at.to_rfc3339(),
                entry.user.clone(),
                entry.agency.clone(),
                change_label::describe(&change.field, names),
                change.field.clone(),
                change.old.clone().unwrap_or_default(),
                change.new.clone().unwrap_or_default(),
            ]
        })
    });
    plan::csv::marked(marking, "when,who,agency,what,field,old,new", rows)
}

#[cfg(test)]
mod tests {
    use super::*;
    use uuid::Uuid;

    #[test]
    fn csv_quotes_and_defuses_formulas_and_carries_the_marking() {
        let entry = HistoryEntry {
            at: "2026-11-22T10:00:00Z".parse().unwrap(),
            user_id: Uuid::nil(),
            user: "Ann \"the\" LRO".into(),
            agency: "Police".into(),
            changes: vec![plan::access::Change {
                field: "aim".into(),
                old: Some(String::new()),
                new: Some("=HYPERLINK(\"x\")".into()),
            }],
        };
        let csv = to_csv("OFFICIAL-SENSITIVE", &[entry], &BTreeMap::new());
        let lines: Vec<&str> = csv.lines().collect();
        assert_eq!(lines[0], "OFFICIAL-SENSITIVE");
        assert_eq!(
            lines[2],
            r#""2026-11-22T10:00:00+00:00","Ann ""the"" LRO","Police","Aim","aim","","'=HYPERLINK(""x"")""#
        );
        assert_eq!(lines.last(), Some(&"OFFICIAL-SENSITIVE"));
    }
}
