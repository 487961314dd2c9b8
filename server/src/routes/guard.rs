//! Every request needs a live session except logging in itself and the
//! static files the log-in page uses. Without one, pages redirect to
//! `/login` and the API and websocket answer 401. With one, the user (and the
//! session, for connections that must end with it) is put on the request
//! for the handlers and pages (read by the [`super::extract`]ors).

use crate::accounts::{LiveSession, SessionKey, User};
use crate::state::AppState;
use app::service_error::ServiceError;
use app::session::ssr::Requester;
use axum::extract::{Request, State};
use axum::http::header::USER_AGENT;
use axum::http::request::Parts;
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};

/// Paths served without a session.
fn is_public(path: &str) -> bool {
    matches!(
        path,
        "/login" | "/api/session" | "/api/fn/log_in" | "/healthz" | "/favicon.svg" | "/favicon.ico"
            // Setting a new password through an administrator's reset link.
            | "/reset" | "/api/fn/reset_password"
            // Signing in through an identity provider, and its back-channel.
            | "/api/fn/sign_in_choices" | "/auth/oidc/callback" | "/auth/oidc/backchannel-logout"
    ) || path.starts_with("/pkg/")
        || path
            .strip_prefix("/auth/oidc/")
            .and_then(|rest| rest.strip_suffix("/start"))
            .is_some_and(|id| !id.is_empty() && !id.contains('/'))
}

pub async fn require_session(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let path = request.uri().path().to_string();
    if is_public(&path) {
        return next.run(request).await;
    }
    let session = match state.accounts.cookie().token(request.headers()) {
        Some(token) => match state.accounts.live_session(&token).await {
            Ok(session) => session,
            Err(e) => return ServiceError::from(e).into_response(),
        },
        None => None,
    };
    match session {
        Some(session) => {
            let (mut parts, body) = request.into_parts();
            let who = requester(&state, &parts, &session);
            parts.extensions.insert(who.viewer.clone());
            parts.extensions.insert(who);
            parts.extensions.insert(session.user.clone());
            parts.extensions.insert(session);
            next.run(Request::from_parts(parts, body)).await
        }
        None if path.starts_with("/api/") || path.starts_with("/ws/") => not_logged_in().into_response(),
        None => Redirect::to("/login").into_response(),
    }
}

/// The refusal of a request that needs a session and has none.
pub(super) fn not_logged_in() -> ServiceError {
    ServiceError::Unauthorized("log in first (POST /api/session)".into())
}

/// Who is asking and from where, as the access log records it.
pub fn requester(state: &AppState, parts: &Parts, session: &LiveSession) -> Requester {
    Requester {
        viewer: viewer(&session.user),
        session: session_ref(&session.key),
        address: state.accounts.client_of(parts),
        user_agent: parts
            .headers
            .get(USER_AGENT)
            .and_then(|v| v.to_str().ok())
            .map(str::to_string),
    }
}

/// Names a session in the log without being able to log in with it: the
/// first 8 bytes of its key (itself a hash of the token), in hex.
fn session_ref(key: &SessionKey) -> String {
    key.as_bytes().iter().take(8).map(|b| format!("{b:02x}")).collect()
}

/// What the pages know of the user.
pub fn viewer(user: &User) -> app::session::Viewer {
    app::session::Viewer {
        id: user.id,
        name: user.name.clone(),
        email: user.email.clone(),
        agency: user.agency.clone(),
        is_admin: user.is_admin,
        strategic_lead: user.strategic_lead,
        may_lead_plans: user.may_lead_plans,
        auditor: user.auditor,
        vetting_officer: user.vetting_officer,
        // Shown at the top of their next page from 30 days before expiry
        // (urgent from 7), and once expired. There is no notification
        // centre yet: when there is, this is where it would be told (once
        // at 30 days and once at 7, by whatever sweep notices them first,
        // see `crate::vetting::sweep`), and email beside it.
        vetting_notice: plan::vetting::VettingNotice::due(&user.vetting, chrono::Utc::now()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_logging_in_and_its_assets_are_public() {
        for open in [
            "/login",
            "/api/session",
            "/api/fn/log_in",
            "/reset",
            "/api/fn/reset_password",
            "/pkg/pillars.wasm",
            "/healthz",
            "/auth/oidc/northshire-police/start",
            "/auth/oidc/callback",
            "/auth/oidc/backchannel-logout",
        ] {
            assert!(is_public(open), "{open}");
        }
        for closed in [
            "/",
            "/plans/x",
            "/api/plans",
            "/api/fn/get_plan",
            "/ws/plans/x",
            "/login/../",
            "/auth/oidc/a/b/start",
            "/auth/oidc//start",
            "/auth/oidc/other",
        ] {
            assert!(!is_public(closed), "{closed}");
        }
    }
}
