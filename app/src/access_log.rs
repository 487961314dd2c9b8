//! Who has looked at what, for the pages: the LRO's "who has looked at this
//! plan", a user's own access history and the auditor's search, as server
//! functions over the server's [`ssr::AccessLogPort`], which decides who may
//! read which entries. Printing a plan is recorded through
//! [`record_printing`], since only the browser knows of it.

use leptos::prelude::*;
use plan::access_log::{AccessEntry, AccessQuery};
use uuid::Uuid;

/// Who has read or handed out the plan, newest first (its LRO only).
#[server(prefix = "/api/fn", endpoint = "plan_access_log", output = crate::wire::Postcard)]
pub async fn plan_access_log(plan: Uuid) -> Result<Vec<AccessEntry>, ServerFnError> {
    let who = crate::session::ssr::requester()?;
    ssr::access_log()?
        .plan_log(&who, plan)
        .await
        .map_err(crate::service_error::ServiceError::into_server_fn_error)
}

/// What the viewer has read or handed out, newest first.
#[server(prefix = "/api/fn", endpoint = "my_access_log", output = crate::wire::Postcard)]
pub async fn my_access_log() -> Result<Vec<AccessEntry>, ServerFnError> {
    let who = crate::session::ssr::requester()?;
    ssr::access_log()?
        .own_log(&who)
        .await
        .map_err(crate::service_error::ServiceError::into_server_fn_error)
}

/// The whole log, searched (auditors only), newest first.
#[server(prefix = "/api/fn", endpoint = "search_access_log", output = crate::wire::Postcard)]
pub async fn search_access_log(#[server(default)] query: AccessQuery) -> Result<Vec<AccessEntry>, ServerFnError> {
    let who = crate::session::ssr::requester()?;
    ssr::access_log()?
        .search(&who, &query)
        .await
        .map_err(crate::service_error::ServiceError::into_server_fn_error)
}

/// Records that the viewer is printing the plan (or a version of it,
/// named by `detail`): the browser calls it as the print dialog opens.
#[server(prefix = "/api/fn", endpoint = "record_printing", output = crate::wire::Postcard)]
pub async fn record_printing(plan: Uuid, #[server(default)] detail: String) -> Result<(), ServerFnError> {
    let who = crate::session::ssr::requester()?;
    ssr::access_log()?
        .printed(&who, plan, &detail)
        .await
        .map_err(crate::service_error::ServiceError::into_server_fn_error)
}

/// Opens a plan the viewer is not a member of, read-only, for an hour, in
/// an emergency (auditors, strategic leads and administrators, with a
/// reason); then shows it.
#[server(prefix = "/api/fn", endpoint = "break_glass", output = crate::wire::Postcard)]
pub async fn break_glass(plan: Uuid, reason: String) -> Result<(), ServerFnError> {
    let who = crate::session::ssr::requester()?;
    ssr::access_log()?
        .break_glass(&who, plan, &reason)
        .await
        .map_err(crate::service_error::ServiceError::into_server_fn_error)?;
    leptos_axum::redirect(&format!("/plans/{plan}"));
    Ok(())
}

#[cfg(feature = "ssr")]
pub mod ssr {
    use crate::present::GENERIC_ERROR;
    use crate::service_error::ServiceError;
    use crate::session::ssr::Requester;
    use leptos::prelude::{use_context, ServerFnError};
    use plan::access_log::{AccessEntry, AccessQuery};
    use std::sync::Arc;
    use uuid::Uuid;

    /// The access log, implemented by the server's access-log service.
    #[async_trait::async_trait]
    pub trait AccessLogPort: Send + Sync + 'static {
        /// The plan's entries, for its LRO (without addresses).
        async fn plan_log(&self, who: &Requester, plan: Uuid) -> Result<Vec<AccessEntry>, ServiceError>;
        /// The requester's own entries.
        async fn own_log(&self, who: &Requester) -> Result<Vec<AccessEntry>, ServiceError>;
        /// The auditor's search over everyone's entries.
        async fn search(&self, who: &Requester, query: &AccessQuery) -> Result<Vec<AccessEntry>, ServiceError>;
        /// Records a print of the plan (a disclosure) by one of its members.
        async fn printed(&self, who: &Requester, plan: Uuid, detail: &str) -> Result<(), ServiceError>;
        /// Emergency read-only access (see the server's access log).
        async fn break_glass(&self, who: &Requester, plan: Uuid, reason: &str) -> Result<(), ServiceError>;
    }

    pub type AccessLogRef = Arc<dyn AccessLogPort>;

    pub fn access_log() -> Result<AccessLogRef, ServerFnError> {
        use_context::<AccessLogRef>().ok_or_else(|| {
            tracing::error!("no app::access_log::ssr::AccessLogRef in context");
            ServerFnError::ServerError(GENERIC_ERROR.to_string())
        })
    }
}
