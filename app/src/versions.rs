//! Reviews and versions: the server functions the pages call. Their bodies
//! reach the server's versions service through [`ssr::VersionsPort`], the
//! same service the REST routes call.

use leptos::prelude::*;
use plan::versions::{Moment, ReviewRecord, Version, VersionComparison};
use serde::{Deserialize, Serialize};

/// The reviews the viewer may read and the plan's latest moments (empty
/// for those who may not see its history), and what the viewer may do.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReviewsData {
    pub reviews: Vec<ReviewRecord>,
    pub moments: Vec<Moment>,
    /// Record a review: LRO, plan owner.
    pub can_review: bool,
    /// Restore from an older version: LRO.
    pub can_restore: bool,
    /// Earlier versions, comparisons and moments: LRO, plan owner, SIO.
    /// Partners and viewers see only the reviews recorded while members.
    pub sees_history: bool,
    /// Redact a passage from every stored version: LRO.
    pub can_redact: bool,
}

#[cfg(feature = "ssr")]
fn plan_id(plan: &str) -> Result<uuid::Uuid, ServerFnError> {
    plan.parse().map_err(|_| ServerFnError::new("Plan not found."))
}

#[cfg(feature = "ssr")]
fn viewer() -> Result<crate::session::Viewer, ServerFnError> {
    crate::session::ssr::viewer().ok_or_else(|| ServerFnError::new("Log in first."))
}

#[server(prefix = "/api/fn", endpoint = "plan_reviews", output = crate::wire::Postcard)]
pub async fn plan_reviews(plan: String) -> Result<ReviewsData, ServerFnError> {
    ssr::port()?
        .reviews(&crate::session::ssr::requester()?, plan_id(&plan)?)
        .await
        .map_err(|e| e.into_server_fn_error())
}

#[server(prefix = "/api/fn", endpoint = "record_review", output = crate::wire::Postcard)]
pub async fn record_review(plan: String) -> Result<ReviewRecord, ServerFnError> {
    ssr::port()?
        .record_review(&viewer()?, plan_id(&plan)?)
        .await
        .map_err(|e| e.into_server_fn_error())
}

#[server(prefix = "/api/fn", endpoint = "plan_version", output = crate::wire::Postcard)]
pub async fn plan_version(plan: String, at: String) -> Result<Version, ServerFnError> {
    let at = plan::versions::At::parse(&at).map_err(ServerFnError::new)?;
    ssr::port()?
        .version(&crate::session::ssr::requester()?, plan_id(&plan)?, at)
        .await
        .map_err(|e| e.into_server_fn_error())
}

#[server(prefix = "/api/fn", endpoint = "compare_versions", output = crate::wire::Postcard)]
pub async fn compare_versions(
    plan: String,
    #[server(default)] from: String,
    #[server(default)] to: String,
) -> Result<VersionComparison, ServerFnError> {
    let parse = |v: &str| {
        (!v.is_empty())
            .then(|| plan::versions::At::parse(v))
            .transpose()
            .map_err(ServerFnError::new)
    };
    ssr::port()?
        .compare(
            &crate::session::ssr::requester()?,
            plan_id(&plan)?,
            parse(&from)?,
            parse(&to)?,
        )
        .await
        .map_err(|e| e.into_server_fn_error())
}

/// Restores a section (`kind` "section", `key` its key) or a deleted action
/// (`kind` "action", `key` its id) from version `from`.
#[server(prefix = "/api/fn", endpoint = "restore_from", output = crate::wire::Postcard)]
pub async fn restore_from(plan: String, from: String, kind: String, key: String) -> Result<(), ServerFnError> {
    use plan::versions::RestoreTarget;
    let at = plan::versions::At::parse(&from).map_err(ServerFnError::new)?;
    let target = match kind.as_str() {
        "section" => RestoreTarget::Section { key },
        "action" => RestoreTarget::Action { id: key },
        other => return Err(ServerFnError::new(format!("kind: {other:?} is not section or action"))),
    };
    ssr::port()?
        .restore(&viewer()?, plan_id(&plan)?, at, target)
        .await
        .map_err(|e| e.into_server_fn_error())
}

/// Redacts `text`, as it stands in `field` of version `at`, from every
/// stored copy of the plan, saying why (LRO only).
#[server(prefix = "/api/fn", endpoint = "redact_passage", output = crate::wire::Postcard)]
pub async fn redact_passage(
    plan: String,
    at: String,
    field: String,
    text: String,
    reason: String,
) -> Result<plan::versions::redact::Redacted, ServerFnError> {
    let request = plan::versions::redact::RedactRequest {
        at,
        field,
        text,
        reason,
    };
    ssr::port()?
        .redact(&viewer()?, plan_id(&plan)?, request)
        .await
        .map_err(|e| e.into_server_fn_error())
}

#[cfg(feature = "ssr")]
pub mod ssr {
    use super::ReviewsData;
    use crate::present::GENERIC_ERROR;
    use crate::service_error::ServiceError;
    use crate::session::ssr::Requester;
    use crate::session::Viewer;
    use leptos::prelude::{use_context, ServerFnError};
    use plan::versions::{At, RestoreTarget, ReviewRecord, Version, VersionComparison};
    use std::sync::Arc;
    use uuid::Uuid;

    /// The versions service, implemented by the server.
    #[async_trait::async_trait]
    pub trait VersionsPort: Send + Sync + 'static {
        /// Reads are consultations, which the server logs.
        async fn reviews(&self, who: &Requester, plan: Uuid) -> Result<ReviewsData, ServiceError>;
        async fn record_review(&self, viewer: &Viewer, plan: Uuid) -> Result<ReviewRecord, ServiceError>;
        async fn version(&self, who: &Requester, plan: Uuid, at: At) -> Result<Version, ServiceError>;
        async fn compare(
            &self,
            who: &Requester,
            plan: Uuid,
            from: Option<At>,
            to: Option<At>,
        ) -> Result<VersionComparison, ServiceError>;
        async fn restore(
            &self,
            viewer: &Viewer,
            plan: Uuid,
            from: At,
            target: RestoreTarget,
        ) -> Result<(), ServiceError>;
        async fn redact(
            &self,
            viewer: &Viewer,
            plan: Uuid,
            request: plan::versions::redact::RedactRequest,
        ) -> Result<plan::versions::redact::Redacted, ServiceError>;
    }

    pub type VersionsRef = Arc<dyn VersionsPort>;

    pub fn port() -> Result<VersionsRef, ServerFnError> {
        use_context::<VersionsRef>().ok_or_else(|| {
            tracing::error!("no app::versions::ssr::VersionsRef in context");
            ServerFnError::ServerError(GENERIC_ERROR.to_string())
        })
    }
}
