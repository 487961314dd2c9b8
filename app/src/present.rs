//! Plain view logic: how values are shown to users, and how form input is
//! parsed at the boundary. No reactivity here, so it is unit-tested directly.

use chrono::NaiveDate;
use leptos::prelude::ServerFnError;
use plan::{Action, Disruption, InvalidValue, ModelError, NewPlan, RagStatus, SecurityMarking, SubjectKind, Tier, P};
use std::str::FromStr;

/// Shown instead of internal errors, which are logged on the server.
pub const GENERIC_ERROR: &str =
    "Something went wrong on the server. Please try again; if it keeps happening, tell your system administrator.";

/// Shown when the browser could not reach the server.
pub const NETWORK_ERROR: &str = "Could not reach the server. Check your connection and try again.";

/// Shown where an optional value is missing.
pub const NOT_SET: &str = "Not set";

/// CSS putting the marking in the top and bottom margin of every printed
/// page. (The marking is a closed set of plain words: safe in a CSS string.)
pub fn print_marking_css(marking: SecurityMarking) -> String {
    let m = marking.as_str();
    let rule = "font: 700 10pt system-ui, sans-serif; letter-spacing: 0.08em;";
    // The first page already shows the top banner in the page itself.
    format!(
        "@page {{ @top-center {{ content: \"{m}\"; {rule} }} @bottom-center {{ content: \"{m}\"; {rule} }} }} \
         @page :first {{ @top-center {{ content: none; }} }}"
    )
}

/// Today's date where the user is (the server's zone when rendering there).
pub fn today() -> NaiveDate {
    chrono::Local::now().date_naive()
}

/// A date as the template writes it: `21 Nov 2026`.
pub fn format_date(date: NaiveDate) -> String {
    crate::dates::short(date)
}

/// An optional date, or "Not set".
pub fn format_opt_date(date: Option<NaiveDate>) -> String {
    date.map(format_date).unwrap_or_else(|| NOT_SET.to_string())
}

/// The template's 'Y'/'N'.
pub fn yes_no(value: bool) -> &'static str {
    if value {
        "Y"
    } else {
        "N"
    }
}

/// CSS classes for a RAG status (colour is always paired with its text).
pub fn rag_class(status: Option<RagStatus>) -> &'static str {
    match status {
        Some(RagStatus::Red) => "rag rag-red",
        Some(RagStatus::Amber) => "rag rag-amber",
        Some(RagStatus::Green) => "rag rag-green",
        None => "rag rag-unset",
    }
}

/// CSS classes for a count of actions with a status in the plans list;
/// zero counts are muted so the eye goes to the non-zero ones.
pub fn count_class(status: RagStatus, count: u32) -> String {
    let base = rag_class(Some(status));
    if count == 0 {
        format!("{base} rag-zero")
    } else {
        base.to_string()
    }
}

/// The text shown for a RAG status.
pub fn rag_text(status: Option<RagStatus>) -> &'static str {
    status.map(RagStatus::as_str).unwrap_or(NOT_SET)
}

/// The text shown for a disruption assessment.
pub fn disruption_text(level: Option<Disruption>) -> &'static str {
    level.map(Disruption::as_str).unwrap_or("Not assessed")
}

/// CSS classes for a disruption assessment.
pub fn disruption_class(level: Option<Disruption>) -> &'static str {
    match level {
        Some(Disruption::Negative) => "disruption disruption-negative",
        Some(Disruption::None) => "disruption disruption-none",
        Some(Disruption::Minor) => "disruption disruption-minor",
        Some(Disruption::Moderate) => "disruption disruption-moderate",
        Some(Disruption::Major) => "disruption disruption-major",
        None => "disruption disruption-unset",
    }
}

/// "Tier 2", or "Not set".
pub fn tier_text(tier: Option<Tier>) -> String {
    tier.map(|t| format!("Tier {t}")).unwrap_or_else(|| NOT_SET.to_string())
}

/// The short subject kind shown as a badge: "OCG" / "PI" / "?".
pub fn kind_short(kind: Option<SubjectKind>) -> &'static str {
    kind.map(SubjectKind::as_str).unwrap_or("?")
}

