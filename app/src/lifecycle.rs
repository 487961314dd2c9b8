//! Closing and reopening a plan from its page: server functions over the
//! server's [`ssr::LifecyclePort`], which decides who may (its LRO).

use leptos::prelude::*;
use plan::lifecycle::PlanLife;
use uuid::Uuid;

/// Closes the plan: it becomes read-only for everyone.
#[server(prefix = "/api/fn", endpoint = "close_plan", output = crate::wire::Postcard)]
pub async fn close_plan(
    plan: Uuid,
    outcome: String,
    summary: String,
    #[server(default)] disruptions: String,
) -> Result<PlanLife, ServerFnError> {
    let closing = plan::lifecycle::Closing::parse(&outcome, &summary, &disruptions).map_err(ServerFnError::new)?;
    let who = crate::session::ssr::requester()?;
    ssr::port()?
        .close(&who, plan, &closing)
        .await
        .map_err(crate::service_error::ServiceError::into_server_fn_error)
}

/// Reopens a closed plan, saying why.
#[server(prefix = "/api/fn", endpoint = "reopen_plan", output = crate::wire::Postcard)]
pub async fn reopen_plan(plan: Uuid, reason: String) -> Result<PlanLife, ServerFnError> {
    let reason = plan::lifecycle::reason(&reason).map_err(ServerFnError::new)?;
    let who = crate::session::ssr::requester()?;
    ssr::port()?
        .reopen(&who, plan, &reason)
        .await
        .map_err(crate::service_error::ServiceError::into_server_fn_error)
}

/// Closed plans due for their retention review (auditors, administrators).
#[server(prefix = "/api/fn", endpoint = "retention_due", output = crate::wire::Postcard)]
pub async fn retention_due() -> Result<Vec<plan::lifecycle::DueReview>, ServerFnError> {
    let who = crate::session::ssr::requester()?;
    ssr::port()?
        .retention_due(&who)
        .await
        .map_err(crate::service_error::ServiceError::into_server_fn_error)
}

/// A retention review's decision: `retain` (with `next_review`) or
/// `dispose`, and why.
#[server(prefix = "/api/fn", endpoint = "decide_retention", output = crate::wire::Postcard)]
pub async fn decide_retention(
    plan: Uuid,
    decision: String,
    reason: String,
    #[server(default)] next_review: String,
) -> Result<(), ServerFnError> {
    let today = chrono::Utc::now().date_naive();
    let next = (!next_review.trim().is_empty()).then_some(next_review.as_str());
    let decision = plan::lifecycle::Decision::parse(&decision, &reason, next, today).map_err(ServerFnError::new)?;
    let who = crate::session::ssr::requester()?;
    ssr::port()?
        .decide(&who, plan, &decision)
        .await
        .map_err(crate::service_error::ServiceError::into_server_fn_error)
}

#[cfg(feature = "ssr")]
pub mod ssr {
    use crate::present::GENERIC_ERROR;
    use crate::service_error::ServiceError;
    use crate::session::ssr::Requester;
    use leptos::prelude::{use_context, ServerFnError};
    use plan::lifecycle::{Closing, PlanLife};
    use std::sync::Arc;
    use uuid::Uuid;

    /// A plan's life, implemented by the server's lifecycle service.
    #[async_trait::async_trait]
    pub trait LifecyclePort: Send + Sync + 'static {
        async fn close(&self, who: &Requester, plan: Uuid, closing: &Closing) -> Result<PlanLife, ServiceError>;
        async fn reopen(&self, who: &Requester, plan: Uuid, reason: &str) -> Result<PlanLife, ServiceError>;
        async fn retention_due(&self, who: &Requester) -> Result<Vec<plan::lifecycle::DueReview>, ServiceError>;
        async fn decide(
            &self,
            who: &Requester,
            plan: Uuid,
            decision: &plan::lifecycle::Decision,
        ) -> Result<(), ServiceError>;
    }

    pub type LifecycleRef = Arc<dyn LifecyclePort>;

    pub fn port() -> Result<LifecycleRef, ServerFnError> {
        use_context::<LifecycleRef>().ok_or_else(|| {
            tracing::error!("no app::lifecycle::ssr::LifecycleRef in context");
            ServerFnError::ServerError(GENERIC_ERROR.to_string())
        })
    }
}
