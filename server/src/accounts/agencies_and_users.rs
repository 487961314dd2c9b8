//! Agencies and users as the accounts service hands them out, and what it
//! takes to add a user.

use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// An organisation taking part in plans.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Agency {
    pub id: Uuid,
    pub name: String,
    /// e.g. "Police force", "ROCU", "Local authority", "HMRC".
    pub kind: String,
}

/// Someone who can log in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct User {
    pub id: Uuid,
    pub email: String,
    pub name: String,
    pub agency_id: Uuid,
    /// The agency's name.
    pub agency: String,
    pub is_admin: bool,
    /// Edits and publishes the Control Strategy (as administrators can).
    #[serde(default)]
    pub strategic_lead: bool,
    /// Creates plans, so becomes their LRO (set by administrators).
    #[serde(default)]
    pub may_lead_plans: bool,
    /// Searches and exports the whole access log (professional standards).
    #[serde(default)]
    pub auditor: bool,
    /// Disabled accounts cannot log in; they stay for the audit trail.
    pub disabled: bool,
    /// Sets people's vetting (as administrators can).
    #[serde(default)]
    pub vetting_officer: bool,
    /// The vetting they hold, and until when.
    #[serde(default)]
    pub vetting: plan::vetting::HeldVetting,
}

/// What it takes to add a user.
#[derive(Debug, Clone)]
pub struct NewUser {
    pub email: String,
    pub name: String,
    pub agency_id: Uuid,
    pub password: String,
    pub is_admin: bool,
    pub strategic_lead: bool,
    pub may_lead_plans: bool,
    pub auditor: bool,
}
