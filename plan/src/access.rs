//! Who may change what in a plan, decided from what an update changes.
//!
//! An update is previewed on a copy of the plan; [`changes`] lists what it
//! changed in the plan as people read it (the export), and [`check`] decides
//! whether the sender's role allows every one of those changes. The same
//! list is what the audit trail records.

use crate::actions::Action;
use crate::doc::PlanDoc;
use crate::export::PlanExport;
use crate::review::ReviewIntervals;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use yrs::updates::decoder::Decode;
use yrs::Update;

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
    /// `marking`, `tier`, `aim`, `objective:pursue-1`, `threat:county-lines`,
    /// `action:{id}` (added or deleted), `action:{id}:status`, ...
    pub field: String,
    /// Old and new values, when both are short.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub old: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub new: Option<String>,
    /// The action it belongs to, for permission checks.
    #[serde(skip)]
    pub action: Option<ActionScope>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ActionScope {
    Added { agency: String },
    Deleted { agency: String },
    Field { agency: String, field: &'static str },
}

fn short(value: &str) -> Option<String> {
    (value.chars().count() <= SHORT_VALUE).then(|| value.to_string())
}

fn change(field: String, old: &str, new: &str, action: Option<ActionScope>) -> Change {
    let (old, new) = match (short(old), short(new)) {
        (Some(o), Some(n)) => (Some(o), Some(n)),
        _ => (None, None),
    };
    Change {
        field,
        old,
        new,
        action,
    }
}

/// What differs between two readings of a plan.
pub fn changes(before: &PlanExport, after: &PlanExport) -> Vec<Change> {
    let mut out = Vec::new();
    let mut plain = |field: String, old: String, new: String| {
        if old != new {
            out.push(change(field, &old, &new, None));
        }
    };
    let (b, a) = (&before.header, &after.header);
    plain("marking".into(), b.marking.to_string(), a.marking.to_string());
    let opt = |v: Option<String>| v.unwrap_or_default();
    plain(
        "subject_kind".into(),
        opt(b.subject_kind.map(|k| k.to_string())),
        opt(a.subject_kind.map(|k| k.to_string())),
    );
    plain(
        "tier".into(),
        opt(b.tier.map(|t| t.to_string())),
        opt(a.tier.map(|t| t.to_string())),
    );
    plain(
        "last_review".into(),
        opt(b.last_review.map(|d| d.to_string())),
        opt(a.last_review.map(|d| d.to_string())),
    );
    for (key, old, new) in [
        ("subject_name", &b.subject_name, &a.subject_name),
        ("subject_ref", &b.subject_ref, &a.subject_ref),
        ("lro", &b.lro, &a.lro),
        ("sio", &b.sio, &a.sio),
        ("plan_owner", &b.plan_owner, &a.plan_owner),
    ] {
        plain(key.into(), old.clone(), new.clone());
    }
    let keys: std::collections::BTreeSet<&String> = before.sections.keys().chain(after.sections.keys()).collect();
    for key in keys {
        let get = |e: &PlanExport| e.sections.get(key).cloned().unwrap_or_default();
        plain(key.clone(), get(before), get(after));
    }
    let threats = |e: &PlanExport| e.threats.join(", ");
    plain("threats".into(), threats(before), threats(after));
    let objectives = |e: &PlanExport| -> BTreeMap<String, (String, bool)> {
        e.objectives
            .values()
            .flatten()
            .map(|o| (o.id.clone(), (o.text.clone(), o.selected)))
            .collect()
    };
    let (ob, oa) = (objectives(before), objectives(after));
    for id in ob.keys().chain(oa.keys().filter(|k| !ob.contains_key(*k))) {
        let show = |o: Option<&(String, bool)>| match o {
            None => String::new(),
            Some((text, selected)) => format!("{}{text}", if *selected { "Y: " } else { "" }),
        };
        plain(format!("objective:{id}"), show(ob.get(id)), show(oa.get(id)));
    }
    out.extend(action_changes(&before.actions, &after.actions));
    out
}

fn action_changes(before: &[Action], after: &[Action]) -> Vec<Change> {
    let index =
        |all: &[Action]| -> BTreeMap<String, Action> { all.iter().map(|a| (a.id.clone(), a.clone())).collect() };
    let (b, a) = (index(before), index(after));
    let mut out = Vec::new();
    for (id, old) in &b {
        let Some(new) = a.get(id) else {
            let scope = ActionScope::Deleted {
                agency: old.owner_agency.clone(),
            };
            out.push(change(format!("action:{id}"), &old.text, "", Some(scope)));
            continue;
        };
        let fields = action_fields(old).into_iter().zip(action_fields(new));
        for ((field, was), (_, now)) in fields {
            if was != now {
                let scope = ActionScope::Field {
                    agency: old.owner_agency.clone(),
                    field,
                };
                out.push(change(format!("action:{id}:{field}"), &was, &now, Some(scope)));
            }
        }
    }
    for (id, new) in a.iter().filter(|(id, _)| !b.contains_key(*id)) {
        let scope = ActionScope::Added {
            agency: new.owner_agency.clone(),
        };
        out.push(change(format!("action:{id}"), "", &new.text, Some(scope)));
    }
    out
}

fn action_fields(a: &Action) -> [(&'static str, String); 10] {
    let opt = |v: Option<String>| v.unwrap_or_default();
    [
        ("ps", a.ps.iter().map(|p| p.as_str()).collect::<Vec<_>>().join(", ")),
        ("date", opt(a.date.map(|d| d.to_string()))),
        ("target_date", opt(a.target_date.map(|d| d.to_string()))),
        ("text", a.text.clone()),
        ("owner_name", a.owner_name.clone()),
        ("owner_agency", a.owner_agency.clone()),
        ("update", a.update.clone()),
        ("status", opt(a.status.map(|s| s.to_string()))),
        ("disruption", opt(a.disruption.map(|d| d.to_string()))),
        ("submitted", if a.submitted { "Y" } else { "N" }.to_string()),
    ]
}

/// The plan as [`changes`] compares it (its id and review dates play no
/// part there).
pub fn reading(plan: &PlanDoc) -> PlanExport {
    plan.export(&plan.transact(), uuid::Uuid::nil(), &ReviewIntervals::default())
}

/// What `update` would change in `plan`, found by applying it to a copy.
/// An update that does not decode or apply is an error.
pub fn preview(plan: &PlanDoc, update: &[u8]) -> Result<Vec<Change>, String> {
    let update = Update::decode_v1(update).map_err(|e| format!("undecodable update: {e}"))?;
    let copy = PlanDoc::from_state(&plan.encode_state()).map_err(|e| e.to_string())?;
    let before = reading(&copy);
    copy.transact_mut()
        .apply_update(update)
        .map_err(|e| format!("the update does not apply: {e}"))?;
    Ok(changes(&before, &reading(&copy)))
}

/// Agencies match whatever their case and surrounding spaces.
pub fn same_agency(a: &str, b: &str) -> bool {
    !a.trim().is_empty() && a.trim().eq_ignore_ascii_case(b.trim())
}

/// Whether a member with `role` in `agency` may make all of `changes`;
/// the refusal names the first change that is not theirs to make.
pub fn check(role: Role, agency: &str, changes: &[Change]) -> Result<(), String> {
    if role.edits_everything() {
        return Ok(());
    }
    if role == Role::Viewer {
        return Err("viewers cannot change the plan".into());
    }
    for c in changes {
        let allowed = match &c.action {
            None => false,
            Some(ActionScope::Added { agency: owner }) => same_agency(owner, agency),
            Some(ActionScope::Deleted { .. }) => false,
            Some(ActionScope::Field { agency: owner, field }) => {
                same_agency(owner, agency) && PARTNER_ACTION_FIELDS.contains(field)
            }
        };
        if !allowed {
            return Err(match &c.action {
                None => format!(
                    "partners cannot change {}: only the LRO, plan owner or SIO can",
                    c.field
                ),
                Some(ActionScope::Added { .. }) => format!("a partner can add only actions owned by {agency}"),
                Some(ActionScope::Deleted { .. }) => "partners cannot delete actions".to_string(),
                Some(ActionScope::Field { field, .. }) if *field == "owner_agency" => {
                    "partners cannot change which agency owns an action".to_string()
                }
                Some(ActionScope::Field { .. }) => {
                    format!("partners can change only {agency}'s actions (not {})", c.field)
                }
            });
        }
    }
    Ok(())
}

#[cfg(test)]
#[path = "access_tests.rs"]
mod tests;
