//! Read-only views of a whole plan: the JSON export and the list summary.

use crate::actions::Action;
use crate::doc::{read_bool, read_parsed, read_string, Header, PlanDoc};
use crate::review::ReviewIntervals;
use crate::strategy::{ControlStrategy, ThreatKey, ThreatTag};
use crate::template::{Section, STANDARD_OBJECTIVES};
use crate::vocabulary::{RagStatus, SecurityMarking, SubjectKind, Tier, P};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use yrs::{Map, Out, ReadTxn};

/// One objective in the checklist, standard or custom.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ObjectiveEntry {
    pub id: String,
    pub text: String,
    pub selected: bool,
    pub custom: bool,
}

/// A whole plan, readable: every section, every objective, every action.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlanExport {
    pub id: uuid::Uuid,
    pub marking: SecurityMarking,
    pub header: Header,
    /// Derived from the last review (or creation) and the tier.
    pub next_review: Option<NaiveDate>,
    /// The stored threat tags (keys), in key order.
    pub threats: Vec<String>,
    /// The same tags named by a strategy ([`PlanExport::name_threats`]);
    /// empty until named, since the document alone does not know names.
    #[serde(default)]
    pub threat_tags: Vec<ThreatTag>,
    /// Text sections by key, in the template's order.
    pub sections: BTreeMap<String, String>,
    /// The checklist per P (keys `pursue`, `prevent`, ...).
    pub objectives: BTreeMap<String, Vec<ObjectiveEntry>>,
    pub actions: Vec<Action>,
}

/// Counts of actions by status.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct StatusCounts {
    pub red: u32,
    pub amber: u32,
    pub green: u32,
    /// Missing or unreadable status.
    pub unset: u32,
}

/// What the plans list shows about one plan.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlanSummary {
    pub id: uuid::Uuid,
    pub marking: SecurityMarking,
    pub subject_kind: Option<SubjectKind>,
    pub subject_name: String,
    pub subject_ref: String,
    pub tier: Option<Tier>,
    pub lro: String,
    pub next_review: Option<NaiveDate>,
    pub actions: StatusCounts,
}

impl PlanSummary {
    pub fn review_overdue(&self, today: NaiveDate) -> bool {
        self.next_review.is_some_and(|d| d < today)
    }
}

impl Header {
    /// Next review = last review (or creation) + the tier's interval.
    pub fn next_review(&self, intervals: &ReviewIntervals) -> Option<NaiveDate> {
        let from = self.last_review.or(self.created)?;
        Some(intervals.next_review(self.tier?, from))
    }
}

impl PlanExport {
    /// Names the threat tags by `strategy` (the current one).
    pub fn name_threats(mut self, strategy: &ControlStrategy) -> PlanExport {
        let keys: Vec<ThreatKey> = self.threats.iter().filter_map(|k| ThreatKey::parse(k).ok()).collect();
        self.threat_tags = strategy.name_tags(&keys);
        self
    }
}

impl PlanDoc {
    /// The checklist for one P: the four standard objectives, then custom ones.
    pub fn objectives_for<T: ReadTxn>(&self, txn: &T, p: P) -> Vec<ObjectiveEntry> {
        let mut entries: Vec<ObjectiveEntry> = STANDARD_OBJECTIVES
            .iter()
            .filter(|o| o.p == p)
            .map(|o| ObjectiveEntry {
                id: o.id.to_string(),
                text: o.text.to_string(),
                selected: self.objective_selected(txn, o.id),
                custom: false,
            })
            .collect();
        let mut custom: Vec<ObjectiveEntry> = self
            .custom_objectives
            .iter(txn)
            .filter_map(|(id, value)| match value {
                Out::YMap(m) if read_parsed::<_, P>(&m, txn, "p") == Some(p) => Some(ObjectiveEntry {
                    id: id.to_string(),
                    text: read_string(&m, txn, "text").unwrap_or_default(),
                    selected: read_bool(&m, txn, "selected"),
                    custom: true,
                }),
                _ => None,
            })
            .collect();
        custom.sort_by(|a, b| (&a.text, &a.id).cmp(&(&b.text, &b.id)));
        entries.extend(custom);
        entries
    }

    pub fn export<T: ReadTxn>(&self, txn: &T, id: uuid::Uuid, intervals: &ReviewIntervals) -> PlanExport {
        let header = self.header(txn);
        PlanExport {
            id,
            marking: header.marking,
            next_review: header.next_review(intervals),
            threats: self.threats(txn).into_iter().map(String::from).collect(),
            threat_tags: Vec::new(),
            sections: Section::ALL
                .iter()
                .map(|s| (s.key().to_string(), self.section_text(txn, *s)))
                .collect(),
            objectives: P::ALL
                .iter()
                .map(|p| (p.key().to_string(), self.objectives_for(txn, *p)))
                .collect(),
            actions: self.actions(txn),
            header,
        }
    }

    /// Whether a change to `field` (an audit trail key) can alter the
    /// summary: the header, which actions exist, and their statuses.
    pub fn changes_summary(field: &str) -> bool {
        match field.strip_prefix("action:") {
            Some(rest) => !rest.contains(':') || rest.ends_with(":status"),
            None => matches!(
                field,
                "marking"
                    | "subject_kind"
                    | "subject_name"
                    | "subject_ref"
                    | "tier"
                    | "lro"
                    | "last_review"
                    | "created"
            ),
        }
    }

    pub fn summary<T: ReadTxn>(&self, txn: &T, id: uuid::Uuid, intervals: &ReviewIntervals) -> PlanSummary {
        let header = self.header(txn);
        let mut counts = StatusCounts::default();
        for action in self.actions(txn) {
            match action.status {
                Some(RagStatus::Red) => counts.red += 1,
                Some(RagStatus::Amber) => counts.amber += 1,
                Some(RagStatus::Green) => counts.green += 1,
                None => counts.unset += 1,
            }
        }
        PlanSummary {
            id,
            marking: header.marking,
            next_review: header.next_review(intervals),
            subject_kind: header.subject_kind,
            subject_name: header.subject_name,
            subject_ref: header.subject_ref,
            tier: header.tier,
            lro: header.lro,
            actions: counts,
        }
    }
}
