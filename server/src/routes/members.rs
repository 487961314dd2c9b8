//! A plan's members: `GET /api/plans/{id}/members` (any member),
//! `PUT /api/plans/{id}/members` with `{"email", "role"}` and
//! `DELETE /api/plans/{id}/members/{user_id}` (the plan's LRO only).

use crate::accounts::store::Member;
use crate::error::ApiError;
use crate::routes::session::CurrentUser;
use crate::startup::AppState;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::routing::{delete, get};
use axum::{Json, Router};
use plan::access::Role;
use serde::Deserialize;
use uuid::Uuid;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/plans/{id}/members", get(list).put(set))
        .route("/api/plans/{id}/members/{user}", delete(remove))
}

fn plan_id(id: &str) -> Result<Uuid, ApiError> {
    Uuid::parse_str(id).map_err(|_| ApiError::NotFound("plan"))
}

async fn list(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    Path(id): Path<String>,
) -> Result<Json<Vec<Member>>, ApiError> {
    let members = state.plans.members_for(plan_id(&id)?, user.id).await?;
    members.map(Json).ok_or(ApiError::NotFound("plan"))
}

#[derive(Deserialize)]
struct SetMember {
    email: String,
    role: String,
}

async fn set(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    Path(id): Path<String>,
    body: Bytes,
) -> Result<Json<Member>, ApiError> {
    let plan = plan_id(&id)?;
    let SetMember { email, role } = serde_json::from_slice(&body)
        .map_err(|_| ApiError::BadRequest("send JSON {\"email\": ..., \"role\": ...}".into()))?;
    let role = Role::parse(&role).ok_or_else(|| {
        ApiError::Invalid(format!(
            "role: {role:?} is not one of lro, plan_owner, sio, partner, viewer"
        ))
    })?;
    let member = state.plans.set_member(plan, user.id, &email, role).await?;
    state
        .rooms
        .member_changed(plan, member.user.id, Some(member.role))
        .await;
    Ok(Json(member))
}

async fn remove(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    Path((id, member)): Path<(String, String)>,
) -> Result<StatusCode, ApiError> {
    let plan = plan_id(&id)?;
    let member = Uuid::parse_str(&member).map_err(|_| ApiError::NotFound("member"))?;
    state.plans.remove_member(plan, user.id, member).await?;
    state.rooms.member_changed(plan, member, None).await;
    Ok(StatusCode::NO_CONTENT)
}
