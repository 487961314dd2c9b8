//! What the audit trail's field keys mean to a person reading the history.
//!
//! The trail stores stable keys (`aim`, `objective:pursue-1`,
//! `action:{id}:status`) so it stays machine-readable; [`describe`] turns
//! one into the words on the plan page ("Aim", "Objective (PURSUE)",
//! "Action “Warrant at Elm Street”: Status").

use crate::access::Change;
use crate::actions::Action;
use crate::fields::ActionText;
use crate::header::HeaderText;
use crate::template::{Section, STANDARD_OBJECTIVES};
use crate::vocabulary::P;
use std::collections::BTreeMap;
use std::str::FromStr;

/// Action descriptions by id, for naming actions in the history: the
/// current text where the action still exists, else the last text the
/// trail recorded for it (so deleted actions keep a name).
pub fn action_names<'a>(current: &[Action], trail: impl IntoIterator<Item = &'a Change>) -> BTreeMap<String, String> {
    let mut names = BTreeMap::new();
    for change in trail {
        let Some(rest) = change.field.strip_prefix("action:") else {
            continue;
        };
        let (id, part) = rest.split_once(':').unwrap_or((rest, "text"));
        if part != "text" {
            continue;
        }
        let known = [&change.new, &change.old]
            .into_iter()
            .flatten()
            .find(|t| !t.trim().is_empty());
        if let Some(text) = known {
            names.insert(id.to_string(), text.clone());
        }
    }
    for action in current.iter().filter(|a| !a.text.trim().is_empty()) {
        names.insert(action.id.clone(), action.text.clone());
    }
    names
}

/// The key under which the trail records a change to `user`'s membership
/// of the plan (old and new are role keys, empty for "not a member").
pub fn member_field(user: impl std::fmt::Display) -> String {
    format!("member:{user}")
}

/// The field a change touched, in the plan page's words. `names` holds
/// action descriptions by action id (see [`action_names`]) and people, as
/// "Name (Agency)", by their [`member_field`] key.
pub fn describe(field: &str, names: &BTreeMap<String, String>) -> String {
    if let Some(redacted) = field.strip_prefix("redaction:") {
        return format!("Redaction in {}", describe(redacted, names));
    }
    if let Some(rest) = field.strip_prefix("comment:") {
        return match rest.split_once(':') {
            Some((_, "state")) => "Comment thread: resolved or open".to_string(),
            Some((_, "hidden")) => "Comment hidden".to_string(),
            _ => "Comment".to_string(),
        };
    }
    if let Some(rest) = field.strip_prefix("suggestion:") {
        return match rest.split_once(':') {
            Some((_, "decision")) => "Suggested change: decided".to_string(),
            _ => "Suggested change".to_string(),
        };
    }
    if field.starts_with("member:") {
        return match names.get(field) {
            Some(who) => format!("Member {who}"),
            None => "A member".to_string(),
        };
    }
    if let Some(rest) = field.strip_prefix("action:") {
        let (id, part) = match rest.split_once(':') {
            Some((id, part)) => (id, Some(part)),
            None => (rest, None),
        };
        let action = match names.get(id) {
            Some(name) => format!("Action “{}”", shorten(name)),
            None => "An action".to_string(),
        };
        return match part {
            None => action,
            Some(part) => format!("{action}: {}", action_column(part)),
        };
    }
    if let Some(id) = field.strip_prefix("objective:") {
        return match STANDARD_OBJECTIVES.iter().find(|o| o.id == id) {
            Some(o) => format!("Standard objective ({})", o.p),
            None => "Objective of the plan's own".to_string(),
        };
    }
    if let Some(section) = Section::from_key(field) {
        return section.title().to_string();
    }
    if let Some(header) = HeaderText::ALL.into_iter().find(|h| h.key() == field) {
        return header.label().to_string();
    }
    match field {
        "marking" => "Security marking",
        "subject_kind" => "Subject type",
        "tier" => "Tier",
        "last_review" => "Last review",
        "threats" => "SOC threats tackled",
        // Raised by the LRO above what the marking implies (empty: as the
        // marking implies).
        "vetting" => "Vetting the plan needs",
        other => other,
    }
    .to_string()
}

