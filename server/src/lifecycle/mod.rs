//! A plan's life: its LRO closes it with an outcome, a summary and the
//! disruptions it achieved (it becomes read-only for everyone at the
//! admission gate, and leaves the live portfolio), or
//! reopens it with a reason. Each step is recorded (`plan_lifecycle_events`)
//! and every open page of the plan, on every node, reloads into the new
//! state. A closed plan is due a retention review (MoPI) after the years
//! its marking is kept ([`plan::lifecycle::Retention`]).
//!
//! The REST routes ([`routes`]) and the plan page (through
//! [`app::lifecycle::ssr::LifecyclePort`]) both call [`Lifecycles`].

pub mod disposal;
pub mod routes;
pub mod store;

pub use routes::router;

use crate::access_log::{Access, AccessLog};
use crate::accounts::store::AccountStore;
use crate::collab::rooms::Rooms;
use crate::plan_events::PlanEvents;
use app::service_error::ServiceError;
use app::session::ssr::Requester;
use disposal::{DisposalStore, Review};
use plan::access_log::{AccessKind, Basis};
use plan::lifecycle::{Closing, PlanLife, Retention};
use plan::lifecycle::{Decision, DueReview, Tombstone};
use std::sync::Arc;
use store::LifecycleStore;
use uuid::Uuid;

crate::store::composite_storage!(
    /// What the lifecycle service keeps and reads.
    pub trait LifecycleStorage: AccountStore + LifecycleStore + DisposalStore
);

/// What a plan's open pages are told as they reload.
const CLOSED_NOW: &str = "the plan has been closed by its LRO: it is read-only now";
const REOPENED_NOW: &str = "the plan has been reopened by its LRO";

/// The lifecycle service. Cheap to clone.
#[derive(Clone)]
pub struct Lifecycles {
    accounts: Arc<dyn AccountStore>,
    store: Arc<dyn LifecycleStore>,
    disposals: Arc<dyn DisposalStore>,
    rooms: Rooms,
    events: PlanEvents,
    retention: Retention,
    access: AccessLog,
}

impl Lifecycles {
    pub fn new(
        store: Arc<dyn LifecycleStorage>,
        rooms: Rooms,
        events: PlanEvents,
        retention: Retention,
        access: AccessLog,
    ) -> Self {
        Lifecycles {
            accounts: store.clone(),
            disposals: store.clone(),
            access,
            store,
            rooms,
            events,
            retention,
        }
    }

    /// Closes the plan (its LRO only), recording `closing`; its first
    /// retention review falls the marking's years after today.
    pub async fn close(&self, who: &Requester, plan: Uuid, closing: &Closing) -> Result<PlanLife, ServiceError> {
        self.require_lro(who, plan).await?;
        let marking = self.store.plan_marking(plan).await?.unwrap_or_default();
        let review_on = self.retention.review_on(marking, chrono::Utc::now().date_naive());
        let close = store::Close {
            plan,
            by: who.viewer.id,
            closing,
            review_on,
        };
        if !self.store.close_plan(close).await? {
            return Err(ServiceError::Invalid("the plan is closed already".into()));
        }
        tracing::info!(%plan, by = %who.viewer.id, outcome = closing.outcome.key(), %review_on, "plan closed");
        self.changed(plan, CLOSED_NOW).await
    }

    /// Reopens a closed plan (its LRO only), recording why.
    pub async fn reopen(&self, who: &Requester, plan: Uuid, reason: &str) -> Result<PlanLife, ServiceError> {
        self.require_lro(who, plan).await?;
        if !self.store.reopen_plan(plan, who.viewer.id, reason).await? {
            return Err(ServiceError::Invalid("the plan is open already".into()));
        }
        tracing::info!(%plan, by = %who.viewer.id, "plan reopened");
        self.changed(plan, REOPENED_NOW).await
    }

    /// Closed plans due for their retention review (auditors and
    /// administrators only).
    pub async fn retention_due(&self, who: &Requester) -> Result<Vec<DueReview>, ServiceError> {
        reviewer(who)?;
        Ok(self.disposals.retention_due(chrono::Utc::now().date_naive()).await?)
    }

