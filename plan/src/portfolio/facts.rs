//! What the portfolio needs to know of one plan, read from its document:
//! the plan's own facts (kind, tier, next review, threats) and each action's
//! (status, dates, disruption, owning agency, Ps). The server keeps these in
//! storage, refreshing only what each accepted update touched.

use crate::access::Change;
use crate::actions::Action;
use crate::vocabulary::{Disruption, RagStatus, SubjectKind, Tier, P};
use crate::{PlanDoc, ReviewIntervals};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;
use yrs::ReadTxn;

/// Bumped when what is extracted changes, so stored facts are rebuilt.
pub const FACTS_VERSION: i32 = 2;

/// A plan's own facts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlanFacts {
    pub subject_kind: Option<SubjectKind>,
    pub tier: Option<Tier>,
    pub next_review: Option<NaiveDate>,
    /// Threat keys, sorted.
    pub threats: Vec<String>,
}

/// One action's facts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ActionFacts {
    pub id: String,
    pub status: Option<RagStatus>,
    /// The action log's date: when the activity took place.
    pub date: Option<NaiveDate>,
    pub target_date: Option<NaiveDate>,
    pub disruption: Option<Disruption>,
    pub owner_agency: String,
    pub ps: BTreeSet<P>,
    pub submitted: bool,
    /// The action's description, owner's name and update/result: what
    /// `/my-actions` and the disruption return list without reading documents.
    #[serde(default)]
    pub text: String,
    #[serde(default)]
    pub owner_name: String,
    #[serde(default)]
    pub update: String,
}

impl From<&Action> for ActionFacts {
    fn from(a: &Action) -> Self {
        ActionFacts {
            id: a.id.clone(),
            status: a.status,
            date: a.date,
            target_date: a.target_date,
            disruption: a.disruption,
            owner_agency: a.owner_agency.trim().to_string(),
            ps: a.ps.clone(),
            submitted: a.submitted,
            text: a.text.clone(),
            owner_name: a.owner_name.trim().to_string(),
            update: a.update.clone(),
        }
    }
}

impl ActionFacts {
    /// Past its target date and not complete (as [`Action::is_overdue`]).
    pub fn is_overdue(&self, today: NaiveDate) -> bool {
        self.status != Some(RagStatus::Green) && self.target_date.is_some_and(|t| t < today)
    }
}

/// Which facts an update may have changed, from its audit changes.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Touched {
    /// The plan's own facts.
    pub plan: bool,
    /// Actions added, removed or with a fact-bearing field changed.
    pub actions: BTreeSet<String>,
}

impl Touched {
    pub fn from_changes<'a>(changes: impl IntoIterator<Item = &'a Change>) -> Touched {
        let mut touched = Touched::default();
        for change in changes {
            match change.field.strip_prefix("action:") {
                Some(rest) => match rest.split_once(':') {
                    None => {
                        touched.actions.insert(rest.to_string());
                    }
                    Some((id, field)) if ACTION_FACT_FIELDS.contains(&field) => {
                        touched.actions.insert(id.to_string());
                    }
                    Some(_) => {}
                },
                None => touched.plan |= PLAN_FACT_FIELDS.contains(&change.field.as_str()),
            }
        }
        touched
    }

    pub fn is_empty(&self) -> bool {
        !self.plan && self.actions.is_empty()
    }
}

const PLAN_FACT_FIELDS: [&str; 5] = ["subject_kind", "tier", "last_review", "created", "threats"];
const ACTION_FACT_FIELDS: [&str; 10] = [
    "ps",
    "date",
    "target_date",
    "owner_agency",
    "status",
    "disruption",
    "submitted",
    "text",
    "owner_name",
    "update",
];

impl PlanDoc {
    /// The plan's own facts.
    pub fn plan_facts<T: ReadTxn>(&self, txn: &T, intervals: &ReviewIntervals) -> PlanFacts {
        let header = self.header(txn);
        let mut threats: Vec<String> = self.threats(txn).into_iter().map(|t| t.to_string()).collect();
        threats.sort();
        PlanFacts {
            next_review: header.next_review(intervals),
            subject_kind: header.subject_kind,
            tier: header.tier,
            threats,
        }
    }

    /// Every action's facts.
    pub fn all_action_facts<T: ReadTxn>(&self, txn: &T) -> Vec<ActionFacts> {
        self.actions(txn).iter().map(ActionFacts::from).collect()
    }

    /// The facts of the actions named, split into those that exist now and
    /// the ids of those that do not (removed).
    pub fn action_facts<T: ReadTxn>(&self, txn: &T, ids: &BTreeSet<String>) -> (Vec<ActionFacts>, Vec<String>) {
        let mut present = Vec::new();
        let mut gone = Vec::new();
        for id in ids {
            match self.action(txn, id) {
                Ok(action) => present.push(ActionFacts::from(&action)),
                Err(_) => gone.push(id.clone()),
            }
        }
        (present, gone)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn change(field: &str) -> Change {
        Change {
            field: field.into(),
            old: None,
            new: None,
        }
    }

    #[test]
    fn only_fact_bearing_changes_are_touched() {
        let changes = [
            change("action:a1:status"),
            change("action:a2"),
            change("action:a3:update"),
            change("action:a5:colour"),
            change("action:a4:disruption"),
            change("aim"),
        ];
        let touched = Touched::from_changes(&changes);
        assert!(!touched.plan);
        assert_eq!(touched.actions, ["a1", "a2", "a3", "a4"].map(String::from).into());
        assert!(Touched::from_changes(&[change("tier")]).plan);
        assert!(Touched::from_changes(&[change("threats")]).plan);
        assert!(Touched::from_changes(&[change("lro_update")]).is_empty());
    }
}
