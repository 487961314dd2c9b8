//! Suggested changes over REST (members; anyone else: `404`):
//! `GET /api/plans/{id}/suggestions`; `POST` with `{"section", "text",
//! "anchor"?}` (a range of that section to replace; none: a paragraph to
//! add) → `201 {"id"}`; `POST /api/plans/{id}/suggestions/{sid}/accept`
//! and `.../reject` with `{"reason"}` (the LRO, plan owner or SIO). Thin:
//! the rules live in [`super::Suggestions`].

use crate::routes::extract::{Caller, PlanId};
use crate::state::AppState;
use app::service_error::ServiceError;
use app::suggestions::SuggestionView;
use axum::body::Bytes;
use axum::extract::Path;
use axum::http::StatusCode;
use axum::routing::{get, post};
use axum::{Json, Router};
use plan::comments::Anchor;
use serde::Deserialize;
use uuid::Uuid;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/plans/{id}/suggestions", get(list).post(create))
        .route("/api/plans/{id}/suggestions/{suggestion}/accept", post(accept))
        .route("/api/plans/{id}/suggestions/{suggestion}/reject", post(reject))
}

async fn list(c: Caller, PlanId(plan): PlanId) -> Result<Json<Vec<SuggestionView>>, ServiceError> {
    Ok(Json(c.state.suggestions.suggestions(&c.who, plan).await?))
}

#[derive(Deserialize)]
struct NewSuggestion {
    section: String,
    text: String,
    #[serde(default)]
    anchor: Option<Anchor>,
}

async fn create(
    c: Caller,
    PlanId(plan): PlanId,
    body: Bytes,
) -> Result<(StatusCode, Json<serde_json::Value>), ServiceError> {
    let new: NewSuggestion = serde_json::from_slice(&body).map_err(|e| {
        ServiceError::BadRequest(format!(
            "send JSON {{\"section\", \"text\", \"anchor\" (optional)}}: {e}"
        ))
    })?;
    let id = (c.state.suggestions)
        .suggest(&c.who, plan, &new.section, new.anchor, &new.text)
        .await?;
    Ok((StatusCode::CREATED, Json(serde_json::json!({ "id": id }))))
}

fn suggestion_id(text: &str) -> Result<Uuid, ServiceError> {
    Uuid::parse_str(text).map_err(|_| ServiceError::NotFound("suggestion"))
}

async fn accept(
    c: Caller,
    PlanId(plan): PlanId,
    Path((_, id)): Path<(String, String)>,
) -> Result<StatusCode, ServiceError> {
    c.state
        .suggestions
        .decide(&c.who, plan, suggestion_id(&id)?, true, "")
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Deserialize)]
struct Reject {
    reason: String,
}

async fn reject(
    c: Caller,
    PlanId(plan): PlanId,
    Path((_, id)): Path<(String, String)>,
    body: Bytes,
) -> Result<StatusCode, ServiceError> {
    let Reject { reason } = serde_json::from_slice(&body)
        .map_err(|e| ServiceError::BadRequest(format!("send JSON {{\"reason\"}}: {e}")))?;
    c.state
        .suggestions
        .decide(&c.who, plan, suggestion_id(&id)?, false, &reason)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}
