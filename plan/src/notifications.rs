//! Notifications: what kinds there are, how each is worded in the app and in
//! an email, how a person may have each delivered by email, and which
//! action assignments an accepted update made.
//!
//! An email never carries plan content (no subject name, action text or
//! comment text): OFFICIAL-SENSITIVE material must not leave by ordinary
//! email. So [`Kind::email_line`] words a kind with a count and nothing
//! else; what the notification is about is read in Pillars.

use crate::access::Change;
use crate::actions::Action;
use serde::{Deserialize, Serialize};

/// What happened, as one notification tells it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    /// You were added to a plan.
    AddedToPlan,
    /// Your role on a plan changed.
    RoleChanged,
    /// An action was assigned to your agency.
    ActionAssignedAgency,
    /// An action was assigned to you by name.
    ActionAssignedYou,
    /// Your, or your agency's, action is past its target date.
    ActionOverdue,
    /// A plan you lead or own is due for review within 7 days.
    ReviewDue,
    /// A plan you lead or own is past its review date.
    ReviewOverdue,
    /// Someone mentioned you in a comment or suggestion.
    Mentioned,
    /// Someone replied in a thread you are in.
    Reply,
    /// A suggested change waits for your decision.
    SuggestionToDecide,
    /// Your suggested change was accepted or rejected.
    SuggestionDecided,
}

impl Kind {
    pub const ALL: [Kind; 11] = [
        Kind::AddedToPlan,
        Kind::RoleChanged,
        Kind::ActionAssignedAgency,
        Kind::ActionAssignedYou,
        Kind::ActionOverdue,
        Kind::ReviewDue,
        Kind::ReviewOverdue,
        Kind::Mentioned,
        Kind::Reply,
        Kind::SuggestionToDecide,
        Kind::SuggestionDecided,
    ];

    /// The stored and wire name.
    pub fn key(self) -> &'static str {
        match self {
            Kind::AddedToPlan => "added_to_plan",
            Kind::RoleChanged => "role_changed",
            Kind::ActionAssignedAgency => "action_assigned_agency",
            Kind::ActionAssignedYou => "action_assigned_you",
            Kind::ActionOverdue => "action_overdue",
            Kind::ReviewDue => "review_due",
            Kind::ReviewOverdue => "review_overdue",
            Kind::Mentioned => "mentioned",
            Kind::Reply => "reply",
            Kind::SuggestionToDecide => "suggestion_to_decide",
            Kind::SuggestionDecided => "suggestion_decided",
        }
    }

    pub fn parse(key: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.key() == key.trim())
    }

    /// What happened, in a sentence without content: the app shows it
    /// beside the plan's name, an email alone.
    pub fn sentence(self) -> &'static str {
        match self {
            Kind::AddedToPlan => "You were added to a plan",
            Kind::RoleChanged => "Your role on a plan changed",
            Kind::ActionAssignedAgency => "An action was assigned to your agency",
            Kind::ActionAssignedYou => "An action was assigned to you",
            Kind::ActionOverdue => "An action of yours or your agency's is overdue",
            Kind::ReviewDue => "A plan's review is due within 7 days",
            Kind::ReviewOverdue => "A plan's review is overdue",
            Kind::Mentioned => "You were mentioned",
            Kind::Reply => "Someone replied in a thread you are in",
            Kind::SuggestionToDecide => "A suggested change waits for your decision",
            Kind::SuggestionDecided => "Your suggested change was decided",
        }
    }

    /// The settings page's name for the kind.
    pub fn setting_label(self) -> &'static str {
        match self {
            Kind::AddedToPlan => "Added to a plan",
            Kind::RoleChanged => "Your role on a plan changed",
            Kind::ActionAssignedAgency => "An action assigned to your agency",
            Kind::ActionAssignedYou => "An action assigned to you by name",
            Kind::ActionOverdue => "Your or your agency's action overdue",
            Kind::ReviewDue => "A review due within 7 days (LRO and plan owner)",
            Kind::ReviewOverdue => "A review overdue (LRO and plan owner)",
            Kind::Mentioned => "Mentioned in a comment or suggestion",
            Kind::Reply => "A reply in a thread you are in",
            Kind::SuggestionToDecide => "A suggested change for you to decide on",
            Kind::SuggestionDecided => "A decision on your suggested change",
        }
    }

    /// One line of an email: the kind and how many, nothing else.
    pub fn email_line(self, count: usize) -> String {
        format!("{}: {count}", self.setting_label())
    }

    /// How it is emailed unless the person chose otherwise: what asks
    /// something of them at once, what only reminds them in the digest.
    pub fn default_delivery(self) -> Delivery {
        match self {
            Kind::ActionOverdue | Kind::ReviewDue | Kind::ReviewOverdue => Delivery::Digest,
            _ => Delivery::AtOnce,
        }
    }
}

