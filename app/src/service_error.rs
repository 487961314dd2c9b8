//! The one error of the service layer (every feature: plans, membership,
//! history, accounts, portfolio, versions, the Control Strategy...): each
//! service returns it, the REST adapters render it
//! as an HTTP response and the server functions as a [`ServerFnError`], with
//! the same message for the same refusal. Internals are logged, never shown.

use crate::present::GENERIC_ERROR;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use leptos::prelude::ServerFnError;

#[derive(Debug, thiserror::Error)]
pub enum ServiceError {
    /// Unknown, or not visible to this user (need-to-know: the same answer).
    #[error("{0} not found")]
    NotFound(&'static str),
    /// Logged in, but not allowed to do this.
    #[error("{0}")]
    Forbidden(String),
    /// A value is wrong; the message names the field.
    #[error("{0}")]
    Invalid(String),
    /// The request is not what the route takes at all (not JSON, say).
    #[error("{0}")]
    BadRequest(String),
    /// Not logged in, or the log-in failed.
    #[error("{0}")]
    Unauthorized(String),
    /// Too many attempts; try again after the given seconds.
    #[error("{message}")]
    TooManyRequests { message: String, retry_after_secs: u64 },
    /// Something failed on the server; logged, shown as a generic message.
    #[error("internal error")]
    Internal(#[from] anyhow::Error),
}

impl From<plan::ModelError> for ServiceError {
    fn from(e: plan::ModelError) -> Self {
        ServiceError::Invalid(crate::present::describe_model_error(&e))
    }
}

impl ServiceError {
    pub fn status(&self) -> StatusCode {
        match self {
            ServiceError::NotFound(_) => StatusCode::NOT_FOUND,
            ServiceError::Forbidden(_) => StatusCode::FORBIDDEN,
            ServiceError::Invalid(_) => StatusCode::UNPROCESSABLE_ENTITY,
            ServiceError::BadRequest(_) => StatusCode::BAD_REQUEST,
            ServiceError::Unauthorized(_) => StatusCode::UNAUTHORIZED,
            ServiceError::TooManyRequests { .. } => StatusCode::TOO_MANY_REQUESTS,
            ServiceError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    /// What the user is told: the message, or a generic one for internals.
    pub fn message(&self) -> String {
        match self {
            ServiceError::Internal(_) => GENERIC_ERROR.to_string(),
            other => other.to_string(),
        }
    }

    fn log(&self) {
        if let ServiceError::Internal(e) = self {
            tracing::error!(error = ?e, "service call failed");
        }
    }

    /// For server functions. (Use this rather than `?`: the blanket
    /// `From<std::error::Error>` for `ServerFnError` would show internals.)
    pub fn into_server_fn_error(self) -> ServerFnError {
        self.log();
        ServerFnError::ServerError(self.message())
    }
}

impl IntoResponse for ServiceError {
    fn into_response(self) -> Response {
        self.log();
        let body = format!("{{\"error\":{}}}", serde_json::Value::String(self.message()));
        let json = [(axum::http::header::CONTENT_TYPE, "application/json")];
        if let ServiceError::TooManyRequests { retry_after_secs, .. } = &self {
            let retry = [(axum::http::header::RETRY_AFTER, retry_after_secs.to_string())];
            return (self.status(), retry, json, body).into_response();
        }
        (self.status(), json, body).into_response()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refusals_read_the_same_over_http_and_server_functions() {
        let e = ServiceError::Forbidden("only the plan's LRO can do this".into());
        assert_eq!(e.status(), StatusCode::FORBIDDEN);
        assert_eq!(
            e.into_server_fn_error(),
            ServerFnError::ServerError("only the plan's LRO can do this".into())
        );
        let e = ServiceError::Internal(anyhow::anyhow!("password=hunter2 in a query"));
        assert_eq!(e.message(), GENERIC_ERROR);
        assert_eq!(e.status(), StatusCode::INTERNAL_SERVER_ERROR);
    }
}
