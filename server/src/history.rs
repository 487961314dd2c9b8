//! A plan's history as its LRO reads it: the audit trail's edits and the
//! membership changes, merged. Above both, so neither knows the other.

use crate::audit::HistoryEntry;
use crate::membership::MemberChangeEntry;
use plan::access::{Change, Role};
use std::collections::BTreeMap;

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
    /// Merges a plan's edits and membership changes (each oldest first) by
    /// time; at the same instant, edits come first.
    pub fn merge(edits: Vec<HistoryEntry>, memberships: &[MemberChangeEntry]) -> History {
        let members = memberships
            .iter()
            .map(|m| (plan::change_label::member_field(m.member.id), m.member_shown_as()))
            .collect();
        let mut entries = edits;
        entries.extend(memberships.iter().map(MemberChangeEntry::to_history));
        // Stable, so each source keeps its own order.
        entries.sort_by_key(|e| e.at);
        History { entries, members }
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
