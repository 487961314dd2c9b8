//! A plan's members: `GET /api/plans/{id}/members` (any member),
//! `PUT /api/plans/{id}/members` with `{"email", "role"}` and
//! `DELETE /api/plans/{id}/members/{user_id}` (the plan's LRO only). With
//! `"agency"` too, an email with no account is invited onto the plan
//! instead; `GET /api/plans/{id}/invitations` lists the open invitations
//! and `DELETE /api/plans/{id}/invitations/{email}` withdraws one (LRO).
//!
//! Answers carry views, never accounts: members are shown by name, email
//! and agency (they are colleagues on the plan), and adding someone says
//! only that it was done, or the one refusal
//! [`super::NO_SUCH_COLLEAGUE`] whatever the reason. Thin: the rules live
//! in [`super::Memberships`].

use crate::accounts::store::Member;
use crate::routes::extract::{Caller, PlanId};
use crate::state::AppState;
use app::service_error::ServiceError;
use axum::body::Bytes;
use axum::extract::Path;
use axum::http::StatusCode;
use axum::routing::{delete, get, post};
use axum::{Json, Router};
use plan::access::Role;
use plan::vetting::Lapse;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/plans/{id}/members", get(list).put(set))
        .route("/api/plans/{id}/members/{user}", delete(remove))
        .route("/api/plans/{id}/invitations", get(invitations))
        .route("/api/plans/{id}/invitations/{email}", delete(withdraw))
        .route("/api/plans/{id}/handover", post(hand_over))
}

/// A member as the plan's other members see them.
#[derive(Debug, Serialize)]
pub struct MemberAnswer {
    pub user: Colleague,
    pub role: Role,
    /// Why their vetting shuts them out of the plan (to its LRO only;
    /// `null` otherwise, and when it does not).
    pub vetting: Option<Lapse>,
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
            vetting: m.lapse,
        }
    }
}

/// What adding (or re-roling) a member answers: that the email (as
/// stored, lower-cased) now has the role. Nothing about the account.
#[derive(Debug, Serialize)]
pub struct MemberSet {
    pub email: String,
    pub role: Role,
    /// They had no account and were invited: they join at their first
    /// sign-in through their agency's provider.
    pub invited: bool,
}

/// An open invitation onto the plan.
#[derive(Debug, Serialize)]
pub struct InvitationAnswer {
    pub email: String,
    pub agency: String,
    pub role: String,
    pub invited_by: String,
    pub invited_at: chrono::DateTime<chrono::Utc>,
}

async fn list(c: Caller, PlanId(plan): PlanId) -> Result<Json<Vec<MemberAnswer>>, ServiceError> {
    let members = c.state.memberships.members_for(plan, &c.who).await?;
    Ok(Json(members.into_iter().map(MemberAnswer::from).collect()))
}

#[derive(Deserialize)]
struct SetMember {
    email: String,
    role: String,
    #[serde(default)]
    agency: Option<String>,
}

async fn set(c: Caller, PlanId(plan): PlanId, body: Bytes) -> Result<Json<MemberSet>, ServiceError> {
    let SetMember { email, role, agency } = serde_json::from_slice(&body).map_err(|_| {
        ServiceError::BadRequest("send JSON {\"email\": ..., \"role\": ..., \"agency\" (optional): ...}".into())
    })?;
    let role = Role::parse(&role).ok_or_else(|| {
        ServiceError::Invalid(format!(
            "role: {role:?} is not one of lro, plan_owner, sio, partner, viewer"
        ))
    })?;
    let added = (c.state.memberships)
        .set_member(plan, c.user.id, &email, role, agency.as_deref())
        .await?;
    Ok(Json(MemberSet {
        email: email.trim().to_lowercase(),
        role,
        invited: matches!(added, super::Added::Invited),
    }))
}

async fn invitations(c: Caller, PlanId(plan): PlanId) -> Result<Json<Vec<InvitationAnswer>>, ServiceError> {
    let open = c.state.memberships.invitations(plan, &c.who).await?;
    Ok(Json(
        open.into_iter()
            .map(|i| InvitationAnswer {
                email: i.email,
                agency: i.agency,
                role: i.role,
                invited_by: i.invited_by,
                invited_at: i.invited_at,
            })
            .collect(),
    ))
}

async fn withdraw(
    c: Caller,
    PlanId(plan): PlanId,
    Path((_, email)): Path<(String, String)>,
) -> Result<StatusCode, ServiceError> {
    c.state.memberships.withdraw_invitation(plan, c.user.id, &email).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Deserialize)]
struct HandOver {
    email: String,
    then: String,
}

/// `{"email", "then": "plan_owner"|"leave"}` → `204`: the plan's LRO hands
/// it to the colleague with that email.
async fn hand_over(c: Caller, PlanId(plan): PlanId, body: Bytes) -> Result<StatusCode, ServiceError> {
    let HandOver { email, then } = serde_json::from_slice(&body).map_err(|_| {
        ServiceError::BadRequest("send JSON {\"email\": ..., \"then\": \"plan_owner\" or \"leave\"}".into())
    })?;
    let then = super::Afterwards::parse(&then)?;
    c.state.memberships.hand_over(plan, c.user.id, &email, then).await?;
    Ok(StatusCode::NO_CONTENT)
}

async fn remove(
    c: Caller,
    PlanId(plan): PlanId,
    Path((_, member)): Path<(String, String)>,
) -> Result<StatusCode, ServiceError> {
    let member = Uuid::parse_str(&member).map_err(|_| ServiceError::NotFound("member"))?;
    c.state.memberships.remove_member(plan, c.user.id, member).await?;
    Ok(StatusCode::NO_CONTENT)
}
