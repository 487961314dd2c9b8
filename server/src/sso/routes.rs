//! The sign-in round trip and the provider's back-channel:
//! - `GET /auth/oidc/{provider}/start`: sends the browser to the provider,
//!   with a short-lived sign-in cookie binding the sign-in to it;
//! - `GET /auth/oidc/callback`: where the provider sends it back; sets the
//!   session cookie and goes to the plans list, or to `/login?sso=<why>`;
//! - `POST /auth/oidc/backchannel-logout`: the provider's logout token
//!   (form field `logout_token`), `200` once acted on, else `400`.

use super::{Callback, Sso, SsoError, CALLBACK_PATH};
use crate::routes::extract::CurrentUser;
use crate::state::AppState;
use app::service_error::ServiceError;
use axum::extract::{Path, Query, State};
use axum::http::header::{CACHE_CONTROL, SET_COOKIE};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Json, Router};
use serde::Deserialize;

/// Where a provider posts logout tokens (no session, no Origin: the token's
/// signature is its authority; the origin rules let this path through).
pub const BACK_CHANNEL_PATH: &str = crate::security::origin::SIGNED_BY_PROVIDER;
/// The sign-in cookie: only for `/auth/oidc`, gone after ten minutes.
const SIGN_IN_COOKIE: &str = "pillars_sign_in";

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/auth/oidc/{provider}/start", get(start))
        .route(CALLBACK_PATH, get(callback))
        .route(BACK_CHANNEL_PATH, post(back_channel_logout))
        .route("/api/admin/invitations", post(invite))
}

/// `POST /api/admin/invitations` `{"email", "agency"}`: 201 with
/// `{"invited": "new_account" | "linked"}` (see [`Sso::invite`]).
#[derive(Deserialize)]
struct Invite {
    email: String,
    agency: Option<String>,
}

async fn invite(
    CurrentUser(user): CurrentUser,
    State(state): State<AppState>,
    Json(body): Json<Invite>,
) -> Result<(StatusCode, Json<serde_json::Value>), ServiceError> {
    let invited = state
        .sso
        .invite(user.id, user.is_admin, &body.email, body.agency.as_deref())
        .await?;
    Ok((StatusCode::CREATED, Json(serde_json::json!({ "invited": invited }))))
}

fn sign_in_cookie(state: &AppState, value: &str, max_age: u32) -> String {
    let secure = if state.web.secure_cookies() { "; Secure" } else { "" };
    // Lax, not Strict: the provider's redirect back is a cross-site
    // top-level navigation, which must carry it.
    format!("{SIGN_IN_COOKIE}={value}; Path=/auth/oidc; HttpOnly; SameSite=Lax; Max-Age={max_age}{secure}")
}

/// The failure page: the log-in page, saying what to do. The reason is
/// logged, never shown.
fn failed(state: &AppState, e: SsoError) -> Response {
    if e.is_internal() {
        tracing::error!(error = %e, "sign-in failed");
    } else {
        tracing::warn!(error = %e, "sign-in refused");
    }
    let clear = sign_in_cookie(state, "", 0);
    ([(SET_COOKIE, clear)], Redirect::to(&format!("/login?sso={}", e.code()))).into_response()
}

async fn start(State(state): State<AppState>, Path(provider): Path<String>) -> Response {
    match state.sso.start(&provider).await {
        Ok(go) => {
            let cookie = sign_in_cookie(&state, &go.browser_secret, 600);
            ([(SET_COOKIE, cookie)], Redirect::to(&go.to)).into_response()
        }
        Err(e) => failed(&state, e),
    }
}

async fn callback(State(state): State<AppState>, headers: HeaderMap, Query(answer): Query<Callback>) -> Response {
    let browser = crate::accounts::cookie::cookie_value(&headers, SIGN_IN_COOKIE);
    match state.sso.finish(&answer, browser.as_deref()).await {
        Ok((_, token)) => {
            let accounts = &state.accounts;
            let session = accounts.cookie().set(&token.0, accounts.policy().lifetime.as_secs());
            let clear = sign_in_cookie(&state, "", 0);
            let mut response = Redirect::to("/").into_response();
            response
                .headers_mut()
                .append(SET_COOKIE, session.parse().expect("a cookie"));
            response
                .headers_mut()
                .append(SET_COOKIE, clear.parse().expect("a cookie"));
            response
        }
        Err(e) => failed(&state, e),
    }
}

#[derive(Deserialize)]
struct LogoutToken {
    logout_token: String,
}

async fn back_channel_logout(State(state): State<AppState>, Form(form): Form<LogoutToken>) -> Response {
    let no_store = [(CACHE_CONTROL, "no-store")];
    match state.sso.back_channel_logout(&form.logout_token).await {
        Ok(_) => (StatusCode::OK, no_store).into_response(),
        Err(e) if e.is_internal() => {
            tracing::error!(error = %e, "back-channel logout failed");
            (StatusCode::INTERNAL_SERVER_ERROR, no_store).into_response()
        }
        Err(e) => {
            tracing::warn!(error = %e, "back-channel logout refused");
            let body = Json(serde_json::json!({ "error": "invalid_request" }));
            (StatusCode::BAD_REQUEST, no_store, body).into_response()
        }
    }
}

/// The pages' sign-in port.
#[async_trait::async_trait]
impl app::sign_in::ssr::SignIn for Sso {
    fn choices(&self) -> app::sign_in::SignInChoices {
        Sso::choices(self)
    }

    async fn invite(&self, admin: uuid::Uuid, email: &str, agency: &str) -> Result<String, ServiceError> {
        let invited = Sso::invite(self, admin, true, email, Some(agency)).await?;
        Ok(match invited {
            super::Invited::NewAccount => format!("{email} may now sign in through their organisation."),
            super::Invited::Linked => format!("{email}'s account will be linked at their next sign-in."),
        })
    }

    async fn sign_out_url(&self, headers: &HeaderMap) -> Option<String> {
        let token = self.accounts.cookie().token(headers)?;
        Sso::sign_out_url(self, &token, &format!("{}/login", self.origin)).await
    }
}
