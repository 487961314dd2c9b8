//! REST adapters of actions across plans. Thin: the rules live in
//! [`super::ActionsAcross`].
//!
//! - `GET /api/my-actions` (`status`, `overdue`, `p`), `POST /api/my-actions`
//! - `GET /api/disruptions`, `GET /api/plans/{id}/disruptions` (JSON),
//!   `POST /api/disruptions/submit`
//! - `POST /api/disruptions/returns` (`{"plan": id}` or `{}`: records a
//!   return; JSON, or CSV with `?format=csv`), `GET
//!   /api/disruptions/returns/{id}` (a recorded one, JSON or `?format=csv`)

use crate::routes::guard::viewer;
use crate::routes::guard::CurrentUser;
use crate::state::AppState;
use app::service_error::ServiceError;
use axum::extract::{Path, Query, State};
use axum::http::header::{CONTENT_DISPOSITION, CONTENT_TYPE};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use plan::across::disruptions::{to_csv, RecordedReturn};
use plan::across::mine::{MyActionEdit, MyActionsQuery, MyActionsView};
use serde::Deserialize;
use uuid::Uuid;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/my-actions", get(mine).post(edit))
        .route("/api/disruptions", get(all_disruptions))
        .route("/api/plans/{id}/disruptions", get(plan_disruptions))
        .route("/api/disruptions/submit", post(submit))
        .route("/api/disruptions/returns", post(record_return))
        .route("/api/disruptions/returns/{id}", get(recorded))
}

#[derive(Debug, Default, Deserialize)]
struct Format {
    format: Option<String>,
}

impl Format {
    fn csv(&self) -> bool {
        self.format.as_deref() == Some("csv")
    }
}

fn uuid(id: &str, what: &'static str) -> Result<Uuid, ServiceError> {
    Uuid::parse_str(id).map_err(|_| ServiceError::NotFound(what))
}

async fn mine(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    Query(query): Query<MyActionsQuery>,
) -> Result<Json<MyActionsView>, ServiceError> {
    let today = chrono::Utc::now().date_naive();
    Ok(Json(state.actions.my_actions(&viewer(&user), &query, today).await?))
}

async fn edit(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    Json(edit): Json<MyActionEdit>,
) -> Result<StatusCode, ServiceError> {
    state.actions.edit(&viewer(&user), &edit).await?;
    Ok(StatusCode::NO_CONTENT)
}

fn csv_response(recorded: &RecordedReturn) -> Response {
    let headers = [
        (CONTENT_TYPE, "text/csv; charset=utf-8".to_string()),
        (
            CONTENT_DISPOSITION,
            format!(
                "attachment; filename=\"disruption-return-{}.csv\"",
                recorded.at.format("%Y-%m-%d")
            ),
        ),
    ];
    (headers, to_csv(recorded)).into_response()
}

async fn disruptions(
    state: AppState,
    user: &crate::accounts::User,
    plan: Option<Uuid>,
    format: Format,
) -> Result<Response, ServiceError> {
    if format.csv() {
        // Recording a return changes state: a link, a prefetch or an <img>
        // must never do it.
        return Err(ServiceError::Invalid(
            "a CSV return is recorded by POST /api/disruptions/returns?format=csv".into(),
        ));
    }
    Ok(Json(state.actions.disruptions(&viewer(user), plan).await?).into_response())
}

#[derive(Debug, Default, Deserialize)]
struct NewReturn {
    plan: Option<Uuid>,
}

async fn record_return(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    Query(format): Query<Format>,
    Json(body): Json<NewReturn>,
) -> Result<Response, ServiceError> {
    let recorded = state.actions.export(&viewer(&user), body.plan).await?;
    Ok(if format.csv() {
        (StatusCode::CREATED, csv_response(&recorded)).into_response()
    } else {
        (StatusCode::CREATED, Json(recorded)).into_response()
    })
}

async fn all_disruptions(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    Query(format): Query<Format>,
) -> Result<Response, ServiceError> {
    disruptions(state, &user, None, format).await
}

async fn plan_disruptions(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    Path(id): Path<String>,
    Query(format): Query<Format>,
) -> Result<Response, ServiceError> {
    disruptions(state, &user, Some(uuid(&id, "plan")?), format).await
}

#[derive(Debug, Deserialize)]
struct Submit {
    plan: Option<Uuid>,
    action: Option<String>,
}

async fn submit(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    Json(body): Json<Submit>,
) -> Result<Json<serde_json::Value>, ServiceError> {
    let marked = state
        .actions
        .mark_submitted(&viewer(&user), body.plan, body.action)
        .await?;
    Ok(Json(serde_json::json!({ "marked": marked })))
}

async fn recorded(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    Path(id): Path<String>,
    Query(format): Query<Format>,
) -> Result<Response, ServiceError> {
    let recorded = state.actions.recorded(&viewer(&user), uuid(&id, "return")?).await?;
    Ok(if format.csv() {
        csv_response(&recorded)
    } else {
        Json(recorded).into_response()
    })
}
