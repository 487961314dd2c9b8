//! A stored comment as a member sees it: a hidden one without its words,
//! and what the viewer may do to it.

use super::store::StoredComment;
use app::comments::CommentView;
use plan::access::Role;
use plan::comments::{may_hide, may_resolve, Anchor};
use uuid::Uuid;

pub(super) fn view(c: StoredComment, viewer: Uuid, role: Role) -> CommentView {
    let mine = c.author_id == viewer;
    let first = c.thread_id.is_none();
    let hidden = c.hidden_at.map(|_| {
        (
            c.hidden_by_name.clone().unwrap_or_default(),
            c.hidden_reason.clone().unwrap_or_default(),
        )
    });
    CommentView {
        id: c.id,
        thread: c.thread_id,
        anchor: first.then(|| anchor(&c)).flatten(),
        quote: if hidden.is_some() { None } else { c.quote },
        body: if hidden.is_some() { None } else { Some(c.body) },
        at: c.created_at.format("%-d %b %Y %H:%M").to_string(),
        edited: c.edited_at.is_some(),
        resolved_by: c.resolved_at.map(|_| c.resolved_by_name.unwrap_or_default()),
        can_edit: mine && hidden.is_none(),
        can_resolve: first && (mine || may_resolve(role)),
        can_hide: may_hide(role) && hidden.is_none(),
        hidden,
        author: c.author_name,
        agency: c.author_agency,
    }
}

fn anchor(c: &StoredComment) -> Option<Anchor> {
    Some(match c.anchor_kind.as_str() {
        "plan" => Anchor::Plan,
        "section" => Anchor::Section {
            section: c.section.clone()?,
        },
        "range" => Anchor::Range {
            section: c.section.clone()?,
            start: c.range_start.clone()?,
            end: c.range_end.clone()?,
        },
        "action" => Anchor::Action {
            action: c.action_id.clone()?,
        },
        _ => return None,
    })
}
