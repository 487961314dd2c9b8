//! The versions page's port: the pages' server functions reach the
//! versions service through it.

use super::Versions;
use app::service_error::ServiceError;
use app::session::ssr::Requester;
use app::session::Viewer;
use plan::access::Role;
use plan::access_log::AccessKind;
use plan::versions::{At, RestoreTarget, ReviewRecord, Version, VersionComparison};
use uuid::Uuid;

#[async_trait::async_trait]
impl app::versions::ssr::VersionsPort for Versions {
    async fn reviews(&self, who: &Requester, plan: Uuid) -> Result<app::versions::ReviewsData, ServiceError> {
        // One reading, logged once, for the whole panel.
        let (role, reach) = self.reach(who, plan, AccessKind::ReviewsRead, "").await?;
        let moments = if reach.is_history() {
            self.latest_moments(plan).await?
        } else {
            Vec::new()
        };
        Ok(app::versions::ReviewsData {
            reviews: self.reviews_within(plan, &reach).await?,
            moments,
            can_review: matches!(role, Role::Lro | Role::PlanOwner),
            can_restore: role == Role::Lro,
            sees_history: reach.is_history(),
            can_redact: role == Role::Lro,
        })
    }

    async fn record_review(&self, viewer: &Viewer, plan: Uuid) -> Result<ReviewRecord, ServiceError> {
        Versions::record_review(self, viewer, plan).await
    }

    async fn version(&self, who: &Requester, plan: Uuid, at: At) -> Result<Version, ServiceError> {
        Versions::version(self, who, plan, at).await
    }

    async fn compare(
        &self,
        who: &Requester,
        plan: Uuid,
        from: Option<At>,
        to: Option<At>,
    ) -> Result<VersionComparison, ServiceError> {
        Versions::compare(self, who, plan, (from, to)).await
    }

    async fn restore(&self, viewer: &Viewer, plan: Uuid, from: At, target: RestoreTarget) -> Result<(), ServiceError> {
        Versions::restore(self, viewer, plan, from, target).await
    }

    async fn redact(
        &self,
        viewer: &Viewer,
        plan: Uuid,
        request: plan::versions::redact::RedactRequest,
    ) -> Result<plan::versions::redact::Redacted, ServiceError> {
        Versions::redact(self, viewer, plan, request).await
    }
}