    /// Records a retention review's decision on a closed plan that is due
    /// (auditors and administrators only): keep it until its next review,
    /// or dispose of it, erasing every row of it and leaving its tombstone;
    /// the erasure is itself logged. The tombstone, if disposed of.
    pub async fn decide(
        &self,
        who: &Requester,
        plan: Uuid,
        decision: &Decision,
    ) -> Result<Option<Tombstone>, ServiceError> {
        let basis = reviewer(who)?;
        let today = chrono::Utc::now().date_naive();
        let by = who.viewer.id;
        let not_due = || {
            ServiceError::Invalid("no retention review of that plan is due: it is not closed, or not yet due".into())
        };
        match decision {
            Decision::Retain { reason, next_review } => {
                if !self
                    .disposals
                    .retain_plan(
                        Review {
                            plan,
                            by,
                            reason,
                            today,
                        },
                        *next_review,
                    )
                    .await?
                {
                    return Err(not_due());
                }
                tracing::info!(%plan, by = %who.viewer.id, %next_review, "plan retained");
                Ok(None)
            }
            Decision::Dispose { reason } => {
                // Entries of readings so far are written, so that they go too.
                self.access.flush().await;
                let tombstone = self
                    .disposals
                    .dispose_plan(Review {
                        plan,
                        by,
                        reason,
                        today,
                    })
                    .await?
                    .ok_or_else(not_due)?;
                tracing::warn!(%plan, by = %who.viewer.id, "plan disposed of");
                let erased = Access::by(who, AccessKind::Erased, basis)
                    .on(plan)
                    .detail(reason.clone());
                self.access.record(erased).await;
                self.rooms.reload(plan, "the plan has been disposed of").await;
                self.events.changed(plan);
                Ok(Some(tombstone))
            }
        }
    }

    /// Every open page of the plan reloads into its new state, and plans
    /// lists follow.
    async fn changed(&self, plan: Uuid, why: &str) -> Result<PlanLife, ServiceError> {
        self.rooms.reload(plan, why).await;
        self.events.changed(plan);
        self.store.plan_life(plan).await?.ok_or(ServiceError::NotFound("plan"))
    }

    /// The one LRO rule (`membership::require_lro`): a member who is not
    /// the LRO is refused; anyone else gets the plan's 404.
    async fn require_lro(&self, who: &Requester, plan: Uuid) -> Result<(), ServiceError> {
        Ok(crate::membership::require_lro(
            self.accounts.member_role(plan, who.viewer.id).await?,
        )?)
    }
}

/// Who may decide retention: auditors and administrators; the basis the
/// access log records.
fn reviewer(who: &Requester) -> Result<Basis, ServiceError> {
    if who.viewer.auditor {
        Ok(Basis::Auditor)
    } else if who.viewer.is_admin {
        Ok(Basis::Administrator)
    } else {
        Err(ServiceError::Forbidden(
            "only auditors and administrators review retention".into(),
        ))
    }
}

/// The plan page's closing and reopening, through the same operations.
#[async_trait::async_trait]
impl app::lifecycle::ssr::LifecyclePort for Lifecycles {
    async fn close(&self, who: &Requester, plan: Uuid, closing: &Closing) -> Result<PlanLife, ServiceError> {
        Lifecycles::close(self, who, plan, closing).await
    }

    async fn reopen(&self, who: &Requester, plan: Uuid, reason: &str) -> Result<PlanLife, ServiceError> {
        Lifecycles::reopen(self, who, plan, reason).await
    }

    async fn retention_due(&self, who: &Requester) -> Result<Vec<DueReview>, ServiceError> {
        Lifecycles::retention_due(self, who).await
    }

    async fn decide(&self, who: &Requester, plan: Uuid, decision: &Decision) -> Result<(), ServiceError> {
        Lifecycles::decide(self, who, plan, decision).await.map(|_| ())
    }
}
