//! What handlers take from a request: who is asking ([`CurrentUser`],
//! [`CurrentSession`], or [`Caller`] with the services too) and which plan
//! ([`PlanId`]). A request without a live session is refused (401).

use super::guard::{not_logged_in, requester, viewer};
use crate::accounts::{LiveSession, User};
use crate::state::AppState;
use app::service_error::ServiceError;
use app::session::ssr::Requester;
use axum::extract::{FromRequestParts, Path};
use axum::http::request::Parts;
use uuid::Uuid;

/// The logged-in user; a request without a live session is refused (401).
pub struct CurrentUser(pub User);

impl FromRequestParts<AppState> for CurrentUser {
    type Rejection = ServiceError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let CurrentSession(session) = CurrentSession::from_request_parts(parts, state).await?;
        Ok(CurrentUser(session.user))
    }
}

/// The request's live session (for connections that must end with it).
pub struct CurrentSession(pub LiveSession);

impl FromRequestParts<AppState> for CurrentSession {
    type Rejection = ServiceError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        // Put there by the session guard.
        if let Some(session) = parts.extensions.get::<LiveSession>() {
            return Ok(CurrentSession(session.clone()));
        }
        let token = state
            .accounts
            .cookie()
            .token(&parts.headers)
            .ok_or_else(not_logged_in)?;
        let session = state.accounts.live_session(&token).await?.ok_or_else(not_logged_in)?;
        Ok(CurrentSession(session))
    }
}

/// The services and who is asking: what most handlers take.
pub struct Caller {
    pub state: AppState,
    pub user: User,
    /// Who is asking and from where, for the access log.
    pub who: Requester,
}

impl Caller {
    /// Who is asking, as the services judge need-to-know.
    pub fn viewer(&self) -> app::session::Viewer {
        viewer(&self.user)
    }
}

impl FromRequestParts<AppState> for Caller {
    type Rejection = ServiceError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let CurrentSession(session) = CurrentSession::from_request_parts(parts, state).await?;
        // Put there by the session guard.
        let who = match parts.extensions.get::<Requester>() {
            Some(who) => who.clone(),
            None => requester(state, parts, &session),
        };
        Ok(Caller {
            state: state.clone(),
            user: session.user,
            who,
        })
    }
}

/// The plan a route's `{id}` names. Anything that is not a plan id is the
/// same 404 as a plan that does not exist (or that the caller may not see).
pub struct PlanId(pub Uuid);

impl FromRequestParts<AppState> for PlanId {
    type Rejection = ServiceError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let not_found = || ServiceError::NotFound("plan");
        let Path(params) = Path::<Vec<(String, String)>>::from_request_parts(parts, state)
            .await
            .map_err(|_| not_found())?;
        let id = params.iter().find(|(name, _)| name == "id").ok_or_else(not_found)?;
        Uuid::parse_str(&id.1).map(PlanId).map_err(|_| not_found())
    }
}
