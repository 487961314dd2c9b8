//! The JSON API: `GET/POST /api/plans`, `GET /api/plans/{id}`, `GET /healthz`.

use crate::error::ApiError;
use crate::startup::AppState;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::routing::get;
use axum::{Json, Router};
use plan::{NewPlan, PlanExport, PlanSummary};
use uuid::Uuid;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/plans", get(list_plans).post(create_plan))
        .route("/api/plans/{id}", get(get_plan))
        .route("/healthz", get(health))
}

async fn health() -> &'static str {
    "ok"
}

async fn list_plans(State(state): State<AppState>) -> Result<Json<Vec<PlanSummary>>, ApiError> {
    Ok(Json(state.plans.list().await?))
}

/// Creates a plan. The body is parsed here, at the boundary, so that every
/// refusal names the field at fault.
async fn create_plan(State(state): State<AppState>, body: Bytes) -> Result<(StatusCode, Json<PlanExport>), ApiError> {
    let new = parse_new_plan(&body)?;
    let (export, _) = state.plans.create(&new).await?;
    Ok((StatusCode::CREATED, Json(export)))
}

pub fn parse_new_plan(body: &[u8]) -> Result<NewPlan, ApiError> {
    let new: NewPlan = serde_json::from_slice(body).map_err(|e| match e.classify() {
        serde_json::error::Category::Data => ApiError::Invalid(without_position(&e)),
        _ => ApiError::BadRequest(format!("the body is not valid JSON: {}", without_position(&e))),
    })?;
    new.validate().map_err(|e| ApiError::Invalid(e.to_string()))
}

/// serde_json appends " at line 1 column 42"; the field name is what helps.
fn without_position(e: &serde_json::Error) -> String {
    let text = e.to_string();
    match text.rfind(" at line ") {
        Some(i) => text[..i].to_string(),
        None => text,
    }
}

async fn get_plan(State(state): State<AppState>, Path(id): Path<String>) -> Result<Json<PlanExport>, ApiError> {
    let id = Uuid::parse_str(&id).map_err(|_| ApiError::NotFound("plan"))?;
    state
        .plans
        .export(id)
        .await?
        .map(Json)
        .ok_or(ApiError::NotFound("plan"))
}
