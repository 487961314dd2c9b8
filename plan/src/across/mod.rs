//! Actions seen across plans: `/my-actions` ([`mine`]) and the disruption
//! return ([`disruptions`]). Pure logic over [`ActionRow`]s, which storage
//! reads in one query from the facts kept per action
//! ([`crate::portfolio::ActionFacts`]); never a read of the documents.

pub mod disruptions;
pub mod mine;

use crate::access::Role;
use crate::portfolio::ActionFacts;
use crate::SecurityMarking;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// One action of one of the viewer's plans, with what the viewer is on it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ActionRow {
    pub plan_id: Uuid,
    /// "Subject (reference)", as the plans list names it.
    pub plan_name: String,
    pub marking: SecurityMarking,
    /// The viewer's role on the plan.
    pub role: Role,
    pub action: ActionFacts,
}

/// A plan's name as lists show it: the subject, and its reference if any.
pub fn plan_name(subject: &str, reference: &str) -> String {
    if reference.trim().is_empty() {
        subject.to_string()
    } else {
        format!("{subject} ({reference})")
    }
}

/// Whether a member of this role and agency may edit the action's update,
/// status, disruption and submitted (what the gate allows them).
pub fn may_edit(role: Role, agency: &str, action: &ActionFacts) -> bool {
    role.edits_everything() || (role == Role::Partner && crate::access::same_agency(agency, &action.owner_agency))
}

/// The Ps as the action log writes them ("PURSUE, PREVENT").
pub fn ps_label(action: &ActionFacts) -> String {
    action.ps.iter().map(|p| p.as_str()).collect::<Vec<_>>().join(", ")
}
