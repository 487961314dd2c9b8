//! Roles on a plan and the changes the audit trail records. What each role
//! may change is enforced on every update by [`crate::admission`].

use serde::{Deserialize, Serialize};

/// A member's role on one plan.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Lead Responsible Officer: edits everything, manages the members.
    Lro,
    /// Edits everything except membership.
    PlanOwner,
    /// Edits everything except membership.
    Sio,
    /// Reads the plan; adds and edits only its own agency's actions.
    Partner,
    /// Reads only.
    Viewer,
}

impl Role {
    pub const ALL: [Role; 5] = [Role::Lro, Role::PlanOwner, Role::Sio, Role::Partner, Role::Viewer];

    pub fn key(self) -> &'static str {
        match self {
            Role::Lro => "lro",
            Role::PlanOwner => "plan_owner",
            Role::Sio => "sio",
            Role::Partner => "partner",
            Role::Viewer => "viewer",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Role::Lro => "LRO",
            Role::PlanOwner => "Plan owner",
            Role::Sio => "SIO",
            Role::Partner => "Partner",
            Role::Viewer => "Viewer",
        }
    }

    pub fn parse(key: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.key() == key.trim())
    }

    /// Edits every part of the plan.
    pub fn edits_everything(self) -> bool {
        matches!(self, Role::Lro | Role::PlanOwner | Role::Sio)
    }

    pub fn manages_members(self) -> bool {
        self == Role::Lro
    }
}

/// The action fields a partner may change on its own agency's actions.
pub const PARTNER_ACTION_FIELDS: [&str; 8] = [
    "date",
    "target_date",
    "text",
    "owner_name",
    "update",
    "status",
    "disruption",
    "submitted",
];

/// Values longer than this are recorded as changed, without the texts.
pub const SHORT_VALUE: usize = 120;

/// One change an update made, as the audit trail records it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Change {
    /// `marking`, `tier`, `aim`, `objective:pursue-1`, `threats`,
    /// `action:{id}` (added or deleted), `action:{id}:status`, ...
    pub field: String,
    /// Old and new values, when both are short. Always written (`null`
    /// when absent): pages read changes in postcard, which cannot skip a
    /// field (`crate::wire` in the app).
    #[serde(default)]
    pub old: Option<String>,
    #[serde(default)]
    pub new: Option<String>,
}

/// Agencies match whatever their case and surrounding spaces.
pub fn same_agency(a: &str, b: &str) -> bool {
    !a.trim().is_empty() && a.trim().eq_ignore_ascii_case(b.trim())
}
