//! The new-plan form at the boundary: its fields and their labels, parsing
//! what was typed, and model errors worded for users, each naming its field.

use plan::{InvalidValue, ModelError, NewPlan, SubjectKind, Tier};
use std::str::FromStr;

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

#[cfg(test)]
mod tests {
    use super::*;

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
}
