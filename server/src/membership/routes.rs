//! A plan's members: `GET /api/plans/{id}/members` (any member),
//! `PUT /api/plans/{id}/members` with `{"email", "role"}` and
//! `DELETE /api/plans/{id}/members/{user_id}` (the plan's LRO only).
//!
//! Answers carry views, never accounts: members are shown by name, email
//! and agency (they are colleagues on the plan), and adding someone says
//! only that it was done, or the one refusal
//! [`super::NO_SUCH_COLLEAGUE`] whatever the reason. Thin: the rules live
//! in [`super::Memberships`].

use crate::accounts::store::Member;
use crate::routes::guard::CurrentUser;
use crate::state::AppState;
use app::service_error::ServiceError;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::routing::{delete, get};
use axum::{Json, Router};
use plan::access::Role;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/plans/{id}/members", get(list).put(set))
        .route("/api/plans/{id}/members/{user}", delete(remove))
}

fn plan_id(id: &str) -> Result<Uuid, ServiceError> {
    Uuid::parse_str(id).map_err(|_| ServiceError::NotFound("plan"))
}

/// A member as the plan's other members see them.
#[derive(Debug, Serialize)]
pub struct MemberAnswer {
    pub user: Colleague,
    pub role: Role,
}

/// Who a member is, to the others on the plan: no account flags.
#[derive(Debug, Serialize)]
pub struct Colleague {
    pub id: Uuid,
    pub email: String,
    pub name: String,
    pub agency: String,
}

impl From<Member> for MemberAnswer {
    fn from(m: Member) -> Self {
        MemberAnswer {
            user: Colleague {
                id: m.user.id,
                email: m.user.email,
                name: m.user.name,
                agency: m.user.agency,
            },
            role: m.role,
        }
    }
}

/// What adding (or re-roling) a member answers: that the email (as
/// stored, lower-cased) now has the role. Nothing about the account.
#[derive(Debug, Serialize)]
pub struct MemberSet {
    pub email: String,
    pub role: Role,
}

async fn list(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    Path(id): Path<String>,
) -> Result<Json<Vec<MemberAnswer>>, ServiceError> {
    let members = state.memberships.members_for(plan_id(&id)?, user.id).await?;
    Ok(Json(members.into_iter().map(MemberAnswer::from).collect()))
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
) -> Result<Json<MemberSet>, ServiceError> {
    let plan = plan_id(&id)?;
    let SetMember { email, role } = serde_json::from_slice(&body)
        .map_err(|_| ServiceError::BadRequest("send JSON {\"email\": ..., \"role\": ...}".into()))?;
    let role = Role::parse(&role).ok_or_else(|| {
        ServiceError::Invalid(format!(
            "role: {role:?} is not one of lro, plan_owner, sio, partner, viewer"
        ))
    })?;
    state.memberships.set_member(plan, user.id, &email, role).await?;
    Ok(Json(MemberSet {
        email: email.trim().to_lowercase(),
        role,
    }))
}

async fn remove(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    Path((id, member)): Path<(String, String)>,
) -> Result<StatusCode, ServiceError> {
    let plan = plan_id(&id)?;
    let member = Uuid::parse_str(&member).map_err(|_| ServiceError::NotFound("member"))?;
    state.memberships.remove_member(plan, user.id, member).await?;
    Ok(StatusCode::NO_CONTENT)
}
