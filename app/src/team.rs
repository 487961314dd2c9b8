//! A plan's members and history, for the plan page: server functions over
//! the server's [`ssr::Team`] and [`ssr::HistoryPort`]. The server decides
//! who may do what (the LRO manages members and reads the history); these
//! only carry the requests.

use leptos::prelude::*;
use plan::access::Role;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// A member as the page shows them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MemberView {
    pub user_id: Uuid,
    pub name: String,
    pub email: String,
    pub agency: String,
    pub role: Role,
}

/// Someone invited onto the plan who has no account yet, as its LRO sees
/// them: they join at their first sign-in through their agency's provider.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InvitationView {
    pub email: String,
    pub agency: String,
    pub role: Role,
    pub invited_by: String,
    /// As `3 Dec 2026`.
    pub invited_on: String,
}

/// The plan's open invitations, and the agencies the LRO may invite from.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Invitations {
    /// Agencies whose people sign in through a provider (empty: nobody
    /// can be invited, only people with accounts added).
    pub agencies: Vec<String>,
    pub open: Vec<InvitationView>,
}

/// One change in the plan's history.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChangeRow {
    /// When, as `2026-11-22 10:04:05 UTC`.
    pub at: String,
    pub who: String,
    pub agency: String,
    /// The part of the plan changed, in the page's words.
    pub what: String,
    /// Its key in the trail (`aim`, `action:{id}:status`).
    pub field: String,
    pub old: Option<String>,
    pub new: Option<String>,
}

#[server(prefix = "/api/fn", endpoint = "plan_members", output = crate::wire::Postcard)]
pub async fn plan_members(plan: Uuid) -> Result<Vec<MemberView>, ServerFnError> {
    let who = crate::session::ssr::requester()?;
    ssr::team()?
        .members(&who, plan)
        .await
        .map_err(crate::service_error::ServiceError::into_server_fn_error)
}

/// Adds (or re-roles) the colleague with `email`; with `agency` chosen and
/// no account of that email, invites them instead. `true`: invited.
#[server(prefix = "/api/fn", endpoint = "set_plan_member", output = crate::wire::Postcard)]
pub async fn set_plan_member(
    plan: Uuid,
    email: String,
    role: String,
    #[server(default)] agency: Option<String>,
) -> Result<bool, ServerFnError> {
    let viewer = crate::ssr::viewer_id()?;
    let role = Role::parse(&role).ok_or_else(|| ServerFnError::new("Role: choose one of the roles listed"))?;
    ssr::team()?
        .set_member(viewer, plan, &email, role, agency.as_deref())
        .await
        .map_err(crate::service_error::ServiceError::into_server_fn_error)
}

/// The plan's open invitations (its LRO only).
#[server(prefix = "/api/fn", endpoint = "plan_invitations", output = crate::wire::Postcard)]
pub async fn plan_invitations(plan: Uuid) -> Result<Invitations, ServerFnError> {
    let who = crate::session::ssr::requester()?;
    ssr::team()?
        .invitations(&who, plan)
        .await
        .map_err(crate::service_error::ServiceError::into_server_fn_error)
}

#[server(prefix = "/api/fn", endpoint = "withdraw_plan_invitation", output = crate::wire::Postcard)]
pub async fn withdraw_plan_invitation(plan: Uuid, email: String) -> Result<(), ServerFnError> {
    let viewer = crate::ssr::viewer_id()?;
    ssr::team()?
        .withdraw_invitation(viewer, plan, &email)
        .await
        .map_err(crate::service_error::ServiceError::into_server_fn_error)
}

#[server(prefix = "/api/fn", endpoint = "remove_plan_member", output = crate::wire::Postcard)]
pub async fn remove_plan_member(plan: Uuid, user: Uuid) -> Result<(), ServerFnError> {
    let viewer = crate::ssr::viewer_id()?;
    ssr::team()?
        .remove_member(viewer, plan, user)
        .await
        .map_err(crate::service_error::ServiceError::into_server_fn_error)
}

/// Hands the plan to another officer, who becomes its LRO; the viewer
/// becomes its plan owner (`then` = `plan_owner`) or leaves it (`leave`).
#[server(prefix = "/api/fn", endpoint = "hand_over_plan", output = crate::wire::Postcard)]
pub async fn hand_over_plan(plan: Uuid, email: String, then: String) -> Result<(), ServerFnError> {
    let viewer = crate::ssr::viewer_id()?;
    ssr::team()?
        .hand_over(viewer, plan, &email, &then)
        .await
        .map_err(crate::service_error::ServiceError::into_server_fn_error)?;
    // The page is rendered afresh for the viewer's new role.
    leptos_axum::redirect(&format!("/plans/{plan}?handed-over"));
    Ok(())
}

#[server(prefix = "/api/fn", endpoint = "plan_history", output = crate::wire::Postcard)]
pub async fn plan_history(plan: Uuid) -> Result<Vec<ChangeRow>, ServerFnError> {
    let who = crate::session::ssr::requester()?;
    ssr::history()?
        .history(&who, plan)
        .await
        .map_err(crate::service_error::ServiceError::into_server_fn_error)
}

#[cfg(feature = "ssr")]
pub mod ssr {
    use super::{ChangeRow, Invitations, MemberView};
    use crate::present::GENERIC_ERROR;
    use crate::service_error::ServiceError;
    use crate::session::ssr::Requester;
    use leptos::prelude::{use_context, ServerFnError};
    use plan::access::Role;
    use std::sync::Arc;
    use uuid::Uuid;

    /// A plan's members, implemented by the server's membership service.
    #[async_trait::async_trait]
    pub trait Team: Send + Sync + 'static {
        /// A consultation, which the server logs.
        async fn members(&self, who: &Requester, plan: Uuid) -> Result<Vec<MemberView>, ServiceError>;
        /// `true`: `email` had no account and was invited from `agency`.
        async fn set_member(
            &self,
            viewer: Uuid,
            plan: Uuid,
            email: &str,
            role: Role,
            agency: Option<&str>,
        ) -> Result<bool, ServiceError>;
        async fn invitations(&self, who: &Requester, plan: Uuid) -> Result<Invitations, ServiceError>;
        async fn withdraw_invitation(&self, viewer: Uuid, plan: Uuid, email: &str) -> Result<(), ServiceError>;
        async fn remove_member(&self, viewer: Uuid, plan: Uuid, user: Uuid) -> Result<(), ServiceError>;
        /// Hands the plan to `email`; `then` is `plan_owner` or `leave`.
        async fn hand_over(&self, viewer: Uuid, plan: Uuid, email: &str, then: &str) -> Result<(), ServiceError>;
    }

    pub type TeamRef = Arc<dyn Team>;

    /// A plan's history, implemented by the server's history service.
    #[async_trait::async_trait]
    pub trait HistoryPort: Send + Sync + 'static {
        /// A consultation, which the server logs.
        async fn history(&self, who: &Requester, plan: Uuid) -> Result<Vec<ChangeRow>, ServiceError>;
    }

    pub type HistoryRef = Arc<dyn HistoryPort>;

    pub fn history() -> Result<HistoryRef, ServerFnError> {
        use_context::<HistoryRef>().ok_or_else(|| {
            tracing::error!("no app::team::ssr::HistoryRef in context");
            ServerFnError::ServerError(GENERIC_ERROR.to_string())
        })
    }

    pub fn team() -> Result<TeamRef, ServerFnError> {
        use_context::<TeamRef>().ok_or_else(|| {
            tracing::error!("no app::team::ssr::TeamRef in context");
            ServerFnError::ServerError(GENERIC_ERROR.to_string())
        })
    }
}
