//! Logging in and out: `POST /api/session` (JSON `{"email", "password"}`)
//! sets the session cookie, `DELETE /api/session` ends the session,
//! `GET /api/session` says who is logged in.

use crate::accounts::{LiveSession, SessionToken, User};
use crate::error::ApiError;
use crate::startup::AppState;
use axum::body::Bytes;
use axum::extract::{FromRequestParts, State};
use axum::http::header::{COOKIE, SET_COOKIE};
use axum::http::request::Parts;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use axum::{Json, Router};
use serde::Deserialize;

/// The session cookie's name.
pub const COOKIE_NAME: &str = "pillars_session";

pub fn router() -> Router<AppState> {
    Router::new().route("/api/session", post(log_in).delete(log_out).get(who_am_i))
}

#[derive(Deserialize)]
struct LogIn {
    email: String,
    password: String,
}

/// The session token from a request's cookies, if any.
pub fn session_token(headers: &HeaderMap) -> Option<SessionToken> {
    headers
        .get_all(COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(name, _)| *name == COOKIE_NAME)
        .map(|(_, value)| SessionToken(value.to_string()))
}

fn cookie(state: &AppState, value: &str, max_age_secs: u64) -> String {
    let secure = if state.config.secure_cookies { "; Secure" } else { "" };
    format!("{COOKIE_NAME}={value}; Path=/; HttpOnly; SameSite=Strict; Max-Age={max_age_secs}{secure}")
}

/// The pages log in and out through the same accounts service.
pub struct PageSessions(pub AppState);

#[async_trait::async_trait]
impl app::session::ssr::Sessions for PageSessions {
    async fn log_in(&self, email: &str, password: &str) -> Result<String, app::ssr::DirectoryError> {
        let (_, token) = self.0.accounts.log_in(email, password).await.map_err(page_error)?;
        Ok(cookie(&self.0, &token.0, self.0.accounts.policy().lifetime.as_secs()))
    }

    async fn log_out(&self, headers: &HeaderMap) -> Result<String, app::ssr::DirectoryError> {
        if let Some(token) = session_token(headers) {
            self.0.accounts.log_out(&token).await.map_err(page_error)?;
        }
        Ok(cookie(&self.0, "", 0))
    }
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

async fn log_in(State(state): State<AppState>, body: Bytes) -> Result<Response, ApiError> {
    let LogIn { email, password } = serde_json::from_slice(&body)
        .map_err(|_| ApiError::BadRequest("send JSON {\"email\": ..., \"password\": ...}".into()))?;
    let (user, token) = state.accounts.log_in(&email, &password).await?;
    let lifetime = state.accounts.policy().lifetime.as_secs();
    let set = [(SET_COOKIE, cookie(&state, &token.0, lifetime))];
    Ok((StatusCode::OK, set, Json(user)).into_response())
}

async fn log_out(State(state): State<AppState>, headers: HeaderMap) -> Result<Response, ApiError> {
    if let Some(token) = session_token(&headers) {
        state.accounts.log_out(&token).await?;
    }
    let clear = [(SET_COOKIE, cookie(&state, "", 0))];
    Ok((StatusCode::NO_CONTENT, clear).into_response())
}

async fn who_am_i(CurrentUser(user): CurrentUser) -> Json<User> {
    Json(user)
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
        let token = session_token(&parts.headers).ok_or_else(not_logged_in)?;
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
        let token = session_token(&parts.headers).ok_or_else(not_logged_in)?;
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
        assert_eq!(session_token(&headers), Some(SessionToken("abc123".into())));
        assert_eq!(session_token(&HeaderMap::new()), None);
    }
}
