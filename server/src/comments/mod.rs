//! Comments on a plan: the comments service. Any member, whatever their
//! role, comments on the plan, a text section, words in a section or an
//! action, and replies in threads; the author edits their own (every
//! wording stays in the record); the author, LRO, plan owner or SIO
//! resolve and reopen a thread; the LRO hides a comment, with a reason.
//! A plan's comments exist only for its members (as vetting clears them):
//! anyone else is told the plan is not found. Every post and change is
//! recorded ([`store`]) and heard live by the plan's open pages ([`live`]).
//! REST ([`routes`]) and the plan page (through
//! [`app::comments::ssr::CommentsPort`]) both call [`Comments`].

pub mod live;
mod port;
pub mod routes;
pub mod store;
mod views;

pub use live::CommentEvents;
pub use routes::router;

use crate::access_log::AccessLog;
use crate::accounts::store::AccountStore;
use crate::collab::room::Access;
use crate::collab::rooms::Rooms;
use crate::collab::server_edit::read_as;
use crate::notifications::Recipients;
use app::service_error::ServiceError;
use app::session::ssr::Requester;
use chrono::Utc;
use plan::access::Role;
use plan::access_log::AccessKind;
use plan::comments::{may_hide, may_resolve, Anchor, CommentText};
use plan::notifications::Kind;
use std::sync::Arc;
use store::{CommentChange, CommentStore, NewComment, StoredComment};
use uuid::Uuid;

/// The longest reason for hiding a comment, in characters.
const MAX_REASON_CHARS: usize = 500;

crate::store::composite_storage!(
    /// What the comments service keeps and reads.
    pub trait CommentStorage: CommentStore + AccountStore
);

/// The comments service. Cheap to clone.
#[derive(Clone)]
pub struct Comments {
    store: Arc<dyn CommentStorage>,
    access: AccessLog,
    rooms: Rooms,
    events: CommentEvents,
    /// Rings the bells of the people a comment notifies.
    bells: crate::plan_events::PlanEvents,
}

impl Comments {
    pub fn new(
        store: Arc<dyn CommentStorage>,
        access: AccessLog,
        rooms: Rooms,
        events: CommentEvents,
        bells: crate::plan_events::PlanEvents,
    ) -> Self {
        Comments {
            store,
            access,
            rooms,
            events,
            bells,
        }
    }

    pub fn events(&self) -> &CommentEvents {
        &self.events
    }

    /// Listens to the plan's comments; members only (else not found).
    pub async fn listen(&self, plan: Uuid, user: Uuid) -> Result<live::Listener, ServiceError> {
        // Subscribed first, so that nothing posted meanwhile is missed.
        let listener = self.events.listen(plan);
        self.role(plan, user).await?;
        Ok(listener)
    }

    /// The plan's comments, oldest first, as `who` may see them. A
    /// consultation (logged).
    pub async fn comments(&self, who: &Requester, plan: Uuid) -> Result<Vec<app::comments::CommentView>, ServiceError> {
        let role = self.access.consult(who, plan, AccessKind::CommentsRead, "").await?;
        let stored = self.store.comments(plan).await?;
        Ok(stored
            .into_iter()
            .map(|c| views::view(c, who.viewer.id, role))
            .collect())
    }

    /// The role `who` has on the plan now; not found for anyone else.
    async fn role(&self, plan: Uuid, user: Uuid) -> Result<Role, ServiceError> {
        self.store
            .member_role(plan, user)
            .await?
            .ok_or(ServiceError::NotFound("plan"))
    }

    async fn comment(&self, plan: Uuid, id: Uuid) -> Result<StoredComment, ServiceError> {
        self.store
            .comment(plan, id)
            .await?
            .ok_or(ServiceError::NotFound("comment"))
    }

    /// Posts a comment about `anchor`, or a reply in the thread of
    /// `reply_to` (a comment of the same plan), mentioning `mentions`
    /// (members of the plan, each notified; so is everyone else in a
    /// thread replied to). Its id.
    pub async fn post(
        &self,
        who: &Requester,
        plan: Uuid,
        anchor: Anchor,
        body: &str,
        reply_to: Option<Uuid>,
        mentions: &[Uuid],
    ) -> Result<Uuid, ServiceError> {
        let role = self.role(plan, who.viewer.id).await?;
        let text = CommentText::parse(body).map_err(|e| ServiceError::Invalid(e.to_string()))?;
        for mentioned in mentions {
            if self.store.member_role(plan, *mentioned).await?.is_none() {
                return Err(ServiceError::Invalid(
                    "mentions: only the plan's members can be mentioned".into(),
                ));
            }
        }
        let thread = match reply_to {
            Some(id) => match self.store.comment(plan, id).await? {
                Some(c) => Some(c.thread_id.unwrap_or(c.id)),
                None => {
                    return Err(ServiceError::Invalid(
                        "reply_to: there is no such comment on this plan".into(),
                    ))
                }
            },
            None => None,
        };
        // A reply is about what its thread is about.
        let anchor = if thread.is_some() { Anchor::Plan } else { anchor };
        let quote = self.check(who, plan, role, &anchor).await?;
        let id = Uuid::new_v4();
        let (kind, section, action, range) = match &anchor {
            Anchor::Plan => ("plan", None, None, None),
            Anchor::Section { section } => ("section", Some(section.as_str()), None, None),
            Anchor::Range { section, start, end } => (
                "range",
                Some(section.as_str()),
                None,
                Some((start.as_slice(), end.as_slice())),
            ),
            Anchor::Action { action } => ("action", None, Some(action.as_str()), None),
        };
        let comment = NewComment {
            id,
            plan,
            thread,
            author: who.viewer.id,
            anchor_kind: kind,
            section,
            action,
            range,
            quote: quote.as_deref(),
            body: text.as_str(),
            at: Utc::now(),
        };
        let link = plan::notifications::comment_link(plan, &id.to_string());
        let people = match thread {
            Some(thread) => self.thread_people(plan, thread).await?,
            None => Vec::new(),
        };
        let note = |kind, to| crate::notifications::Notify {
            kind,
            plan,
            link: &link,
            to,
            by: Some(who.viewer.id),
            event: None,
        };
        let notes = [
            note(Kind::Mentioned, Recipients::Members(mentions)),
            note(Kind::Reply, Recipients::Members(&people)),
        ];
        let told = self.store.post_comment(&comment, &notes).await?;
        self.bells.bell(&told);
        tracing::info!(%plan, comment = %id, by = %who.viewer.id, kind, "comment posted");
        self.events.changed(plan, id);
        Ok(id)
    }

