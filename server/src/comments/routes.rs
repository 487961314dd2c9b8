//! A plan's comments over REST (any member; anyone else: `404`):
//! `GET /api/plans/{id}/comments`; `POST` with `{"body", "anchor"?,
//! "reply_to"?}` → `201 {"id"}`; `PATCH /api/plans/{id}/comments/{cid}`
//! with `{"body"}` (its author); `POST .../{cid}/resolve` and
//! `.../{cid}/reopen` (the author, LRO, plan owner or SIO); `POST
//! .../{cid}/hide` with `{"reason"}` (the LRO); and
//! `GET /api/plans/{id}/comments/changes`, server-sent events. Thin: the
//! rules live in [`super::Comments`].

use super::live::Heard;
use crate::routes::extract::{Caller, CurrentSession, PlanId};
use crate::state::AppState;
use app::comments::CommentView;
use app::service_error::ServiceError;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::routing::{get, patch, post};
use axum::{Json, Router};
use futures_util::Stream;
use plan::comments::Anchor;
use serde::de::DeserializeOwned;
use serde::Deserialize;
use std::convert::Infallible;
use uuid::Uuid;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/plans/{id}/comments", get(list).post(create))
        .route("/api/plans/{id}/comments/changes", get(changes))
        .route("/api/plans/{id}/comments/{comment}", patch(edit))
        .route("/api/plans/{id}/comments/{comment}/resolve", post(resolve))
        .route("/api/plans/{id}/comments/{comment}/reopen", post(reopen))
        .route("/api/plans/{id}/comments/{comment}/hide", post(hide))
}

fn json<T: DeserializeOwned>(body: &Bytes, shape: &str) -> Result<T, ServiceError> {
    serde_json::from_slice(body).map_err(|e| ServiceError::BadRequest(format!("send JSON {shape}: {e}")))
}

fn comment_id(text: &str) -> Result<Uuid, ServiceError> {
    Uuid::parse_str(text).map_err(|_| ServiceError::NotFound("comment"))
}

async fn list(c: Caller, PlanId(plan): PlanId) -> Result<Json<Vec<CommentView>>, ServiceError> {
    Ok(Json(c.state.comments.comments(&c.who, plan).await?))
}

#[derive(Deserialize)]
struct NewComment {
    body: String,
    #[serde(default)]
    anchor: Option<Anchor>,
    #[serde(default)]
    reply_to: Option<Uuid>,
    #[serde(default)]
    mentions: Vec<Uuid>,
}

async fn create(
    c: Caller,
    PlanId(plan): PlanId,
    body: Bytes,
) -> Result<(StatusCode, Json<serde_json::Value>), ServiceError> {
    let new: NewComment = json(&body, "{\"body\", \"anchor\" (optional), \"reply_to\" (optional)}")?;
    let anchor = new.anchor.unwrap_or(Anchor::Plan);
    let id = c
        .state
        .comments
        .post(&c.who, plan, anchor, &new.body, new.reply_to, &new.mentions)
        .await?;
    Ok((StatusCode::CREATED, Json(serde_json::json!({ "id": id }))))
}

#[derive(Deserialize)]
struct Edit {
    body: String,
}

async fn edit(
    c: Caller,
    PlanId(plan): PlanId,
    Path((_, comment)): Path<(String, String)>,
    body: Bytes,
) -> Result<StatusCode, ServiceError> {
    let Edit { body } = json(&body, "{\"body\"}")?;
    c.state
        .comments
        .edit(&c.who, plan, comment_id(&comment)?, &body)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

async fn resolve(
    c: Caller,
    PlanId(plan): PlanId,
    Path((_, comment)): Path<(String, String)>,
) -> Result<StatusCode, ServiceError> {
    c.state
        .comments
        .resolve(&c.who, plan, comment_id(&comment)?, true)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

async fn reopen(
    c: Caller,
    PlanId(plan): PlanId,
    Path((_, comment)): Path<(String, String)>,
) -> Result<StatusCode, ServiceError> {
    c.state
        .comments
        .resolve(&c.who, plan, comment_id(&comment)?, false)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Deserialize)]
struct Hide {
    reason: String,
}

async fn hide(
    c: Caller,
    PlanId(plan): PlanId,
    Path((_, comment)): Path<(String, String)>,
    body: Bytes,
) -> Result<StatusCode, ServiceError> {
    let Hide { reason } = json(&body, "{\"reason\"}")?;
    c.state
        .comments
        .hide(&c.who, plan, comment_id(&comment)?, &reason)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Server-sent events: `comment` (data: its id, or `*` for "several")
/// whenever one of the plan's comments is posted or changed. Members
/// only; ends when the session ends.
async fn changes(
    State(state): State<AppState>,
    CurrentSession(session): CurrentSession,
    PlanId(plan): PlanId,
) -> Result<Sse<impl Stream<Item = Result<Event, Infallible>>>, ServiceError> {
    let listener = state.comments.listen(plan, session.user.id).await?;
    let ended = Box::pin(state.accounts.watch_session(&session).ended());
    let events = futures_util::stream::unfold((listener, ended), |(mut listener, mut ended)| async move {
        let heard = tokio::select! {
            heard = listener.next() => heard?,
            _ = &mut ended => return None,
        };
        let data = match heard {
            Heard::Comment(id) => id.to_string(),
            Heard::Several => "*".to_string(),
        };
        Some((Ok(Event::default().event("comment").data(data)), (listener, ended)))
    });
    Ok(Sse::new(events).keep_alive(KeepAlive::default()))
}
