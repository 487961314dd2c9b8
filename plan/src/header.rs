//! The header's free-text fields and what it takes to start a plan.

use crate::model_error::{field_error, ModelError};
use crate::vocabulary::{SubjectKind, Tier};
use serde::{Deserialize, Serialize};

/// A free-text field of the header. Each is a root `Y.Text`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum HeaderText {
    SubjectName,
    SubjectRef,
    Lro,
    Sio,
    PlanOwner,
}

impl HeaderText {
    pub const ALL: [HeaderText; 5] = [
        HeaderText::SubjectName,
        HeaderText::SubjectRef,
        HeaderText::Lro,
        HeaderText::Sio,
        HeaderText::PlanOwner,
    ];

    pub fn key(self) -> &'static str {
        match self {
            HeaderText::SubjectName => "subject_name",
            HeaderText::SubjectRef => "subject_ref",
            HeaderText::Lro => "lro",
            HeaderText::Sio => "sio",
            HeaderText::PlanOwner => "plan_owner",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            HeaderText::SubjectName => "Subject (OCG / PI name)",
            HeaderText::SubjectRef => "Reference",
            HeaderText::Lro => "Lead Responsible Officer (LRO)",
            HeaderText::Sio => "Senior Investigating Officer (SIO)",
            HeaderText::PlanOwner => "Plan owner",
        }
    }
}

/// What is needed to start a plan.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewPlan {
    pub subject_kind: SubjectKind,
    pub subject_name: String,
    #[serde(default)]
    pub subject_ref: String,
    pub tier: Tier,
    #[serde(default)]
    pub lro: String,
}

/// Longest value accepted for a one-line field.
pub const MAX_SHORT_TEXT: usize = 200;

impl NewPlan {
    /// Checks what serde cannot: names present and of sane length.
    pub fn validate(mut self) -> Result<Self, ModelError> {
        self.subject_name = self.subject_name.trim().to_string();
        self.subject_ref = self.subject_ref.trim().to_string();
        self.lro = self.lro.trim().to_string();
        if self.subject_name.is_empty() {
            return Err(field_error("subject_name", "must not be empty"));
        }
        for (field, value) in [
            ("subject_name", &self.subject_name),
            ("subject_ref", &self.subject_ref),
            ("lro", &self.lro),
        ] {
            if value.chars().count() > MAX_SHORT_TEXT {
                return Err(field_error(
                    field,
                    &format!("must be at most {MAX_SHORT_TEXT} characters"),
                ));
            }
        }
        Ok(self)
    }
}
