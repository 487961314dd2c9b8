//! A plan's history as its LRO reads it: the audit trail's edits and the
//! membership changes, merged. Above both, so neither knows the other. The
//! REST route ([`routes`], JSON or CSV) and the plan page (through
//! [`app::team::ssr::HistoryPort`]) both call [`Histories`].

pub mod csv;
mod discussion;
pub mod routes;

pub use routes::router;

use crate::access_log::AccessLog;
use crate::audit::{AuditStore, HistoryEntry};
use crate::comments::store::CommentStore;
use crate::membership::{MemberChangeEntry, MembershipStore};
use crate::plans::Plans;
use crate::suggestions::store::SuggestionStore;
use crate::vetting::store::{PlanVettingChange, VettingStore};
use app::service_error::ServiceError;
use app::session::ssr::Requester;
use app::team::ChangeRow;
use plan::access::{Change, Role};
use plan::access_log::AccessKind;
use plan::{change_label, PlanExport, SecurityMarking};
use std::collections::BTreeMap;
use std::sync::Arc;
use uuid::Uuid;

crate::store::composite_storage!(
    /// What the history service reads.
    pub trait HistoryStorage: AuditStore + MembershipStore + VettingStore + CommentStore + SuggestionStore
);

/// The history service. Cheap to clone.
#[derive(Clone)]
pub struct Histories {
    plans: Plans,
    access: AccessLog,
    audit: Arc<dyn AuditStore>,
    members: Arc<dyn MembershipStore>,
    vetting: Arc<dyn VettingStore>,
    comments: Arc<dyn CommentStore>,
    suggestions: Arc<dyn SuggestionStore>,
}

/// A plan's history with what it takes to describe it.
pub struct PlanHistory {
    pub marking: SecurityMarking,
    pub history: History,
    /// Names of the actions and members its changes name (see [`names`]).
    pub names: BTreeMap<String, String>,
}

impl Histories {
    pub fn new(store: Arc<dyn HistoryStorage>, plans: Plans, access: AccessLog) -> Self {
        Histories {
            plans,
            access,
            audit: store.clone(),
            vetting: store.clone(),
            comments: store.clone(),
            suggestions: store.clone(),
            members: store,
        }
    }

    /// Every change to the plan, edits and membership, oldest first; only
    /// its LRO may read it (anyone else who is not a member: not found).
    /// Read as `kind` (a consultation, or a download made for
    /// `recipients`), which the access log records.
    pub async fn for_lro(
        &self,
        plan: Uuid,
        who: &Requester,
        kind: AccessKind,
        recipients: &str,
    ) -> Result<PlanHistory, ServiceError> {
        let role = self.access.disclose(who, plan, kind, "", recipients).await?;
        crate::membership::require_lro(Some(role))?;
        let edits = self.audit.history(plan).await?;
        let memberships = self.members.member_changes(plan).await?;
        let raises = self.vetting.plan_vetting_changes(plan).await?;
        let comments = self.comments.comment_events(plan).await?;
        let mut history = History::merge(edits, &memberships, &raises);
        history.add_comments(&comments);
        history.add_suggestions(&self.suggestions.suggestions(plan).await?);
        let export = self.plans.export(plan).await?;
        Ok(PlanHistory {
            marking: export.as_ref().map(|e| e.marking).unwrap_or_default(),
            names: names(export.as_ref(), &history),
            history,
        })
    }
}

/// Names of the plan's actions, current or recorded in its trail, and of
/// the members its membership changes name, for describing changes (see
/// [`change_label::describe`]).
pub fn names(export: Option<&PlanExport>, history: &History) -> BTreeMap<String, String> {
    let current = export.map(|e| e.actions.as_slice()).unwrap_or_default();
    let mut names = change_label::action_names(current, history.entries.iter().flat_map(|e| &e.changes));
    names.extend(history.members.iter().map(|(k, v)| (k.clone(), v.clone())));
    names
}

