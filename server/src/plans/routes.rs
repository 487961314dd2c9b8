//! The plans' REST adapters: `GET/POST /api/plans`, `GET /api/plans/{id}`
//! and `GET /api/plans/changes` (server-sent events). Thin: the rules live
//! in [`super::Plans`].

use crate::plan_events::PlanEvent;
use crate::routes::extract::{Caller, CurrentSession, PlanId};
use crate::state::AppState;
use app::service_error::ServiceError;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::routing::get;
use axum::{Json, Router};
use futures_util::Stream;
use plan::{NewPlan, PlanExport, PlanSummary};
use std::convert::Infallible;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/plans", get(list_plans).post(create_plan))
        .route("/api/plans/changes", get(plan_changes))
        .route("/api/plans/{id}", get(get_plan))
}

/// Server-sent events: `plan` (data: the plan's id, or `*` for "several")
/// whenever what the user's plans list shows changes: a plan of theirs
/// changed, or they joined or left one; `bell` (data `*`) whenever their
/// notifications may have changed. Nobody hears of another's plans.
/// Ends when the session ends or the server stops.
async fn plan_changes(
    State(state): State<AppState>,
    CurrentSession(session): CurrentSession,
) -> Result<Sse<impl Stream<Item = Result<Event, Infallible>>>, ServiceError> {
    let session_ended = Box::pin(state.accounts.watch_session(&session).ended());
    let watcher = state.plans.watch_for(session.user.id).await?;
    let events = futures_util::stream::unfold((watcher, session_ended), |(mut watcher, mut ended)| async move {
        let next = tokio::select! {
            next = watcher.next() => next,
            _ = &mut ended => return None,
        };
        let (event, data) = match next {
            Ok(Some(PlanEvent::Changed(id))) => ("plan", id.to_string()),
            Ok(Some(PlanEvent::Many)) => ("plan", "*".to_string()),
            // An event without data is never dispatched by browsers.
            Ok(Some(PlanEvent::Bell)) => ("bell", "*".to_string()),
            Ok(None) => return None,
            Err(e) => {
                // The browser's EventSource reconnects and starts afresh.
                tracing::error!(error = ?e, "plan changes: cannot read memberships; ending the stream");
                return None;
            }
        };
        Some((Ok(Event::default().event(event).data(data)), (watcher, ended)))
    });
    Ok(Sse::new(events).keep_alive(KeepAlive::default()))
}

async fn list_plans(c: Caller) -> Result<Json<Vec<PlanSummary>>, ServiceError> {
    Ok(Json(c.state.plans.list_for(c.user.id).await?))
}

/// Creates a plan with the user as its LRO; `403` for accounts that may
/// not lead plans. The body is parsed here, at the boundary, so that every
/// refusal names the field at fault.
async fn create_plan(c: Caller, body: Bytes) -> Result<(StatusCode, Json<PlanExport>), ServiceError> {
    let new = parse_new_plan(&body)?;
    let (export, _) = c.state.plans.create(&new, c.user.id).await?;
    Ok((StatusCode::CREATED, Json(export)))
}

pub fn parse_new_plan(body: &[u8]) -> Result<NewPlan, ServiceError> {
    let new: NewPlan = serde_json::from_slice(body).map_err(|e| match e.classify() {
        serde_json::error::Category::Data => ServiceError::Invalid(without_position(&e)),
        _ => ServiceError::BadRequest(format!("the body is not valid JSON: {}", without_position(&e))),
    })?;
    new.validate().map_err(|e| ServiceError::Invalid(e.to_string()))
}

/// serde_json appends " at line 1 column 42"; the field name is what helps.
fn without_position(e: &serde_json::Error) -> String {
    let text = e.to_string();
    match text.rfind(" at line ") {
        Some(i) => text[..i].to_string(),
        None => text,
    }
}

/// Non-members get the same 404 as for a plan that does not exist.
async fn get_plan(c: Caller, PlanId(id): PlanId) -> Result<Json<PlanExport>, ServiceError> {
    Ok(Json(c.state.plans.export_for(id, &c.who).await?))
}
