//! Server functions. Their bodies run on the server and reach data through
//! the [`crate::ssr::Directory`] the server provides as context.
//!
//! Endpoints are fixed (no hash suffix) under `/api/fn/`, so they are stable
//! for tests and do not clash with the server's own routes.

#[cfg(feature = "ssr")]
use crate::service_error::ServiceError;
use leptos::prelude::*;
use plan::PlanSummary;

pub use crate::plan_page::PlanPageData;

/// Every plan, for the plans list.
#[server(prefix = "/api/fn", endpoint = "list_plans", output = crate::wire::Postcard)]
pub async fn list_plans() -> Result<Vec<PlanSummary>, ServerFnError> {
    let viewer = crate::ssr::viewer_id()?;
    let directory = crate::ssr::directory()?;
    directory
        .list_plans(viewer)
        .await
        .map_err(ServiceError::into_server_fn_error)
}

/// Starts a plan. Values are parsed here, at the boundary; an error names
/// the field.
#[server(prefix = "/api/fn", endpoint = "create_plan", output = crate::wire::Postcard)]
pub async fn create_plan(
    subject_kind: String,
    subject_name: String,
    subject_ref: String,
    tier: String,
    lro: String,
) -> Result<PlanSummary, ServerFnError> {
    let new_plan = crate::present::parse_new_plan(&subject_kind, subject_name, subject_ref, &tier, lro)
        .map_err(ServerFnError::new)?;
    let viewer = crate::ssr::viewer_id()?;
    let directory = crate::ssr::directory()?;
    let created = directory
        .create_plan(viewer, new_plan)
        .await
        .map_err(ServiceError::into_server_fn_error)?;
    tracing::info!(plan = %created.id, "plan created");
    Ok(created)
}

/// One whole plan; `None` when there is no plan with that id (or the id is
/// not a UUID).
#[server(prefix = "/api/fn", endpoint = "get_plan", output = crate::wire::Postcard)]
pub async fn get_plan(id: String) -> Result<Option<PlanPageData>, ServerFnError> {
    let Ok(id) = uuid::Uuid::parse_str(id.trim()) else {
        return Ok(None);
    };
    let who = crate::session::ssr::requester()?;
    let directory = crate::ssr::directory()?;
    let data = directory
        .get_plan(&who, id)
        .await
        .map_err(ServiceError::into_server_fn_error)?;
    Ok(data.map(|mut data| {
        data.viewer_name = who.viewer.name;
        data.viewer_agency = who.viewer.agency;
        data
    }))
}
