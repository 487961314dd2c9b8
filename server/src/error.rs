//! The HTTP layer's error: logs internals, tells the client a clear message.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;

#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    #[error("{0} not found")]
    NotFound(&'static str),
    /// The request body is not JSON at all.
    #[error("{0}")]
    BadRequest(String),
    /// The body is JSON but a value is wrong; the message names the field.
    #[error("{0}")]
    Invalid(String),
    /// Logged in, but not allowed to do this.
    #[error("{0}")]
    Forbidden(String),
    /// Not logged in, or the log-in failed.
    #[error("{0}")]
    Unauthorized(String),
    /// Too many attempts; try again after the given seconds.
    #[error("{message}")]
    TooManyRequests { message: String, retry_after_secs: u64 },
    #[error("internal error")]
    Internal(#[from] anyhow::Error),
}

impl From<crate::plans::MembershipError> for ApiError {
    fn from(e: crate::plans::MembershipError) -> Self {
        use crate::plans::MembershipError;
        match e {
            MembershipError::NotFound(what) => ApiError::NotFound(what),
            MembershipError::Forbidden(message) => ApiError::Forbidden(message),
            MembershipError::Invalid(message) => ApiError::Invalid(message),
            MembershipError::Store(e) => e.into(),
        }
    }
}

impl From<crate::accounts::AccountError> for ApiError {
    fn from(e: crate::accounts::AccountError) -> Self {
        use crate::accounts::AccountError;
        match e {
            AccountError::BadCredentials => ApiError::Unauthorized(e.to_string()),
            AccountError::TooManyAttempts(wait) => ApiError::TooManyRequests {
                message: e.to_string(),
                retry_after_secs: wait.as_secs().max(1),
            },
            AccountError::Invalid(message) => ApiError::Invalid(message),
            AccountError::Internal(e) => ApiError::Internal(e),
        }
    }
}

impl From<crate::store::StoreError> for ApiError {
    fn from(e: crate::store::StoreError) -> Self {
        match e {
            crate::store::StoreError::NotFound(_) => ApiError::NotFound("plan"),
            other => ApiError::Internal(other.into()),
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let status = match &self {
            ApiError::NotFound(_) => StatusCode::NOT_FOUND,
            ApiError::BadRequest(_) => StatusCode::BAD_REQUEST,
            ApiError::Invalid(_) => StatusCode::UNPROCESSABLE_ENTITY,
            ApiError::Unauthorized(_) => StatusCode::UNAUTHORIZED,
            ApiError::Forbidden(_) => StatusCode::FORBIDDEN,
            ApiError::TooManyRequests { retry_after_secs, .. } => {
                let body = Json(serde_json::json!({ "error": self.to_string() }));
                let retry = [(axum::http::header::RETRY_AFTER, retry_after_secs.to_string())];
                return (StatusCode::TOO_MANY_REQUESTS, retry, body).into_response();
            }
            ApiError::Internal(e) => {
                tracing::error!(error = ?e, "request failed");
                StatusCode::INTERNAL_SERVER_ERROR
            }
        };
        (status, Json(serde_json::json!({ "error": self.to_string() }))).into_response()
    }
}
