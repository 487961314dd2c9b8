//! The error of the server-side ports the pages call (plans, sessions,
//! administration, teams): shown as it is when the user can act on it,
//! logged and replaced by a generic message otherwise.

use crate::present::GENERIC_ERROR;
use leptos::prelude::ServerFnError;

/// An error from the plan directory.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DirectoryError {
    /// The request was refused. The message names the field and is shown to
    /// the user as it is.
    #[error("{0}")]
    Invalid(String),
    /// Something failed on the server. The message is logged; the user sees
    /// a generic message.
    #[error("internal error: {0}")]
    Internal(String),
}

impl From<plan::ModelError> for DirectoryError {
    fn from(e: plan::ModelError) -> Self {
        DirectoryError::Invalid(crate::present::describe_model_error(&e))
    }
}

impl DirectoryError {
    /// The error the user sees: `Invalid` as it is, `Internal` logged and
    /// replaced by a generic message. (Use this rather than `?`: the blanket
    /// `From<std::error::Error>` for `ServerFnError` would show internals.)
    pub fn into_server_fn_error(self) -> ServerFnError {
        match self {
            DirectoryError::Invalid(message) => ServerFnError::ServerError(message),
            DirectoryError::Internal(message) => {
                tracing::error!(error = %message, "plan directory failed");
                ServerFnError::ServerError(GENERIC_ERROR.to_string())
            }
        }
    }
}
