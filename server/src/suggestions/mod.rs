//! Suggested changes: the suggestions service. Any member of a plan
//! suggests a change to a text section (a replacement for words in it, or
//! a paragraph to add); neither changes the plan until its LRO, plan owner
//! or SIO accepts, which makes the change through the plan's room and
//! admission gate as the acceptor's edit (the plan's history names the
//! suggester and the acceptor). A suggestion whose words changed since is
//! outdated and cannot be accepted. A rejection keeps it, with a reason.
//! The plan's open pages hear of each through the comment stream.

pub mod routes;
pub mod store;

pub use routes::router;

use crate::accounts::store::AccountStore;
use crate::collab::room::Access;
use crate::collab::rooms::Rooms;
use crate::collab::server_edit::{edit_as, read_as};
use crate::comments::CommentEvents;
use crate::notifications::{Notify, Recipients};
use app::service_error::ServiceError;
use app::session::ssr::Requester;
use app::suggestions::SuggestionView;
use chrono::Utc;
use plan::access::Role;
use plan::comments::{locate, may_resolve, Anchor};
use plan::notifications::Kind;
use plan::suggestions::{apply, check_text, Proposed, SuggestionError};
use plan::Section;
use std::sync::Arc;
use store::{Decision, NewSuggestion, StoredSuggestion, SuggestionStore};
use uuid::Uuid;

crate::store::composite_storage!(
    /// What the suggestions service keeps and reads.
    pub trait SuggestionStorage: SuggestionStore + AccountStore
);

/// The suggestions service. Cheap to clone.
#[derive(Clone)]
pub struct Suggestions {
    store: Arc<dyn SuggestionStorage>,
    rooms: Rooms,
    events: CommentEvents,
    bells: crate::plan_events::PlanEvents,
}

fn invalid(e: impl ToString) -> ServiceError {
    ServiceError::Invalid(e.to_string())
}

impl Suggestions {
    pub fn new(
        store: Arc<dyn SuggestionStorage>,
        rooms: Rooms,
        events: CommentEvents,
        bells: crate::plan_events::PlanEvents,
    ) -> Self {
        Suggestions {
            store,
            rooms,
            events,
            bells,
        }
    }

    async fn access(&self, who: &Requester, plan: Uuid) -> Result<Access, ServiceError> {
        let role = self.store.member_role(plan, who.viewer.id).await?;
        Ok(Access {
            user: who.viewer.id,
            role: role.ok_or(ServiceError::NotFound("plan"))?,
            agency: who.viewer.agency.clone(),
            shown_as: String::new(),
        })
    }

    /// The plan's suggestions, oldest first (members only).
    pub async fn suggestions(&self, who: &Requester, plan: Uuid) -> Result<Vec<SuggestionView>, ServiceError> {
        let role = self.access(who, plan).await?.role;
        let stored = self.store.suggestions(plan).await?;
        Ok(stored.into_iter().map(|s| view(s, role)).collect())
    }

    /// Suggests replacing the words of `anchor` (a range in `section`) with
    /// `text`, or, with none, adding `text` to `section` as a paragraph.
    pub async fn suggest(
        &self,
        who: &Requester,
        plan: Uuid,
        section: &str,
        anchor: Option<Anchor>,
        text: &str,
    ) -> Result<Uuid, ServiceError> {
        let access = self.access(who, plan).await?;
        let key = section;
        let section = Section::from_key(key).ok_or_else(|| invalid(format!("section: there is no section {key:?}")))?;
        let proposed = match anchor {
            None => Proposed::Paragraph {
                text: text.trim().to_string(),
            },
            Some(Anchor::Range {
                section: of,
                start,
                end,
            }) if of == key => {
                let (s, e) = (start.clone(), end.clone());
                let words = read_as(&self.rooms, plan, access, move |doc, txn| {
                    locate(doc, txn, section, &s, &e)
                })
                .await?;
                let original = words.map(|w| w.text).filter(|w| !w.is_empty());
                let original = original.ok_or_else(|| invalid("anchor: the range is not inside the section's text"))?;
                Proposed::Replace {
                    start,
                    end,
                    original,
                    text: text.trim().to_string(),
                }
            }
            Some(_) => return Err(invalid("anchor: a suggestion replaces words of its own section")),
        };
        check_text(&proposed).map_err(invalid)?;
        let id = Uuid::new_v4();
        let (kind, range, original, text) = match &proposed {
            Proposed::Paragraph { text } => ("paragraph", None, None, text),
            Proposed::Replace {
                start,
                end,
                original,
                text,
            } => (
                "replace",
                Some((start.as_slice(), end.as_slice())),
                Some(original.as_str()),
                text,
            ),
        };
        let suggestion = NewSuggestion {
            id,
            plan,
            author: who.viewer.id,
            section: key,
            kind,
            range,
            original,
            proposed: text,
            at: Utc::now(),
        };
        let link = format!("/plans/{plan}#section-{key}");
        let deciders = [Role::Lro, Role::PlanOwner, Role::Sio];
        let note = Notify {
            kind: Kind::SuggestionToDecide,
            plan,
            link: &link,
            to: Recipients::Roles(&deciders),
            by: Some(who.viewer.id),
            event: None,
        };
        let told = self.store.suggest(&suggestion, &[note]).await?;
        self.bells.bell(&told);
        tracing::info!(%plan, suggestion = %id, by = %who.viewer.id, kind, "change suggested");
        self.events.changed(plan, id);
        Ok(id)
    }

