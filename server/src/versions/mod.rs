//! Reviews and versions of a plan: recording a review (with a frozen copy
//! of the whole plan), reading the plan as it was at a review or after any
//! accepted update, comparing two versions (who changed what, from the
//! audit trail) and restoring a section or a deleted action from an older
//! version. One service, called by the REST routes ([`routes`]) and the
//! pages' server functions alike; edits go through the plan's room
//! ([`crate::collab::server_edit`]), so they are admitted, audited and live.

mod compare;
mod page_port;
mod read;
pub mod redact;
pub mod redact_store;
mod restore;
pub mod routes;
pub mod store;

use crate::access_log::AccessLog;
use crate::collab::room::Access;
use crate::collab::rooms::Rooms;
use crate::collab::server_edit::{edit_as, EditError};
use crate::plans::Plans;
use anyhow::Context;
use app::service_error::ServiceError;
use app::session::ssr::Requester;
use app::session::Viewer;
use plan::access::Role;
use plan::access_log::AccessKind;
use plan::versions::{reach, Moment, Reach, ReviewRecord};
use plan::Section;
use read::rebuild;
use std::sync::Arc;
use store::NewReview;
use uuid::Uuid;

/// How many of the latest moments a version list shows.
const MOMENTS_SHOWN: i64 = 200;

crate::store::composite_storage!(
    /// What the versions service keeps and reads.
    pub trait VersionsStorage: store::VersionStore + redact_store::RedactionStore
);

#[derive(Clone)]
pub struct Versions {
    store: Arc<dyn VersionsStorage>,
    plans: Plans,
    rooms: Rooms,
    access: AccessLog,
}

fn not_member() -> ServiceError {
    ServiceError::NotFound("plan")
}

fn no_history() -> ServiceError {
    ServiceError::Forbidden("only the plan's LRO, plan owner and SIO can see its earlier versions and changes".into())
}

fn edit_error(e: EditError) -> ServiceError {
    match e {
        EditError::NotFound => not_member(),
        EditError::Model(e) => ServiceError::Invalid(e.to_string()),
        EditError::Denied(reason) => ServiceError::Forbidden(reason),
        EditError::Unavailable(reason) => ServiceError::Internal(anyhow::anyhow!(reason)),
    }
}

impl Versions {
    pub fn new(store: Arc<dyn VersionsStorage>, plans: Plans, rooms: Rooms, access: AccessLog) -> Self {
        Versions {
            store,
            plans,
            rooms,
            access,
        }
    }

    async fn role(&self, viewer: &Viewer, plan: Uuid) -> Result<Role, ServiceError> {
        self.plans
            .role_of(plan, viewer.id)
            .await
            .context("reading a membership")?
            .ok_or_else(not_member)
    }

    /// What the reader may read of the plan's past (`NotFound` for
    /// non-members). Reading it as `kind` is a consultation (logged).
    async fn reach(
        &self,
        who: &Requester,
        plan: Uuid,
        kind: AccessKind,
        detail: &str,
    ) -> Result<(Role, Reach), ServiceError> {
        let viewer = &who.viewer;
        let role = self.access.consult(who, plan, kind, detail).await?;
        if reach::sees_history(role) {
            return Ok((role, Reach::History));
        }
        let (changes, since) = self
            .store
            .membership_of(plan, viewer.id)
            .await
            .context("reading a member's membership")?;
        Ok((role, Reach::of(role, reach::spans(&changes, since))))
    }

    /// The plan's history is for its LRO, plan owner and SIO: others are
    /// refused, members with a reason, non-members as for an unknown plan.
    /// Reading it as `kind` is a consultation (logged).
    async fn require_history(
        &self,
        who: &Requester,
        plan: Uuid,
        kind: AccessKind,
        detail: &str,
    ) -> Result<(), ServiceError> {
        if reach::sees_history(self.access.consult(who, plan, kind, detail).await?) {
            Ok(())
        } else {
            Err(no_history())
        }
    }

    async fn lro_or_owner(&self, viewer: &Viewer, plan: Uuid, what: &str) -> Result<Access, ServiceError> {
        let role = self.role(viewer, plan).await?;
        if !matches!(role, Role::Lro | Role::PlanOwner) {
            return Err(ServiceError::Forbidden(format!(
                "only the plan's LRO or plan owner can {what}"
            )));
        }
        Ok(Access {
            user: viewer.id,
            role,
            agency: viewer.agency.clone(),
            shown_as: String::new(),
        })
    }

    /// Records a review: last review becomes today (a normal edit, audited
    /// and live, so the next review date moves by the tier's interval), then
    /// the plan as it now stands is frozen with the LRO update.
    pub async fn record_review(&self, viewer: &Viewer, plan: Uuid) -> Result<ReviewRecord, ServiceError> {
        let access = self.lro_or_owner(viewer, plan, "record a review").await?;
        let today = chrono::Utc::now().date_naive();
        edit_as(&self.rooms, plan, access, |p, t| {
            p.set_last_review(t, Some(today));
            Ok(())
        })
        .await
        .map_err(edit_error)?;
        let stored = self
            .plans
            .store()
            .load(plan)
            .await
            .context("loading the plan to freeze it")?;
        let doc = rebuild(&stored);
        let lro_update = doc.section_text(&doc.transact(), Section::LroUpdate);
        let state = doc.encode_state();
        let review = NewReview {
            plan,
            by: viewer.id,
            reviewed_on: today,
            lro_update: &lro_update,
            upto_seq: stored.last_seq(),
            state: &state,
        };
        let number = self.store.insert_review(&review).await.context("recording a review")?;
        tracing::info!(%plan, by = %viewer.id, number, "review recorded");
        // The recorder, LRO or plan owner, reads every review.
        self.reviews_within(plan, &Reach::History)
            .await?
            .into_iter()
            .find(|r| r.number == number)
            .ok_or_else(|| anyhow::anyhow!("review {number} vanished").into())
    }

    /// The reviews the viewer may read, oldest first: every one for the
    /// LRO, plan owner and SIO; for others those recorded while they were
    /// members.
    pub async fn reviews(&self, who: &Requester, plan: Uuid) -> Result<Vec<ReviewRecord>, ServiceError> {
        let (_, reach) = self.reach(who, plan, AccessKind::ReviewsRead, "").await?;
        self.reviews_within(plan, &reach).await
    }

    async fn reviews_within(&self, plan: Uuid, reach: &Reach) -> Result<Vec<ReviewRecord>, ServiceError> {
        let mut reviews = self.store.reviews(plan).await.context("reading reviews")?;
        reviews.retain(|r| reach.sees_review(r.at));
        Ok(reviews)
    }

    /// The latest moments of the plan's history (LRO, plan owner, SIO).
    pub async fn moments(&self, who: &Requester, plan: Uuid) -> Result<Vec<Moment>, ServiceError> {
        self.require_history(who, plan, AccessKind::ReviewsRead, "versions")
            .await?;
        self.latest_moments(plan).await
    }

    async fn latest_moments(&self, plan: Uuid) -> Result<Vec<Moment>, ServiceError> {
        Ok(self
            .store
            .moments(plan, MOMENTS_SHOWN)
            .await
            .context("reading moments")?)
    }
}
