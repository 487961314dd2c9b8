//! How a plan changed between two versions: per section a word diff, per
//! header field and objective old → new, per action what was added,
//! removed and changed field by field. Each entry names its audit field
//! key, so the server can say who changed it from the audit trail.

use super::diff::{diff_words, Piece};
use crate::actions::Action;
use crate::export::PlanExport;
use crate::template::Section;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SectionChange {
    /// The audit field key (the section's key).
    pub field: String,
    pub heading: String,
    pub pieces: Vec<Piece>,
    /// Who changed it between the versions (filled in from the audit trail).
    #[serde(default)]
    pub by: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldChange {
    /// The audit field key, e.g. `tier`, `objective:pursue-1`, `action:{id}:status`.
    pub field: String,
    pub label: String,
    pub old: String,
    pub new: String,
    #[serde(default)]
    pub by: Vec<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum ActionChangeKind {
    Changed,
    Added,
    Removed,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ActionDiff {
    pub id: String,
    /// The action's description (as it is in the newer version, or was).
    pub text: String,
    pub kind: ActionChangeKind,
    pub fields: Vec<FieldChange>,
    /// Who added or removed it (filled in from the audit trail).
    #[serde(default)]
    pub by: Vec<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Comparison {
    pub sections: Vec<SectionChange>,
    /// Header fields, threats and objectives.
    pub fields: Vec<FieldChange>,
    pub actions: Vec<ActionDiff>,
}

impl Comparison {
    pub fn is_empty(&self) -> bool {
        self.sections.is_empty() && self.fields.is_empty() && self.actions.is_empty()
    }
}

fn change(field: String, label: &str, old: String, new: String) -> Option<FieldChange> {
    (old != new).then(|| FieldChange {
        field,
        label: label.to_string(),
        old,
        new,
        by: Vec::new(),
    })
}

fn opt<T: ToString>(value: Option<T>) -> String {
    value.map(|v| v.to_string()).unwrap_or_default()
}

fn action_fields(a: &Action) -> [(&'static str, &'static str, String); 10] {
    [
        (
            "ps",
            "Ps",
            a.ps.iter().map(|p| p.as_str()).collect::<Vec<_>>().join(", "),
        ),
        ("date", "Date", opt(a.date)),
        ("target_date", "Target date", opt(a.target_date)),
        ("text", "Action", a.text.clone()),
        ("owner_name", "Owner", a.owner_name.clone()),
        ("owner_agency", "Agency", a.owner_agency.clone()),
        ("update", "Update/result", a.update.clone()),
        ("status", "RAG status", opt(a.status)),
        ("disruption", "Disruption", opt(a.disruption)),
        (
            "submitted",
            "Submitted",
            if a.submitted { "Y" } else { "N" }.to_string(),
        ),
    ]
}

/// What changed from `old` to `new`.
pub fn compare(old: &PlanExport, new: &PlanExport) -> Comparison {
    let mut out = Comparison::default();
    for section in Section::ALL {
        let key = section.key();
        let (before, after) = (
            old.sections.get(key).cloned().unwrap_or_default(),
            new.sections.get(key).cloned().unwrap_or_default(),
        );
        if before != after {
            out.sections.push(SectionChange {
                field: key.to_string(),
                heading: section.title().to_string(),
                pieces: diff_words(&before, &after),
                by: Vec::new(),
            });
        }
    }
    let (h0, h1) = (&old.header, &new.header);
    let header = [
        (
            "marking",
            "Security marking",
            h0.marking.to_string(),
            h1.marking.to_string(),
        ),
        ("subject_kind", "OCG or PI", opt(h0.subject_kind), opt(h1.subject_kind)),
        (
            "subject_name",
            "Subject",
            h0.subject_name.clone(),
            h1.subject_name.clone(),
        ),
        (
            "subject_ref",
            "Reference",
            h0.subject_ref.clone(),
            h1.subject_ref.clone(),
        ),
        ("tier", "Tier", opt(h0.tier), opt(h1.tier)),
        ("lro", "LRO", h0.lro.clone(), h1.lro.clone()),
        ("sio", "SIO", h0.sio.clone(), h1.sio.clone()),
        ("plan_owner", "Plan owner", h0.plan_owner.clone(), h1.plan_owner.clone()),
        ("last_review", "Last review", opt(h0.last_review), opt(h1.last_review)),
    ];
    out.fields
        .extend(header.into_iter().filter_map(|(f, l, a, b)| change(f.into(), l, a, b)));
    let names = |e: &PlanExport| {
        if e.threat_tags.is_empty() {
            e.threats.join(", ")
        } else {
            e.threat_tags
                .iter()
                .map(|t| t.name.clone())
                .collect::<Vec<_>>()
                .join(", ")
        }
    };
    out.fields
        .extend(change("threats".into(), "SOC threats tackled", names(old), names(new)));
    let objectives = |e: &PlanExport| -> BTreeMap<String, String> {
        e.objectives
            .values()
            .flatten()
            .map(|o| {
                (
                    o.id.clone(),
                    format!("{}{}", if o.selected { "Y: " } else { "" }, o.text),
                )
            })
            .collect()
    };
    let (o0, o1) = (objectives(old), objectives(new));
    for id in o0.keys().chain(o1.keys().filter(|k| !o0.contains_key(*k))) {
        let (a, b) = (
            o0.get(id).cloned().unwrap_or_default(),
            o1.get(id).cloned().unwrap_or_default(),
        );
        out.fields.extend(change(format!("objective:{id}"), "Objective", a, b));
    }
    let before: BTreeMap<&str, &Action> = old.actions.iter().map(|a| (a.id.as_str(), a)).collect();
    let after: BTreeMap<&str, &Action> = new.actions.iter().map(|a| (a.id.as_str(), a)).collect();
    for a in &new.actions {
        match before.get(a.id.as_str()) {
            None => out.actions.push(ActionDiff {
                id: a.id.clone(),
                text: a.text.clone(),
                kind: ActionChangeKind::Added,
                fields: Vec::new(),
                by: Vec::new(),
            }),
            Some(was) => {
                let fields: Vec<FieldChange> = action_fields(was)
                    .into_iter()
                    .zip(action_fields(a))
                    .filter_map(|((f, l, x), (_, _, y))| change(format!("action:{}:{f}", a.id), l, x, y))
                    .collect();
                if !fields.is_empty() {
                    out.actions.push(ActionDiff {
                        id: a.id.clone(),
                        text: a.text.clone(),
                        kind: ActionChangeKind::Changed,
                        fields,
                        by: Vec::new(),
                    });
                }
            }
        }
    }
    for a in &old.actions {
        if !after.contains_key(a.id.as_str()) {
            out.actions.push(ActionDiff {
                id: a.id.clone(),
                text: a.text.clone(),
                kind: ActionChangeKind::Removed,
                fields: Vec::new(),
                by: Vec::new(),
            });
        }
    }
    // Changed, added, then removed; by description within each.
    out.actions
        .sort_by(|x, y| (x.kind as u8, &x.text, &x.id).cmp(&(y.kind as u8, &y.text, &y.id)));
    out
}
