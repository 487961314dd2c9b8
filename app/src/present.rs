//! Plain view logic: how values are shown to users, and how form input is
//! parsed at the boundary ([`new_plan_form`]) and server errors worded
//! ([`server_errors`]). No reactivity here, so it is unit-tested directly.

use chrono::NaiveDate;
use plan::{Action, Disruption, RagStatus, SecurityMarking, SubjectKind, Tier, P};

mod new_plan_form;
mod server_errors;

pub use new_plan_form::{
    describe_invalid, describe_model_error, error_field, field_label, parse_new_plan, NEW_PLAN_FIELDS,
};
pub use server_errors::{refusal, user_message, GENERIC_ERROR, NETWORK_ERROR};

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

pub use plan::portfolio::filter::query_value;

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

#[cfg(test)]
mod tests;
