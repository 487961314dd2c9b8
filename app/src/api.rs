//! Server functions. Their bodies run on the server and reach data through
//! the [`crate::ssr::Directory`] the server provides as context.
//!
//! Endpoints are fixed (no hash suffix) under `/api/fn/`, so they are stable
//! for tests and do not clash with the server's own routes.

#[cfg(feature = "ssr")]
use crate::ssr::DirectoryError;
use leptos::prelude::*;
use plan::strategy::ControlStrategy;
use plan::{PlanDoc, PlanSummary, ReviewIntervals};
use serde::{Deserialize, Serialize};

/// What the plan page is rendered from: the plan's whole document state
/// (so the browser's replica starts from it and its first sync fetches only
/// what changed since) and how reviews are scheduled.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlanPageData {
    pub id: uuid::Uuid,
    /// [`PlanDoc::encode_state`].
    #[serde(with = "crate::wire::bytes")]
    pub state: Vec<u8>,
    pub intervals: ReviewIntervals,
    /// The viewer's role on the plan.
    pub role: plan::access::Role,
    /// Who the viewer is (filled in from the session).
    pub viewer_name: String,
    pub viewer_agency: String,
    /// The current Control Strategy: the threats the plan can be tagged with.
    pub strategy: ControlStrategy,
}

impl PlanPageData {
    pub fn new(
        id: uuid::Uuid,
        plan: &PlanDoc,
        intervals: ReviewIntervals,
        role: plan::access::Role,
        strategy: ControlStrategy,
    ) -> Self {
        PlanPageData {
            id,
            state: plan.encode_state(),
            intervals,
            role,
            viewer_name: String::new(),
            viewer_agency: String::new(),
            strategy,
        }
    }

    /// A replica of the plan.
    pub fn plan(&self) -> Result<PlanDoc, String> {
        PlanDoc::from_state(&self.state).map_err(|e| e.to_string())
    }
}

/// Every plan, for the plans list.
#[server(prefix = "/api/fn", endpoint = "list_plans", output = crate::wire::Postcard)]
pub async fn list_plans() -> Result<Vec<PlanSummary>, ServerFnError> {
    let viewer = crate::ssr::viewer_id()?;
    let directory = crate::ssr::directory()?;
    directory
        .list_plans(viewer)
        .await
        .map_err(DirectoryError::into_server_fn_error)
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
        .map_err(DirectoryError::into_server_fn_error)?;
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
    let viewer = crate::ssr::viewer_id()?;
    let directory = crate::ssr::directory()?;
    let data = directory
        .get_plan(viewer, id)
        .await
        .map_err(DirectoryError::into_server_fn_error)?;
    let who = crate::session::ssr::viewer();
    Ok(data.map(|mut data| {
        if let Some(who) = who {
            data.viewer_name = who.name;
            data.viewer_agency = who.agency;
        }
        data
    }))
}
