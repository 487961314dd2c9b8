//! REST adapters of actions across plans. Thin: the rules live in
//! [`super::ActionsAcross`].
//!
//! - `GET /api/my-actions` (`status`, `overdue`, `p`), `POST /api/my-actions`
//! - `GET /api/disruptions`, `GET /api/plans/{id}/disruptions` (JSON),
//!   `POST /api/disruptions/submit`
//! - `POST /api/disruptions/returns` (`{"plan": id}` or `{}`: records a
//!   return; JSON, or CSV with `?format=csv`), `GET
//!   /api/disruptions/returns/{id}` (a recorded one, JSON or `?format=csv`)

use crate::routes::csv::{attachment, Format};
use crate::routes::extract::{Caller, PlanId};
use crate::routes::guard::viewer;
use crate::state::AppState;
use app::service_error::ServiceError;
use axum::extract::{Path, Query};
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

fn uuid(id: &str, what: &'static str) -> Result<Uuid, ServiceError> {
    Uuid::parse_str(id).map_err(|_| ServiceError::NotFound(what))
}

async fn mine(c: Caller, Query(query): Query<MyActionsQuery>) -> Result<Json<MyActionsView>, ServiceError> {
    let today = chrono::Utc::now().date_naive();
    Ok(Json(c.state.actions.my_actions(&c.viewer(), &query, today).await?))
}

async fn edit(c: Caller, Json(edit): Json<MyActionEdit>) -> Result<StatusCode, ServiceError> {
    c.state.actions.edit(&c.viewer(), &edit).await?;
    Ok(StatusCode::NO_CONTENT)
}

fn csv_response(recorded: &RecordedReturn) -> Response {
    let filename = format!("disruption-return-{}.csv", recorded.at.format("%Y-%m-%d"));
    attachment(&filename, to_csv(recorded))
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
    c: Caller,
    Query(format): Query<Format>,
    Json(body): Json<NewReturn>,
) -> Result<Response, ServiceError> {
    let recorded = c.state.actions.export(&c.viewer(), body.plan).await?;
    Ok(if format.csv() {
        c.state.actions.hand_out(&c.who, &recorded, &format.recipients).await?;
        (StatusCode::CREATED, csv_response(&recorded)).into_response()
    } else {
        (StatusCode::CREATED, Json(recorded)).into_response()
    })
}

async fn all_disruptions(c: Caller, Query(format): Query<Format>) -> Result<Response, ServiceError> {
    disruptions(c.state.clone(), &c.user, None, format).await
}

async fn plan_disruptions(
    c: Caller,
    PlanId(plan): PlanId,
    Query(format): Query<Format>,
) -> Result<Response, ServiceError> {
    disruptions(c.state.clone(), &c.user, Some(plan), format).await
}

#[derive(Debug, Deserialize)]
struct Submit {
    plan: Option<Uuid>,
    action: Option<String>,
}

async fn submit(c: Caller, Json(body): Json<Submit>) -> Result<Json<serde_json::Value>, ServiceError> {
    let marked = c
        .state
        .actions
        .mark_submitted(&c.viewer(), body.plan, body.action)
        .await?;
    Ok(Json(serde_json::json!({ "marked": marked })))
}

async fn recorded(c: Caller, Path(id): Path<String>, Query(format): Query<Format>) -> Result<Response, ServiceError> {
    let recorded = c.state.actions.recorded(&c.viewer(), uuid(&id, "return")?).await?;
    Ok(if format.csv() {
        c.state.actions.hand_out(&c.who, &recorded, &format.recipients).await?;
        csv_response(&recorded)
    } else {
        Json(recorded).into_response()
    })
}
