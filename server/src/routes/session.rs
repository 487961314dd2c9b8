//! Logging in and out: `POST /api/session` (JSON `{"email", "password"}`)
//! sets the session cookie, `DELETE /api/session` ends the session,
//! `GET /api/session` says who is logged in.

use crate::accounts::{LiveSession, SessionToken, User};
use crate::error::ApiError;
use crate::state::AppState;
use axum::body::Bytes;
use axum::extract::{FromRequestParts, State};
use axum::http::header::{COOKIE, SET_COOKIE};
use axum::http::request::Parts;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use axum::{Json, Router};
use serde::Deserialize;

/// The session cookie's name over plain HTTP (development, tests).
pub const COOKIE_NAME: &str = "pillars_session";
/// Its name over TLS: the browser then refuses it unless it was set by
/// this very host over https, with `Path=/` and no `Domain`, so a sibling
/// subdomain cannot plant or overwrite it.
pub const SECURE_COOKIE_NAME: &str = "__Host-pillars_session";

/// The session cookie's name on this server.
pub fn cookie_name(state: &AppState) -> &'static str {
    if state.web.secure_cookies() {
        SECURE_COOKIE_NAME
    } else {
        COOKIE_NAME
    }
}

pub fn router() -> Router<AppState> {
    Router::new().route("/api/session", post(log_in).delete(log_out).get(who_am_i))
}

#[derive(Deserialize)]
struct LogIn {
    email: String,
    password: String,
}

/// The session token from a request's cookies, if any.
pub fn session_token(state: &AppState, headers: &HeaderMap) -> Option<SessionToken> {
    token_in(headers, cookie_name(state))
}

/// The value of the cookie `name`, as a session token.
fn token_in(headers: &HeaderMap, name: &str) -> Option<SessionToken> {
    headers
        .get_all(COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(cookie, _)| *cookie == name)
        .map(|(_, value)| SessionToken(value.to_string()))
}

fn cookie(state: &AppState, value: &str, max_age_secs: u64) -> String {
    let name = cookie_name(state);
    let secure = if state.web.secure_cookies() { "; Secure" } else { "" };
    format!("{name}={value}; Path=/; HttpOnly; SameSite=Strict; Max-Age={max_age_secs}{secure}")
}

/// The pages log in and out through the same accounts service.
pub struct PageSessions(pub AppState);

#[async_trait::async_trait]
impl app::session::ssr::Sessions for PageSessions {
    async fn log_in(&self, email: &str, password: &str, request: &Parts) -> Result<String, app::ssr::DirectoryError> {
        let client = client_of(&self.0, request);
        let (_, token) = self
            .0
            .accounts
            .log_in_from(email, password, client)
            .await
            .map_err(page_error)?;
        Ok(cookie(&self.0, &token.0, self.0.accounts.policy().lifetime.as_secs()))
    }

    async fn change_password(&self, request: &Parts, current: &str, new: &str) -> Result<(), app::ssr::DirectoryError> {
        let session = request.extensions.get::<LiveSession>().ok_or_else(page_not_logged_in)?;
        self.0
            .accounts
            .change_password(session, current, new)
            .await
            .map_err(page_error)
    }

    async fn log_out_everywhere(&self, request: &Parts) -> Result<String, app::ssr::DirectoryError> {
        let user = request.extensions.get::<User>().ok_or_else(page_not_logged_in)?;
        self.0.accounts.log_out_everywhere(user.id).await.map_err(page_error)?;
        Ok(cookie(&self.0, "", 0))
    }

    async fn reset_password(&self, token: &str, new: &str) -> Result<(), app::ssr::DirectoryError> {
        let token = crate::accounts::password_changes::ResetToken(token.to_string());
        self.0
            .accounts
            .reset_password(&token, new)
            .await
            .map_err(page_error)
            .map(|_| ())
    }

