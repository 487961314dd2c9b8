//! Who is logged in, and logging in and out from the pages. The server
//! checks the session cookie on every request and hands the pages a
//! [`Viewer`]; logging in goes through the server's [`ssr::Sessions`].

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// The person a page is rendered for. Sent only to that person (their own
/// flags decide which links and forms their pages show); nobody else's
/// account flags ever reach a page outside `/admin`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Viewer {
    pub id: uuid::Uuid,
    pub name: String,
    pub email: String,
    pub agency: String,
    pub is_admin: bool,
    /// Edits and publishes the Control Strategy (as administrators can).
    #[serde(default)]
    pub strategic_lead: bool,
    /// Creates plans (and so leads them).
    #[serde(default)]
    pub may_lead_plans: bool,
    /// Professional standards: searches and exports the whole access log.
    #[serde(default)]
    pub auditor: bool,
    /// Sets people's vetting (as administrators can). Last, with the
    /// notice below, so that a page built before they were added still
    /// reads the rest.
    #[serde(default)]
    pub vetting_officer: bool,
    /// What to tell the viewer of their own vetting on every page: that it
    /// expires soon, or has expired.
    #[serde(default)]
    pub vetting_notice: Option<plan::vetting::VettingNotice>,
}

/// The logged-in person, if any.
#[server(prefix = "/api/fn", endpoint = "current_user", output = crate::wire::Postcard)]
pub async fn current_user() -> Result<Option<Viewer>, ServerFnError> {
    Ok(ssr::viewer())
}

/// Checks the email and password, sets the session cookie and goes to the
/// plans list.
#[server(prefix = "/api/fn", endpoint = "log_in", output = crate::wire::Postcard)]
pub async fn log_in(email: String, password: String) -> Result<(), ServerFnError> {
    let sessions = ssr::sessions()?;
    let request = crate::session::ssr::request()?;
    let cookie = sessions
        .log_in(&email, &password, &request)
        .await
        .map_err(crate::service_error::ServiceError::into_server_fn_error)?;
    ssr::set_cookie(&cookie);
    leptos_axum::redirect("/");
    Ok(())
}

/// Ends the session and goes to the log-in page; a session that signed in
/// through an identity provider signs out there too (RP-initiated
/// log-out), which then sends the browser back to the log-in page.
#[server(prefix = "/api/fn", endpoint = "log_out", output = crate::wire::Postcard)]
pub async fn log_out() -> Result<(), ServerFnError> {
    let sessions = ssr::sessions()?;
    let headers = use_context::<axum::http::request::Parts>()
        .map(|p| p.headers)
        .unwrap_or_default();
    // Asked first: the provider's sign-out needs the session's ID token.
    let at_provider = match use_context::<crate::sign_in::ssr::SignInRef>() {
        Some(sign_in) => sign_in.sign_out_url(&headers).await,
        None => None,
    };
    let cookie = sessions
        .log_out(&headers)
        .await
        .map_err(crate::service_error::ServiceError::into_server_fn_error)?;
    ssr::set_cookie(&cookie);
    leptos_axum::redirect(at_provider.as_deref().unwrap_or("/login"));
    Ok(())
}

#[cfg(feature = "ssr")]
pub mod ssr {
    use super::Viewer;
    use crate::present::GENERIC_ERROR;
    use crate::service_error::ServiceError;
    use leptos::prelude::{use_context, ServerFnError};
    use std::sync::Arc;

    /// The request being answered (its session, address and headers).
    pub fn request() -> Result<axum::http::request::Parts, ServerFnError> {
        use_context::<axum::http::request::Parts>().ok_or_else(|| {
            tracing::error!("no request parts in context");
            ServerFnError::ServerError(GENERIC_ERROR.to_string())
        })
    }

    /// Logging in and out, implemented by the server.
    #[async_trait::async_trait]
    pub trait Sessions: Send + Sync + 'static {
        /// Returns the `Set-Cookie` value of the new session. `request`
        /// tells where the attempt came from (failures are slowed).
        async fn log_in(
            &self,
            email: &str,
            password: &str,
            request: &axum::http::request::Parts,
        ) -> Result<String, ServiceError>;
        /// Changes the password of the request's user, who gives the
        /// current one; ends their other sessions.
        async fn change_password(
            &self,
            request: &axum::http::request::Parts,
            current: &str,
            new: &str,
        ) -> Result<(), ServiceError>;
        /// Ends every session of the request's user; returns the
        /// `Set-Cookie` value that clears the cookie.
        async fn log_out_everywhere(&self, request: &axum::http::request::Parts) -> Result<String, ServiceError>;
        /// Sets a new password through a reset link's token.
        async fn reset_password(&self, token: &str, new: &str) -> Result<(), ServiceError>;
        /// Ends the request's session; returns the `Set-Cookie` value that
        /// clears the cookie.
        async fn log_out(&self, headers: &axum::http::HeaderMap) -> Result<String, ServiceError>;
    }

    pub type SessionsRef = Arc<dyn Sessions>;

    pub fn sessions() -> Result<SessionsRef, ServerFnError> {
        use_context::<SessionsRef>().ok_or_else(|| {
            tracing::error!("no app::session::ssr::SessionsRef in context");
            ServerFnError::ServerError(GENERIC_ERROR.to_string())
        })
    }

    /// Who is asking, and from where: what the consultation log records of
    /// a read. The server's session check puts it on every request.
    #[derive(Debug, Clone)]
    pub struct Requester {
        pub viewer: Viewer,
        /// Names the session without being able to log in with it.
        pub session: String,
        /// As the connection or the trusted proxy gives it.
        pub address: Option<std::net::IpAddr>,
        pub user_agent: Option<String>,
    }

    /// The requester the server's session check put on the request.
    pub fn requester() -> Result<Requester, ServerFnError> {
        use_context::<axum::http::request::Parts>()
            .and_then(|parts| parts.extensions.get::<Requester>().cloned())
            .ok_or_else(|| {
                tracing::error!("no requester on the request: is the session guard in front of the pages?");
                ServerFnError::ServerError("Log in first.".to_string())
            })
    }

    /// The viewer the server's session check put on the request.
    pub fn viewer() -> Option<Viewer> {
        use_context::<axum::http::request::Parts>()?
            .extensions
            .get::<Viewer>()
            .cloned()
    }

    pub fn set_cookie(value: &str) {
        if let (Some(response), Ok(value)) = (
            use_context::<leptos_axum::ResponseOptions>(),
            axum::http::HeaderValue::from_str(value),
        ) {
            response.insert_header(axum::http::header::SET_COOKIE, value);
        }
    }
}
