//! The Leptos pages: server-side rendering, server functions and the
//! static site (`/pkg/*` for the WASM bundle and CSS).

use crate::plans::Plans;
use crate::startup::AppState;
use app::ssr::{Directory, DirectoryError, PlanDirectory};
use axum::extract::FromRef;
use axum::Router;
use leptos::prelude::{provide_context, LeptosOptions};
use leptos_axum::{generate_route_list, LeptosRoutes};
use plan::{NewPlan, PlanExport, PlanSummary};
use std::sync::Arc;
use uuid::Uuid;

impl FromRef<AppState> for LeptosOptions {
    fn from_ref(state: &AppState) -> Self {
        state.leptos.clone()
    }
}

pub fn router(state: &AppState) -> Router<AppState> {
    let directory: Directory = Arc::new(state.plans.clone());
    let options = state.leptos.clone();
    Router::new()
        .leptos_routes_with_context(
            state,
            generate_route_list(app::App),
            move || provide_context(directory.clone()),
            move || app::shell(options.clone()),
        )
        .fallback(leptos_axum::file_and_error_handler::<AppState, _>(app::shell))
}

/// The pages reach plans through the same operations as the JSON API.
#[async_trait::async_trait]
impl PlanDirectory for Plans {
    async fn list_plans(&self) -> Result<Vec<PlanSummary>, DirectoryError> {
        self.list().await.map_err(internal)
    }

    async fn create_plan(&self, plan: NewPlan) -> Result<PlanSummary, DirectoryError> {
        let plan = plan.validate()?;
        let (_, summary) = self.create(&plan).await.map_err(internal)?;
        Ok(summary)
    }

    async fn get_plan(&self, id: Uuid) -> Result<Option<PlanExport>, DirectoryError> {
        self.export(id).await.map_err(internal)
    }
}

fn internal(e: impl std::fmt::Debug) -> DirectoryError {
    tracing::error!(error = ?e, "page data failed");
    DirectoryError::Internal(format!("{e:?}"))
}