    /// Accepts (making the change as `who`'s edit) or rejects (with a
    /// reason) a suggestion; the LRO, plan owner or SIO only.
    pub async fn decide(
        &self,
        who: &Requester,
        plan: Uuid,
        id: Uuid,
        accept: bool,
        reason: &str,
    ) -> Result<(), ServiceError> {
        let access = self.access(who, plan).await?;
        if !may_resolve(access.role) {
            return Err(ServiceError::Forbidden(
                "only the plan's LRO, plan owner or SIO accept or reject suggestions".into(),
            ));
        }
        let s = self
            .store
            .suggestion(plan, id)
            .await?
            .ok_or(ServiceError::NotFound("suggestion"))?;
        let reason = reason.trim();
        if !accept && (reason.is_empty() || reason.chars().count() > 500) {
            return Err(invalid("reason: say why it is rejected, in at most 500 characters"));
        }
        let decision = Decision {
            accepted: accept,
            by: who.viewer.id,
            reason: (!reason.is_empty()).then_some(reason),
            at: Utc::now(),
        };
        let link = format!("/plans/{plan}#section-{}", s.section);
        let note = Notify {
            kind: Kind::SuggestionDecided,
            plan,
            link: &link,
            to: Recipients::Member(s.author_id),
            by: Some(who.viewer.id),
            event: None,
        };
        // Claimed first, so that two leads cannot make the change twice; an
        // acceptance tells its suggester once the change is made.
        let notes = if accept { vec![] } else { vec![note] };
        let Some(mut told) = self.store.decide(plan, id, decision, &notes).await? else {
            return Err(invalid("this suggestion was decided already"));
        };
        if accept {
            if let Err(e) = self.make(access, &s).await {
                self.store.undecide(plan, id).await?;
                return Err(e);
            }
            told = self.store.notify(&[note]).await?;
        }
        self.bells.bell(&told);
        tracing::info!(%plan, suggestion = %id, by = %who.viewer.id, accept, "suggestion decided");
        self.events.changed(plan, id);
        Ok(())
    }

    /// Makes the suggested change through the plan's room.
    async fn make(&self, access: Access, s: &StoredSuggestion) -> Result<(), ServiceError> {
        let section = Section::from_key(&s.section).ok_or(ServiceError::NotFound("section"))?;
        let proposed = proposed(s);
        let applied = edit_as(&self.rooms, s.plan_id, access, move |doc, txn| {
            Ok(apply(doc, txn, section, &proposed))
        })
        .await?;
        applied.map_err(|e: SuggestionError| invalid(e))
    }
}

fn proposed(s: &StoredSuggestion) -> Proposed {
    let range = s.range_start.clone().zip(s.range_end.clone());
    Proposed::from_parts(range, s.original.clone(), s.proposed.clone())
}

fn view(s: StoredSuggestion, role: Role) -> SuggestionView {
    let by = format!(
        "{} ({})",
        s.decided_by_name.clone().unwrap_or_default(),
        s.decided_by_agency.clone().unwrap_or_default()
    );
    let decision = s.decision.as_deref().map(|d| match (d, &s.reason) {
        ("accepted", _) => format!("Accepted by {by}"),
        (_, Some(reason)) => format!("Rejected by {by}: {reason}"),
        _ => format!("Rejected by {by}"),
    });
    SuggestionView {
        id: s.id,
        author: s.author_name,
        agency: s.author_agency,
        section: s.section,
        range: s.range_start.zip(s.range_end),
        original: s.original,
        proposed: s.proposed,
        at: s.created_at.format("%-d %b %Y %H:%M").to_string(),
        can_decide: decision.is_none() && may_resolve(role),
        decision,
    }
}

#[async_trait::async_trait]
impl app::suggestions::ssr::SuggestionsPort for Suggestions {
    async fn suggestions(&self, who: &Requester, plan: Uuid) -> Result<Vec<SuggestionView>, ServiceError> {
        Suggestions::suggestions(self, who, plan).await
    }

    async fn suggest(
        &self,
        who: &Requester,
        plan: Uuid,
        section: &str,
        anchor: Option<Anchor>,
        text: &str,
    ) -> Result<Uuid, ServiceError> {
        Suggestions::suggest(self, who, plan, section, anchor, text).await
    }

    async fn decide(
        &self,
        who: &Requester,
        plan: Uuid,
        suggestion: Uuid,
        accept: bool,
        reason: &str,
    ) -> Result<(), ServiceError> {
        Suggestions::decide(self, who, plan, suggestion, accept, reason).await
    }
}