    /// Everyone who has written in the thread.
    async fn thread_people(&self, plan: Uuid, thread: Uuid) -> Result<Vec<Uuid>, ServiceError> {
        let mut people: Vec<Uuid> = (self.store.comments(plan).await?.into_iter())
            .filter(|c| c.id == thread || c.thread_id == Some(thread))
            .map(|c| c.author_id)
            .collect();
        people.sort();
        people.dedup();
        Ok(people)
    }

    /// Checks `anchor` against the plan as it is now; a range's words.
    async fn check(
        &self,
        who: &Requester,
        plan: Uuid,
        role: Role,
        anchor: &Anchor,
    ) -> Result<Option<String>, ServiceError> {
        let invalid = |e: plan::comments::CommentError| ServiceError::Invalid(e.to_string());
        match anchor {
            Anchor::Plan => Ok(None),
            Anchor::Section { .. } => anchor.section().map(|_| None).map_err(invalid),
            Anchor::Action { .. } | Anchor::Range { .. } => {
                anchor.section().map_err(invalid)?;
                let access = Access {
                    user: who.viewer.id,
                    role,
                    agency: who.viewer.agency.clone(),
                    shown_as: String::new(),
                };
                let checked = read_as(&self.rooms, plan, access, |doc, txn| anchor.check(doc, txn)).await?;
                Ok(checked.map_err(invalid)?.map(|located| located.text))
            }
        }
    }

    /// The author changes their comment's wording (the earlier stays in
    /// the record).
    pub async fn edit(&self, who: &Requester, plan: Uuid, id: Uuid, body: &str) -> Result<(), ServiceError> {
        self.role(plan, who.viewer.id).await?;
        let comment = self.comment(plan, id).await?;
        if comment.author_id != who.viewer.id {
            return Err(ServiceError::Forbidden("only its author edits a comment".into()));
        }
        if comment.hidden_at.is_some() {
            return Err(ServiceError::Invalid(
                "comment: a hidden comment cannot be edited".into(),
            ));
        }
        let text = CommentText::parse(body).map_err(|e| ServiceError::Invalid(e.to_string()))?;
        self.change(who, plan, id, CommentChange::Edited { body: text.as_str() })
            .await
    }

    /// Resolves (`resolved`) or reopens the thread `id` starts.
    pub async fn resolve(&self, who: &Requester, plan: Uuid, id: Uuid, resolved: bool) -> Result<(), ServiceError> {
        let role = self.role(plan, who.viewer.id).await?;
        let comment = self.comment(plan, id).await?;
        if comment.thread_id.is_some() {
            return Err(ServiceError::Invalid(
                "comment: a thread is resolved by its first comment".into(),
            ));
        }
        if comment.author_id != who.viewer.id && !may_resolve(role) {
            return Err(ServiceError::Forbidden(
                "only the thread's author, the LRO, plan owner or SIO resolve or reopen it".into(),
            ));
        }
        if comment.resolved_at.is_some() == resolved {
            return Ok(());
        }
        let change = if resolved {
            CommentChange::Resolved
        } else {
            CommentChange::Reopened
        };
        self.change(who, plan, id, change).await
    }

    /// The LRO hides a comment, with a reason (kept in the record).
    pub async fn hide(&self, who: &Requester, plan: Uuid, id: Uuid, reason: &str) -> Result<(), ServiceError> {
        let role = self.role(plan, who.viewer.id).await?;
        if !may_hide(role) {
            return Err(ServiceError::Forbidden("only the plan's LRO hides comments".into()));
        }
        let comment = self.comment(plan, id).await?;
        let reason = reason.trim();
        if reason.is_empty() || reason.chars().count() > MAX_REASON_CHARS {
            return Err(ServiceError::Invalid(format!(
                "reason: say why it is hidden, in at most {MAX_REASON_CHARS} characters"
            )));
        }
        if comment.hidden_at.is_some() {
            return Ok(());
        }
        self.change(who, plan, id, CommentChange::Hidden { reason }).await
    }

    async fn change(
        &self,
        who: &Requester,
        plan: Uuid,
        id: Uuid,
        change: CommentChange<'_>,
    ) -> Result<(), ServiceError> {
        self.store
            .change_comment(plan, id, who.viewer.id, change, Utc::now())
            .await?;
        tracing::info!(%plan, comment = %id, by = %who.viewer.id, ?change, "comment changed");
        self.events.changed(plan, id);
        Ok(())
    }
}