/// The plan page's history panel, through the same operation as the API.
#[async_trait::async_trait]
impl app::team::ssr::HistoryPort for Histories {
    async fn history(&self, who: &Requester, plan: Uuid) -> Result<Vec<ChangeRow>, ServiceError> {
        let PlanHistory { history, names, .. } = self.for_lro(plan, who, AccessKind::HistoryRead, "").await?;
        Ok(history
            .entries
            .into_iter()
            .flat_map(|e| {
                let at = e.at.format("%Y-%m-%d %H:%M:%S UTC").to_string();
                let names = &names;
                e.changes.into_iter().map(move |c| ChangeRow {
                    at: at.clone(),
                    who: e.user.clone(),
                    agency: e.agency.clone(),
                    what: change_label::describe(&c.field, names),
                    field: c.field,
                    old: c.old,
                    new: c.new,
                })
            })
            .collect())
    }
}

/// A plan's whole history: its edits and its membership changes, merged
/// oldest first.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct History {
    pub entries: Vec<HistoryEntry>,
    /// "Name (Agency)" of each member a membership change names, by its
    /// [`plan::change_label::member_field`] key.
    pub members: BTreeMap<String, String>,
}

impl History {
    /// Merges a plan's edits, membership changes and raises of the vetting
    /// it needs (each oldest first) by time; at the same instant, edits come
    /// first.
    pub fn merge(edits: Vec<HistoryEntry>, memberships: &[MemberChangeEntry], raises: &[PlanVettingChange]) -> History {
        let members = memberships
            .iter()
            .map(|m| (plan::change_label::member_field(m.member.id), m.member_shown_as()))
            .collect();
        let mut entries = edits;
        entries.extend(memberships.iter().map(MemberChangeEntry::to_history));
        entries.extend(raises.iter().map(raise_to_history));
        // Stable, so each source keeps its own order.
        entries.sort_by_key(|e| e.at);
        History { entries, members }
    }
}

/// A raise as the plan's history shows changes: under the field key
/// `vetting`, old and new level (empty: as the marking implies).
fn raise_to_history(raise: &PlanVettingChange) -> HistoryEntry {
    HistoryEntry {
        at: raise.at,
        user_id: raise.by_id,
        user: raise.by_name.clone(),
        agency: raise.by_agency.clone(),
        changes: vec![Change {
            field: "vetting".into(),
            old: Some(raise.old_level.clone().unwrap_or_default()),
            new: Some(raise.new_level.clone().unwrap_or_default()),
        }],
    }
}

impl MemberChangeEntry {
    /// The entry as the plan's history shows changes: under the field key
    /// `member:{user id}`, old and new role keys (empty: not a member).
    pub fn to_history(&self) -> HistoryEntry {
        HistoryEntry {
            at: self.at,
            user_id: self.by.id,
            user: self.by.name.clone(),
            agency: self.by.agency.clone(),
            changes: vec![Change {
                field: plan::change_label::member_field(self.member.id),
                old: Some(self.old.map_or("", Role::key).to_string()),
                new: Some(self.new.map_or("", Role::key).to_string()),
            }],
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::membership::Person;
    use uuid::Uuid;

    #[test]
    fn a_recorded_change_reads_as_a_history_entry() {
        let person = |name: &str, agency: &str| Person {
            id: Uuid::new_v4(),
            name: name.into(),
            agency: agency.into(),
        };
        let entry = MemberChangeEntry {
            at: "2026-11-23T09:00:00Z".parse().unwrap(),
            by: person("Dee Lro", "Northshire Police"),
            member: person("Alice Smith", "Council"),
            old: None,
            new: Some(Role::Partner),
        };
        let history = entry.to_history();
        assert_eq!(history.user, "Dee Lro");
        assert_eq!(history.changes[0].field, format!("member:{}", entry.member.id));
        assert_eq!(history.changes[0].old.as_deref(), Some(""));
        assert_eq!(history.changes[0].new.as_deref(), Some("partner"));
        assert_eq!(entry.member_shown_as(), "Alice Smith (Council)");
    }
}
