//! `/my-actions`: every action owned by the viewer's agency, and separately
//! by the viewer by name, across their plans; grouped by plan, overdue
//! first; filtered by status, overdue and P.

use super::{may_edit, ActionRow};
use crate::access::{same_agency, Role};
use crate::portfolio::ActionFacts;
use crate::vocabulary::{RagStatus, P};
use crate::SecurityMarking;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;
use uuid::Uuid;

/// The query as it arrives (URL or form): every field optional text.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct MyActionsQuery {
    /// `RED`, `AMBER`, `GREEN` or `unset`.
    #[serde(default)]
    pub status: Option<String>,
    /// `true`/`yes`/`1`/`on`: only overdue actions.
    #[serde(default)]
    pub overdue: Option<String>,
    /// A P (`PURSUE`...).
    #[serde(default)]
    pub p: Option<String>,
}

/// The query parsed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MyActionsFilter {
    /// `Some(None)`: only actions with no status.
    pub status: Option<Option<RagStatus>>,
    pub overdue: bool,
    pub p: Option<P>,
}

fn given(value: &Option<String>) -> Option<&str> {
    value.as_deref().map(str::trim).filter(|v| !v.is_empty())
}

impl MyActionsQuery {
    /// Parses; the error names the field at fault.
    pub fn parse(&self) -> Result<MyActionsFilter, String> {
        let status = match given(&self.status) {
            None => None,
            Some(s) if s.eq_ignore_ascii_case("unset") => Some(None),
            Some(s) => Some(Some(
                s.to_ascii_uppercase().parse::<RagStatus>().map_err(|e| e.to_string())?,
            )),
        };
        let overdue = match given(&self.overdue).map(str::to_ascii_lowercase).as_deref() {
            None | Some("false" | "no" | "0" | "off") => false,
            Some("true" | "yes" | "1" | "on") => true,
            Some(other) => return Err(format!("overdue: expected true or false, not {other:?}")),
        };
        let p = given(&self.p)
            .map(|p| p.to_ascii_uppercase().parse::<P>().map_err(|e| e.to_string()))
            .transpose()?;
        Ok(MyActionsFilter { status, overdue, p })
    }
}

impl MyActionsFilter {
    fn keeps(&self, item: &MyAction) -> bool {
        self.status.is_none_or(|s| s == item.action.status)
            && (!self.overdue || item.overdue)
            && self.p.is_none_or(|p| item.action.ps.contains(&p))
    }
}

/// One listed action (its plan is its group's).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MyAction {
    pub action: ActionFacts,
    pub overdue: bool,
    /// The viewer may edit its update/result, status and disruption (the
    /// plan's gate still judges every edit).
    pub editable: bool,
}

/// The actions of one plan.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlanGroup {
    pub plan_id: Uuid,
    pub plan_name: String,
    pub marking: SecurityMarking,
    /// The viewer's role on the plan.
    pub role: Role,
    pub overdue: usize,
    pub actions: Vec<MyAction>,
}

/// The whole page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MyActionsView {
    pub agency: String,
    pub name: String,
    /// Owned by the viewer's agency.
    pub by_agency: Vec<PlanGroup>,
    /// Owned by the viewer by name (whatever the agency).
    pub by_name: Vec<PlanGroup>,
    /// The viewer's overdue actions, each counted once, whatever the filters.
    pub overdue: usize,
}

/// Whether the action is the viewer's by name.
pub fn named(owner_name: &str, viewer_name: &str) -> bool {
    !owner_name.trim().is_empty() && owner_name.trim().to_lowercase() == viewer_name.trim().to_lowercase()
}

/// The view from the rows of the viewer's plans that are theirs by agency
/// or name (others are ignored).
pub fn my_actions(
    rows: Vec<ActionRow>,
    agency: &str,
    name: &str,
    filter: &MyActionsFilter,
    today: NaiveDate,
) -> MyActionsView {
    let mut overdue = BTreeSet::new();
    let (mut by_agency, mut by_name) = (Vec::new(), Vec::new());
    for row in rows {
        let (ours, mine) = (
            same_agency(agency, &row.action.owner_agency),
            named(&row.action.owner_name, name),
        );
        if !ours && !mine {
            continue;
        }
        let item = MyAction {
            overdue: row.action.is_overdue(today),
            editable: may_edit(row.role, agency, &row.action),
            action: row.action.clone(),
        };
        if item.overdue {
            overdue.insert((row.plan_id, item.action.id.clone()));
        }
        let item = (row, item);
        if !filter.keeps(&item.1) {
            continue;
        }
        if ours && mine {
            by_name.push(item.clone());
        }
        if ours {
            by_agency.push(item)
        } else {
            by_name.push(item)
        }
    }
    MyActionsView {
        agency: agency.trim().to_string(),
        name: name.to_string(),
        by_agency: grouped(by_agency),
        by_name: grouped(by_name),
        overdue: overdue.len(),
    }
}

/// By plan: plans with overdue actions first, then by name; in each plan
/// overdue actions first, then by target date (undated last) and text.
fn grouped(mut items: Vec<(ActionRow, MyAction)>) -> Vec<PlanGroup> {
    items.sort_by(|(a, x), (b, y)| {
        let key = |m: &MyAction| {
            (
                !m.overdue,
                m.action.target_date.is_none(),
                m.action.target_date,
                m.action.text.to_lowercase(),
            )
        };
        (a.plan_id, key(x)).cmp(&(b.plan_id, key(y)))
    });
    let mut groups: Vec<PlanGroup> = Vec::new();
    for (row, item) in items {
        match groups.last_mut() {
            Some(g) if g.plan_id == row.plan_id => {
                g.overdue += usize::from(item.overdue);
                g.actions.push(item);
            }
            _ => groups.push(PlanGroup {
                plan_id: row.plan_id,
                plan_name: row.plan_name,
                marking: row.marking,
                role: row.role,
                overdue: usize::from(item.overdue),
                actions: vec![item],
            }),
        }
    }
    groups.sort_by_key(|g| (g.overdue == 0, g.plan_name.to_lowercase(), g.plan_id));
    groups
}

#[cfg(test)]
#[path = "mine_tests.rs"]
mod tests;

/// An edit from `/my-actions`, as a form posts it: each field is changed
/// only if given and different from the action's current value.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct MyActionEdit {
    pub plan: Uuid,
    pub action: String,
    #[serde(default)]
    pub update: Option<String>,
    /// `RED`, `AMBER` or `GREEN`.
    #[serde(default)]
    pub status: Option<String>,
    /// A level, or empty for "not assessed".
    #[serde(default)]
    pub disruption: Option<String>,
}

impl MyActionEdit {
    /// The changes it asks for against the action as it is now.
    pub fn changes(&self, current: &crate::Action) -> Result<Vec<crate::ActionChange>, crate::InvalidValue> {
        use crate::ActionChange;
        let mut changes = Vec::new();
        if let Some(update) = &self.update {
            if *update != current.update {
                changes.push(ActionChange::Update(update.clone()));
            }
        }
        if let Some(status) = given(&self.status) {
            let status = status.to_ascii_uppercase().parse::<RagStatus>()?;
            if current.status != Some(status) {
                changes.push(ActionChange::Status(status));
            }
        }
        if let Some(disruption) = &self.disruption {
            let level = match disruption.trim() {
                "" => None,
                level => Some(level.to_ascii_uppercase().parse::<crate::Disruption>()?),
            };
            if current.disruption != level {
                changes.push(ActionChange::Disruption(level));
            }
        }
        Ok(changes)
    }
}