/// The action log's column for an action field key.
fn action_column(part: &str) -> String {
    if let Some(text) = ActionText::ALL.into_iter().find(|t| t.key() == part) {
        return text.label().to_string();
    }
    match part {
        "ps" => "Aligned to (Ps)",
        "date" => "Date",
        "target_date" => "Target date",
        "owner_agency" => "Owner agency",
        "status" => "Status",
        "disruption" => "Disruption assessment",
        "submitted" => "Submitted Y/N",
        other => {
            return P::from_str(other)
                .map(|p| p.to_string())
                .unwrap_or_else(|_| other.to_string())
        }
    }
    .to_string()
}

/// At most 60 characters of a description, cut at a character boundary.
fn shorten(text: &str) -> String {
    let text = text.trim();
    match text.char_indices().nth(60) {
        Some((cut, _)) => format!("{}…", text[..cut].trim_end()),
        None => text.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn recorded(field: &str, old: &str, new: &str) -> Change {
        Change {
            field: field.into(),
            old: Some(old.into()),
            new: Some(new.into()),
        }
    }

    #[test]
    fn plan_parts_read_as_the_page_names_them() {
        let none = BTreeMap::new();
        assert_eq!(describe("aim", &none), "Aim");
        assert_eq!(describe("lro_update", &none), "LRO Update");
        assert_eq!(describe("sio", &none), "Senior Investigating Officer (SIO)");
        assert_eq!(describe("marking", &none), "Security marking");
        assert_eq!(describe("objective:prevent-2", &none), "Standard objective (PREVENT)");
        assert_eq!(describe("objective:5f1c", &none), "Objective of the plan's own");
        assert_eq!(describe("threats", &none), "SOC threats tackled");
    }

    #[test]
    fn actions_are_named_by_their_description_even_once_deleted() {
        let trail = [
            recorded("action:a1", "", "Warrant at the cuckooed flat, Elm Street"),
            recorded("action:a2", "", "Home visit"),
            recorded("action:a2", "Home visit", ""),
        ];
        let current = [Action {
            id: "a1".into(),
            text: "Warrant at Elm Street".into(),
            ps: [P::Pursue].into_iter().collect(),
            date: None,
            target_date: None,
            owner_name: String::new(),
            owner_agency: "Police".into(),
            update: String::new(),
            status: None,
            disruption: None,
            submitted: false,
        }];
        let names = action_names(&current, &trail);
        assert_eq!(
            describe("action:a1:status", &names),
            "Action “Warrant at Elm Street”: Status"
        );
        assert_eq!(
            describe("action:a1:update", &names),
            "Action “Warrant at Elm Street”: Update/result"
        );
        assert_eq!(describe("action:a2", &names), "Action “Home visit”");
        assert_eq!(describe("action:zz:submitted", &names), "An action: Submitted Y/N");
    }

    #[test]
    fn membership_changes_name_the_member() {
        let key = member_field("7c1e");
        assert_eq!(key, "member:7c1e");
        let names = BTreeMap::from([(key.clone(), "Alice Smith (Council)".to_string())]);
        assert_eq!(describe(&key, &names), "Member Alice Smith (Council)");
        assert_eq!(describe("member:other", &names), "A member");
    }

    #[test]
    fn long_descriptions_are_shortened_on_a_character_boundary() {
        let long = "é".repeat(80);
        let names = BTreeMap::from([("a".to_string(), long)]);
        let shown = describe("action:a", &names);
        assert_eq!(shown.chars().filter(|c| *c == 'é').count(), 60);
        assert!(shown.ends_with("…”"));
    }
}