impl std::fmt::Display for Kind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.key())
    }
}

/// How a person has one kind emailed to them (every kind is always shown
/// in the app).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Delivery {
    /// An email as soon as it happens.
    AtOnce,
    /// Counted in one email a day.
    Digest,
    /// Never emailed.
    Off,
}

impl Delivery {
    pub const ALL: [Delivery; 3] = [Delivery::AtOnce, Delivery::Digest, Delivery::Off];

    pub fn key(self) -> &'static str {
        match self {
            Delivery::AtOnce => "at_once",
            Delivery::Digest => "digest",
            Delivery::Off => "off",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Delivery::AtOnce => "Email at once",
            Delivery::Digest => "Daily digest",
            Delivery::Off => "No email",
        }
    }

    /// A setting as sent by a page or the API; the error lists the choices.
    pub fn parse(key: &str) -> Result<Delivery, String> {
        Delivery::ALL
            .into_iter()
            .find(|d| d.key() == key.trim())
            .ok_or_else(|| format!("{key:?} is not a delivery: choose at_once, digest or off"))
    }
}

/// Whom an action was assigned to: its owning agency, or a person by name
/// (the action log's free-text owner, matched to members by their name).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Assignee {
    Agency(String),
    Name(String),
}

/// An action given an owner by an update.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Assignment {
    pub action: String,
    pub to: Assignee,
}

/// The assignments an update made, from what it changed and the actions
/// as they are after it (`action` reads one by id; `None` once deleted). A
/// new action with an owner assigns it; a changed owner assigns it to the
/// new one; an owner emptied assigns nothing.
pub fn assignments(changes: &[Change], action: impl Fn(&str) -> Option<Action>) -> Vec<Assignment> {
    let mut out = Vec::new();
    for change in changes {
        let Some(rest) = change.field.strip_prefix("action:") else {
            continue;
        };
        let (id, field) = match rest.split_once(':') {
            Some((id, field)) => (id, field),
            None => (rest, ""),
        };
        if !matches!(field, "" | "owner_agency" | "owner_name") {
            continue;
        }
        let Some(now) = action(id) else { continue };
        let agency = now.owner_agency.trim();
        let name = now.owner_name.trim();
        if field != "owner_name" && !agency.is_empty() {
            out.push(Assignment {
                action: id.to_string(),
                to: Assignee::Agency(agency.to_string()),
            });
        }
        if field != "owner_agency" && !name.is_empty() {
            out.push(Assignment {
                action: id.to_string(),
                to: Assignee::Name(name.to_string()),
            });
        }
    }
    out.sort();
    out.dedup();
    out
}

/// Where in the app a notification leads.
pub fn plan_link(plan: uuid::Uuid) -> String {
    format!("/plans/{plan}")
}

/// The action's row on its plan's page.
pub fn action_link(plan: uuid::Uuid, action: &str) -> String {
    format!("/plans/{plan}#action-{action}")
}

/// A comment on its plan's page.
pub fn comment_link(plan: uuid::Uuid, comment: &str) -> String {
    format!("/plans/{plan}#comment-{comment}")
}

#[cfg(test)]
mod tests;