/// The subject kind spelled out.
pub fn kind_long(kind: Option<SubjectKind>) -> &'static str {
    match kind {
        Some(SubjectKind::Ocg) => "Organised Crime Group (OCG)",
        Some(SubjectKind::Pi) => "Priority Individual (PI)",
        None => NOT_SET,
    }
}

/// A free-text value, or "Not set" when blank.
pub fn or_not_set(text: &str) -> String {
    let t = text.trim();
    if t.is_empty() {
        NOT_SET.to_string()
    } else {
        t.to_string()
    }
}

/// The template's "Owner (name/agency)" cell.
pub fn owner_text(name: &str, agency: &str) -> String {
    match (name.trim(), agency.trim()) {
        ("", "") => NOT_SET.to_string(),
        (n, "") => n.to_string(),
        ("", a) => a.to_string(),
        (n, a) => format!("{n} / {a}"),
    }
}

/// The link to a plan's page.
pub fn plan_href(id: uuid::Uuid) -> String {
    format!("/plans/{id}")
}

/// The state of a review date relative to today.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReviewState {
    NotSet,
    Overdue,
    DueToday,
    Upcoming,
}

impl ReviewState {
    pub fn of(next_review: Option<NaiveDate>, today: NaiveDate) -> Self {
        match next_review {
            None => ReviewState::NotSet,
            Some(d) if d < today => ReviewState::Overdue,
            Some(d) if d == today => ReviewState::DueToday,
            Some(_) => ReviewState::Upcoming,
        }
    }

    /// The flag shown next to the date (never colour alone).
    pub fn flag(self) -> Option<&'static str> {
        match self {
            ReviewState::Overdue => Some("Overdue"),
            ReviewState::DueToday => Some("Due today"),
            ReviewState::NotSet | ReviewState::Upcoming => None,
        }
    }

    pub fn class(self) -> &'static str {
        match self {
            ReviewState::Overdue => "review review-overdue",
            ReviewState::DueToday => "review review-due",
            ReviewState::NotSet => "review review-unset",
            ReviewState::Upcoming => "review",
        }
    }
}

/// The other Ps an action also aligns to, e.g. "PURSUE, PROTECT".
pub fn also_aligned(action: &Action, shown_in: P) -> Option<String> {
    let others: Vec<&str> = action
        .ps
        .iter()
        .filter(|q| **q != shown_in)
        .map(|q| q.as_str())
        .collect();
    (!others.is_empty()).then(|| others.join(", "))
}

/// The new-plan form's fields: (name, label), in the form's order.
pub const NEW_PLAN_FIELDS: [(&str, &str); 5] = [
    ("subject_kind", "Subject type"),
    ("subject_name", "Subject name"),
    ("subject_ref", "Reference"),
    ("tier", "Tier"),
    ("lro", "Lead Responsible Officer (LRO)"),
];

/// The label users see for a field name.
pub fn field_label(field: &str) -> &str {
    NEW_PLAN_FIELDS
        .iter()
        .find(|(name, _)| *name == field)
        .map(|(_, label)| *label)
        .unwrap_or(field)
}

/// The field a user-facing error message is about (its label prefix).
pub fn error_field(message: &str) -> Option<&'static str> {
    NEW_PLAN_FIELDS
        .iter()
        .find(|(_, label)| message.starts_with(&format!("{label}: ")))
        .map(|(name, _)| *name)
}

/// A value that is not one of a field's choices, for users.
pub fn describe_invalid(e: &InvalidValue) -> String {
    let label = field_label(e.field);
    let choices = e.expected.split(' ').collect::<Vec<_>>().join(", ");
    if e.value.trim().is_empty() {
        format!("{label}: choose one of {choices}")
    } else {
        format!("{label}: {:?} is not valid; choose one of {choices}", e.value)
    }
}

/// A model error, for users: starts with the field's label.
pub fn describe_model_error(e: &ModelError) -> String {
    match e {
        ModelError::Invalid(inv) => describe_invalid(inv),
        ModelError::Field { field, message } => format!("{}: {message}", field_label(field)),
        other => other.to_string(),
    }
}

/// The field a model error is about.
fn model_error_field(e: &ModelError) -> Option<&'static str> {
    match e {
        ModelError::Invalid(inv) => Some(inv.field),
        ModelError::Field { field, .. } => Some(field),
        _ => None,
    }
}

