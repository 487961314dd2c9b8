//! Logging in and out: `POST /api/session` (JSON `{"email", "password"}`)
//! sets the session cookie, `DELETE /api/session` ends the session,
//! `GET /api/session` says who is logged in. The log-in page's port
//! ([`app::session::ssr::Sessions`]) is the same service's, below.

use super::{Accounts, LiveSession, User};
use crate::routes::extract::CurrentUser;
use crate::state::AppState;
use app::service_error::ServiceError;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::header::SET_COOKIE;
use axum::http::request::Parts;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use axum::{Json, Router};
use serde::Deserialize;

pub fn router() -> Router<AppState> {
    Router::new().route("/api/session", post(log_in).delete(log_out).get(who_am_i))
}

#[derive(Deserialize)]
struct LogIn {
    email: String,
    password: String,
}

async fn log_in(State(state): State<AppState>, request: Parts, body: Bytes) -> Result<Response, ServiceError> {
    let LogIn { email, password } = serde_json::from_slice(&body)
        .map_err(|_| ServiceError::BadRequest("send JSON {\"email\": ..., \"password\": ...}".into()))?;
    let accounts = &state.accounts;
    let (user, token) = accounts
        .log_in_from(&email, &password, accounts.client_of(&request))
        .await?;
    let set = [(
        SET_COOKIE,
        accounts.cookie().set(&token.0, accounts.policy().lifetime.as_secs()),
    )];
    Ok((StatusCode::OK, set, Json(SessionUser::from(&user))).into_response())
}

async fn log_out(State(state): State<AppState>, headers: HeaderMap) -> Result<Response, ServiceError> {
    let clear = app::session::ssr::Sessions::log_out(&state.accounts, &headers).await?;
    Ok((StatusCode::NO_CONTENT, [(SET_COOKIE, clear)]).into_response())
}

async fn who_am_i(CurrentUser(user): CurrentUser) -> Json<SessionUser> {
    Json(SessionUser::from(&user))
}

/// The logged-in user as `/api/session` answers: what they may do with
/// plans, but not whether they administer (only `/admin` shows that).
#[derive(Debug, serde::Serialize)]
pub struct SessionUser {
    pub id: uuid::Uuid,
    pub email: String,
    pub name: String,
    pub agency_id: uuid::Uuid,
    pub agency: String,
    pub strategic_lead: bool,
    pub may_lead_plans: bool,
    pub auditor: bool,
    pub vetting_officer: bool,
    /// Their own vetting: level (`null`: none) and when it expires.
    pub vetting: plan::vetting::HeldVetting,
}

impl From<&User> for SessionUser {
    fn from(user: &User) -> Self {
        SessionUser {
            id: user.id,
            email: user.email.clone(),
            name: user.name.clone(),
            agency_id: user.agency_id,
            agency: user.agency.clone(),
            strategic_lead: user.strategic_lead,
            may_lead_plans: user.may_lead_plans,
            auditor: user.auditor,
            vetting_officer: user.vetting_officer,
            vetting: user.vetting.clone(),
        }
    }
}

fn not_logged_in() -> ServiceError {
    ServiceError::Unauthorized("log in first".into())
}

/// The pages log in and out through the same service as the API.
#[async_trait::async_trait]
impl app::session::ssr::Sessions for Accounts {
    async fn log_in(&self, email: &str, password: &str, request: &Parts) -> Result<String, ServiceError> {
        let (_, token) = self.log_in_from(email, password, self.client_of(request)).await?;
        Ok(self.cookie().set(&token.0, self.policy().lifetime.as_secs()))
    }

    async fn change_password(&self, request: &Parts, current: &str, new: &str) -> Result<(), ServiceError> {
        let session = request.extensions.get::<LiveSession>().ok_or_else(not_logged_in)?;
        Ok(self.change_password(session, current, new).await?)
    }

    async fn log_out_everywhere(&self, request: &Parts) -> Result<String, ServiceError> {
        let user = request.extensions.get::<User>().ok_or_else(not_logged_in)?;
        self.log_out_everywhere(user.id).await?;
        Ok(self.cookie().clear())
    }

    async fn reset_password(&self, token: &str, new: &str) -> Result<(), ServiceError> {
        let token = super::password_changes::ResetToken(token.to_string());
        self.reset_password(&token, new).await?;
        Ok(())
    }

    async fn log_out(&self, headers: &HeaderMap) -> Result<String, ServiceError> {
        if let Some(token) = self.cookie().token(headers) {
            self.log_out(&token).await?;
        }
        Ok(self.cookie().clear())
    }
}
