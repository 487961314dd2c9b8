//! Server functions of `/my-actions` and the disruption return. Their
//! bodies reach the server's service through the [`ssr::ActionsPort`] the
//! server provides as context, the same service the REST routes call.

use leptos::prelude::*;
use plan::across::disruptions::DisruptionReturn;
use plan::across::mine::{MyActionEdit, MyActionsQuery, MyActionsView};
use uuid::Uuid;

#[cfg(feature = "ssr")]
fn refused(e: crate::service_error::ServiceError) -> ServerFnError {
    e.into_server_fn_error()
}

#[cfg(feature = "ssr")]
fn viewer() -> Result<crate::session::Viewer, ServerFnError> {
    crate::session::ssr::viewer().ok_or_else(|| ServerFnError::new("Log in first."))
}

/// The actions owned by the viewer's agency and by the viewer by name.
#[server(prefix = "/api/fn", endpoint = "my_actions", output = crate::wire::Postcard)]
pub async fn my_actions(#[server(default)] query: MyActionsQuery) -> Result<MyActionsView, ServerFnError> {
    ssr::port()?.my_actions(&viewer()?, &query).await.map_err(refused)
}

/// How many of the viewer's actions are overdue (the top bar's count).
#[server(prefix = "/api/fn", endpoint = "my_overdue_count", output = crate::wire::Postcard)]
pub async fn my_overdue_count() -> Result<usize, ServerFnError> {
    let view = ssr::port()?
        .my_actions(&viewer()?, &MyActionsQuery::default())
        .await
        .map_err(refused)?;
    Ok(view.overdue)
}

/// Edits an action's update/result, status and disruption as the viewer,
/// through the plan's document (admitted, audited, live).
#[server(prefix = "/api/fn", endpoint = "edit_my_action", output = crate::wire::Postcard)]
pub async fn edit_my_action(edit: MyActionEdit) -> Result<(), ServerFnError> {
    ssr::port()?.edit(&viewer()?, &edit).await.map_err(refused)
}

/// The disruptions to submit: of one plan, or of all the viewer's.
#[server(prefix = "/api/fn", endpoint = "disruptions", output = crate::wire::Postcard)]
pub async fn disruptions(#[server(default)] plan: Option<Uuid>) -> Result<DisruptionReturn, ServerFnError> {
    ssr::port()?.disruptions(&viewer()?, plan).await.map_err(refused)
}

/// Marks disruptions submitted: one action, a plan's, or all the viewer's.
/// Returns how many were marked.
#[server(prefix = "/api/fn", endpoint = "mark_submitted", output = crate::wire::Postcard)]
pub async fn mark_submitted(
    #[server(default)] plan: Option<Uuid>,
    #[server(default)] action: Option<String>,
) -> Result<usize, ServerFnError> {
    ssr::port()?
        .mark_submitted(&viewer()?, plan, action)
        .await
        .map_err(refused)
}

/// Records the disruption return (a plan's, or every plan the viewer
/// leads) and sends the browser to its CSV. A plain form posts here: a
/// return is recorded by a POST, never by following a link.
#[server(prefix = "/api/fn", endpoint = "record_disruption_return", output = crate::wire::Postcard)]
pub async fn record_disruption_return(
    #[server(default)] plan: Option<Uuid>,
    // For whom the CSV is (optional): the access log records it.
    #[server(default)] recipients: String,
) -> Result<Uuid, ServerFnError> {
    let recorded = ssr::port()?.record_return(&viewer()?, plan).await.map_err(refused)?;
    let recipients = crate::present::query_value(&recipients);
    leptos_axum::redirect(&format!(
        "/api/disruptions/returns/{recorded}?format=csv&for={recipients}"
    ));
    Ok(recorded)
}

#[cfg(feature = "ssr")]
pub mod ssr {
    use crate::present::GENERIC_ERROR;
    use crate::service_error::ServiceError;
    use crate::session::Viewer;
    use leptos::prelude::{use_context, ServerFnError};
    use plan::across::disruptions::DisruptionReturn;
    use plan::across::mine::{MyActionEdit, MyActionsQuery, MyActionsView};
    use std::sync::Arc;
    use uuid::Uuid;

    /// Actions across plans, implemented by the server.
    #[async_trait::async_trait]
    pub trait ActionsPort: Send + Sync + 'static {
        async fn my_actions(&self, viewer: &Viewer, query: &MyActionsQuery) -> Result<MyActionsView, ServiceError>;
        async fn edit(&self, viewer: &Viewer, edit: &MyActionEdit) -> Result<(), ServiceError>;
        async fn disruptions(&self, viewer: &Viewer, plan: Option<Uuid>) -> Result<DisruptionReturn, ServiceError>;
        async fn mark_submitted(
            &self,
            viewer: &Viewer,
            plan: Option<Uuid>,
            action: Option<String>,
        ) -> Result<usize, ServiceError>;
        /// Records the return and gives its id.
        async fn record_return(&self, viewer: &Viewer, plan: Option<Uuid>) -> Result<Uuid, ServiceError>;
    }

    pub type ActionsRef = Arc<dyn ActionsPort>;

    pub fn port() -> Result<ActionsRef, ServerFnError> {
        use_context::<ActionsRef>().ok_or_else(|| {
            tracing::error!("no app::actions_across::ssr::ActionsRef in context");
            ServerFnError::ServerError(GENERIC_ERROR.to_string())
        })
    }
}