/// Where a field comes in the form (unknown fields last).
fn field_order(field: Option<&str>) -> usize {
    NEW_PLAN_FIELDS
        .iter()
        .position(|(name, _)| Some(*name) == field)
        .unwrap_or(NEW_PLAN_FIELDS.len())
}

/// Parses the new-plan form at the boundary. The error names the field;
/// with several wrong, the first in the form's order.
pub fn parse_new_plan(
    subject_kind: &str,
    subject_name: String,
    subject_ref: String,
    tier: &str,
    lro: String,
) -> Result<NewPlan, String> {
    let kind = SubjectKind::from_str(subject_kind);
    let tier = Tier::from_str(tier);
    // Validate the text fields even when a choice is wrong, so the first
    // problem in the form is the one reported.
    let checked = NewPlan {
        subject_kind: *kind.as_ref().unwrap_or(&SubjectKind::Ocg),
        subject_name,
        subject_ref,
        tier: *tier.as_ref().unwrap_or(&Tier::ALL[0]),
        lro,
    }
    .validate();
    let mut errors: Vec<(Option<&str>, String)> = Vec::new();
    if let Err(e) = &kind {
        errors.push((Some(e.field), describe_invalid(e)));
    }
    if let Err(e) = &tier {
        errors.push((Some(e.field), describe_invalid(e)));
    }
    if let Err(e) = &checked {
        errors.push((model_error_field(e), describe_model_error(e)));
    }
    match errors.into_iter().min_by_key(|(field, _)| field_order(*field)) {
        Some((_, message)) => Err(message),
        None => checked.map_err(|e| describe_model_error(&e)),
    }
}

