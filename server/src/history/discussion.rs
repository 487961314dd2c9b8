//! The plan's discussion in its history: comments (each wording, resolves,
//! reopens, hides) and suggested changes (made, and decided).

use super::History;
use crate::audit::HistoryEntry;
use crate::comments::store::CommentEvent;
use crate::suggestions::store::StoredSuggestion;
use plan::access::Change;
use std::collections::BTreeMap;
use uuid::Uuid;

impl History {
    /// Adds the plan's comment record (oldest first), merged by time.
    pub fn add_comments(&mut self, events: &[CommentEvent]) {
        self.entries.extend(comment_entries(events));
        self.entries.sort_by_key(|e| e.at);
    }
}

impl History {
    /// Adds the plan's suggestions: each made (by its author: the words
    /// and the text proposed) and decided (by the lead), merged by time.
    pub fn add_suggestions(&mut self, suggestions: &[StoredSuggestion]) {
        for s in suggestions {
            let key = format!("suggestion:{}", s.id);
            self.entries.push(HistoryEntry {
                at: s.created_at,
                user_id: s.author_id,
                user: s.author_name.clone(),
                agency: s.author_agency.clone(),
                changes: vec![Change {
                    field: key.clone(),
                    old: Some(s.original.clone().unwrap_or_default()),
                    new: Some(s.proposed.clone()),
                }],
            });
            if let (Some(decision), Some(by), Some(at)) = (&s.decision, s.decided_by, s.decided_at) {
                let said = match &s.reason {
                    Some(reason) => format!("{decision} (suggested by {}): {reason}", s.author_name),
                    None => format!("{decision} (suggested by {})", s.author_name),
                };
                self.entries.push(HistoryEntry {
                    at,
                    user_id: by,
                    user: s.decided_by_name.clone().unwrap_or_default(),
                    agency: s.decided_by_agency.clone().unwrap_or_default(),
                    changes: vec![Change {
                        field: format!("{key}:decision"),
                        old: Some(String::new()),
                        new: Some(said),
                    }],
                });
            }
        }
        self.entries.sort_by_key(|e| e.at);
    }
}

/// The comment record as the history shows changes: `comment:{id}` (its
/// wording, old and new), `comment:{id}:state` (open or resolved) and
/// `comment:{id}:hidden` (the reason).
fn comment_entries(events: &[CommentEvent]) -> Vec<HistoryEntry> {
    let mut wording: BTreeMap<Uuid, String> = BTreeMap::new();
    events
        .iter()
        .map(|e| {
            let key = format!("comment:{}", e.comment_id);
            let body = e.body.clone().unwrap_or_default();
            let change = |field: String, old: &str, new: &str| Change {
                field,
                old: Some(old.to_string()),
                new: Some(new.to_string()),
            };
            let change = match e.kind.as_str() {
                "posted" | "edited" => {
                    let old = wording.insert(e.comment_id, body.clone()).unwrap_or_default();
                    change(key, &old, &body)
                }
                "resolved" => change(format!("{key}:state"), "open", "resolved"),
                "reopened" => change(format!("{key}:state"), "resolved", "open"),
                _ => change(format!("{key}:hidden"), "", &body),
            };
            HistoryEntry {
                at: e.at,
                user_id: e.by_id,
                user: e.by_name.clone(),
                agency: e.by_agency.clone(),
                changes: vec![change],
            }
        })
        .collect()
}