    async fn log_out(&self, headers: &HeaderMap) -> Result<String, app::ssr::DirectoryError> {
        if let Some(token) = session_token(&self.0, headers) {
            self.0.accounts.log_out(&token).await.map_err(page_error)?;
        }
        Ok(cookie(&self.0, "", 0))
    }
}

fn page_not_logged_in() -> app::ssr::DirectoryError {
    app::ssr::DirectoryError::Invalid("log in first".into())
}

/// The address failed log-ins from this request are counted by.
fn client_of(state: &AppState, request: &Parts) -> Option<std::net::IpAddr> {
    let peer = request
        .extensions
        .get::<axum::extract::ConnectInfo<std::net::SocketAddr>>()
        .map(|info| info.0);
    crate::accounts::client_address::client_address(peer, &request.headers, state.config.trust_forwarded_for)
}

fn page_error(e: crate::accounts::AccountError) -> app::ssr::DirectoryError {
    use crate::accounts::AccountError;
    match e {
        AccountError::Internal(e) => {
            tracing::error!(error = ?e, "log-in failed");
            app::ssr::DirectoryError::Internal(e.to_string())
        }
        other => app::ssr::DirectoryError::Invalid(other.to_string()),
    }
}

async fn log_in(State(state): State<AppState>, request: Parts, body: Bytes) -> Result<Response, ApiError> {
    let LogIn { email, password } = serde_json::from_slice(&body)
        .map_err(|_| ApiError::BadRequest("send JSON {\"email\": ..., \"password\": ...}".into()))?;
    let client = client_of(&state, &request);
    let (user, token) = state.accounts.log_in_from(&email, &password, client).await?;
    let lifetime = state.accounts.policy().lifetime.as_secs();
    let set = [(SET_COOKIE, cookie(&state, &token.0, lifetime))];
    Ok((StatusCode::OK, set, Json(SessionUser::from(&user))).into_response())
}

async fn log_out(State(state): State<AppState>, headers: HeaderMap) -> Result<Response, ApiError> {
    if let Some(token) = session_token(&state, &headers) {
        state.accounts.log_out(&token).await?;
    }
    let clear = [(SET_COOKIE, cookie(&state, "", 0))];
    Ok((StatusCode::NO_CONTENT, clear).into_response())
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
        }
    }
}

/// The logged-in user; a request without a live session is refused (401).
pub struct CurrentUser(pub User);

impl FromRequestParts<AppState> for CurrentUser {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        // Put there by the session guard.
        if let Some(user) = parts.extensions.get::<User>() {
            return Ok(CurrentUser(user.clone()));
        }
        let token = session_token(state, &parts.headers).ok_or_else(not_logged_in)?;
        let user = state.accounts.session(&token).await?.ok_or_else(not_logged_in)?;
        Ok(CurrentUser(user))
    }
}

/// The request's live session (for connections that must end with it).
pub struct CurrentSession(pub LiveSession);

impl FromRequestParts<AppState> for CurrentSession {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        // Put there by the session guard.
        if let Some(session) = parts.extensions.get::<LiveSession>() {
            return Ok(CurrentSession(session.clone()));
        }
        let token = session_token(state, &parts.headers).ok_or_else(not_logged_in)?;
        let session = state.accounts.live_session(&token).await?.ok_or_else(not_logged_in)?;
        Ok(CurrentSession(session))
    }
}

fn not_logged_in() -> ApiError {
    ApiError::Unauthorized("log in first (POST /api/session)".into())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_session_token_is_found_among_other_cookies() {
        let mut headers = HeaderMap::new();
        headers.append(COOKIE, "theme=dark; pillars_session=abc123".parse().unwrap());
        assert_eq!(token_in(&headers, COOKIE_NAME), Some(SessionToken("abc123".into())));
        assert_eq!(token_in(&headers, SECURE_COOKIE_NAME), None);
        assert_eq!(token_in(&HeaderMap::new(), COOKIE_NAME), None);
    }
}