/// What to tell the user about a failed server call.
pub fn user_message(error: &ServerFnError) -> String {
    match error {
        ServerFnError::ServerError(message) => message.clone(),
        ServerFnError::Request(_) => NETWORK_ERROR.to_string(),
        _ => GENERIC_ERROR.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn action(ps: &[P], status: Option<RagStatus>) -> Action {
        Action {
            id: "a1".into(),
            ps: ps.iter().copied().collect::<BTreeSet<_>>(),
            date: None,
            target_date: None,
            text: "Warrant".into(),
            owner_name: String::new(),
            owner_agency: String::new(),
            update: String::new(),
            status,
            disruption: None,
            submitted: false,
        }
    }

    #[test]
    fn dates_read_as_the_template_writes_them() {
        assert_eq!(format_date(d("2026-11-21")), "21 Nov 2026");
        assert_eq!(format_date(d("2026-03-05")), "5 Mar 2026");
        assert_eq!(format_opt_date(None), "Not set");
    }

    #[test]
    fn the_marking_is_printed_in_every_page_margin() {
        let css = print_marking_css(SecurityMarking::OfficialSensitiveOperational);
        assert!(css.starts_with("@page {"));
        assert!(css.contains("@top-center { content: \"OFFICIAL-SENSITIVE-OPERATIONAL\";"));
        assert!(css.contains("@bottom-center { content: \"OFFICIAL-SENSITIVE-OPERATIONAL\";"));
        assert!(css.contains("@page :first { @top-center { content: none; } }"));
    }

    #[test]
    fn status_has_a_class_and_text() {
        assert_eq!(rag_class(Some(RagStatus::Red)), "rag rag-red");
        assert_eq!(rag_class(Some(RagStatus::Amber)), "rag rag-amber");
        assert_eq!(rag_class(Some(RagStatus::Green)), "rag rag-green");
        assert_eq!(rag_class(None), "rag rag-unset");
        assert_eq!(rag_text(Some(RagStatus::Amber)), "AMBER");
        assert_eq!(count_class(RagStatus::Red, 2), "rag rag-red");
        assert_eq!(count_class(RagStatus::Green, 0), "rag rag-green rag-zero");
        assert_eq!(rag_text(None), "Not set");
        assert_eq!(disruption_text(Some(Disruption::Major)), "MAJOR");
        assert_eq!(disruption_text(None), "Not assessed");
        assert_eq!(
            disruption_class(Some(Disruption::Negative)),
            "disruption disruption-negative"
        );
    }

    #[test]
    fn small_values_read_naturally() {
        assert_eq!(yes_no(true), "Y");
        assert_eq!(yes_no(false), "N");
        assert_eq!(tier_text(Some(Tier::new(2).unwrap())), "Tier 2");
        assert_eq!(tier_text(None), "Not set");
        assert_eq!(kind_short(Some(SubjectKind::Pi)), "PI");
        assert_eq!(kind_long(Some(SubjectKind::Ocg)), "Organised Crime Group (OCG)");
        assert_eq!(or_not_set("  "), "Not set");
        assert_eq!(owner_text("DS Smith", "NCA"), "DS Smith / NCA");
        assert_eq!(owner_text("", "Council"), "Council");
        assert_eq!(owner_text(" ", ""), "Not set");
        let id = uuid::Uuid::nil();
        assert_eq!(plan_href(id), format!("/plans/{id}"));
    }

    #[test]
    fn review_dates_are_flagged_in_words() {
        let today = d("2026-06-10");
        assert_eq!(ReviewState::of(Some(d("2026-06-09")), today), ReviewState::Overdue);
        assert_eq!(ReviewState::of(Some(d("2026-06-10")), today), ReviewState::DueToday);
        assert_eq!(ReviewState::of(Some(d("2026-06-11")), today), ReviewState::Upcoming);
        assert_eq!(ReviewState::of(None, today), ReviewState::NotSet);
        assert_eq!(ReviewState::Overdue.flag(), Some("Overdue"));
        assert_eq!(ReviewState::Upcoming.flag(), None);
    }

    #[test]
    fn other_ps_are_named() {
        let both = action(&[P::Pursue, P::Protect], Some(RagStatus::Red));
        assert_eq!(also_aligned(&both, P::Protect).as_deref(), Some("PURSUE"));
        assert_eq!(also_aligned(&action(&[P::Prevent], None), P::Prevent), None);
    }

    #[test]
    fn the_new_plan_form_parses_at_the_boundary() {
        let ok = parse_new_plan("pi", " Jo Bloggs ".into(), "PI/1".into(), "2", "DI Jones".into()).unwrap();
        assert_eq!(ok.subject_kind, SubjectKind::Pi);
        assert_eq!(ok.subject_name, "Jo Bloggs");
        assert_eq!(ok.tier.get(), 2);

        let err = parse_new_plan("OCG", "  ".into(), String::new(), "1", String::new()).unwrap_err();
        assert_eq!(err, "Subject name: must not be empty");
        assert_eq!(error_field(&err), Some("subject_name"));

        let err = parse_new_plan("OCG", "".into(), String::new(), "", String::new()).unwrap_err();
        assert_eq!(
            err, "Subject name: must not be empty",
            "the first field in the form's order"
        );
        let err = parse_new_plan("??", "".into(), String::new(), "", String::new()).unwrap_err();
        assert!(err.starts_with("Subject type: "), "{err}");

        let err = parse_new_plan("OCG", "A".into(), String::new(), "", String::new()).unwrap_err();
        assert_eq!(err, "Tier: choose one of 1, 2, 3, 4");
        assert_eq!(error_field(&err), Some("tier"));

        let err = parse_new_plan("OCG", "A".into(), String::new(), "9", String::new()).unwrap_err();
        assert_eq!(err, "Tier: \"9\" is not valid; choose one of 1, 2, 3, 4");

        let err = parse_new_plan("GANG", "A".into(), String::new(), "1", String::new()).unwrap_err();
        assert_eq!(err, "Subject type: \"GANG\" is not valid; choose one of OCG, PI");
        assert_eq!(error_field(&err), Some("subject_kind"));

        let err = parse_new_plan("OCG", "A".into(), String::new(), "1", "x".repeat(201)).unwrap_err();
        assert!(
            err.starts_with("Lead Responsible Officer (LRO): must be at most"),
            "{err}"
        );
        assert_eq!(error_field(&err), Some("lro"));
        assert_eq!(error_field("something else"), None);
    }

    #[test]
    fn server_errors_show_their_message_and_others_a_generic_one() {
        assert_eq!(user_message(&ServerFnError::new("Tier: bad")), "Tier: bad");
        assert_eq!(user_message(&ServerFnError::Request("offline".into())), NETWORK_ERROR);
        assert_eq!(user_message(&ServerFnError::Deserialization("x".into())), GENERIC_ERROR);
    }
}
