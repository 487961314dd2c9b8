//! Why an accounts request failed, and how each reason reaches a page or
//! an API client.

use std::time::Duration;

#[derive(Debug, thiserror::Error)]
pub enum AccountError {
    /// Wrong email or password (never says which).
    #[error("the email or password is not right")]
    BadCredentials,
    /// Slowed after failed log-ins: the wait still owed.
    #[error("too many failed log-ins; try again in {} seconds", .0.as_secs_f64().ceil().max(1.0))]
    TooManyAttempts(Duration),
    /// This deployment signs people in through their identity providers only.
    #[error("log in with your organisation's sign-in: passwords are switched off here")]
    PasswordsOff,
    /// A value was refused; the message names the field.
    #[error("{0}")]
    Invalid(String),
    #[error(transparent)]
    Internal(#[from] anyhow::Error),
}

impl From<crate::store::StoreError> for AccountError {
    fn from(e: crate::store::StoreError) -> Self {
        AccountError::Internal(e.into())
    }
}

impl From<AccountError> for app::service_error::ServiceError {
    fn from(e: AccountError) -> Self {
        use app::service_error::ServiceError;
        match e {
            AccountError::BadCredentials => ServiceError::Unauthorized(e.to_string()),
            AccountError::PasswordsOff => ServiceError::Forbidden(e.to_string()),
            AccountError::TooManyAttempts(wait) => ServiceError::TooManyRequests {
                message: e.to_string(),
                retry_after_secs: wait.as_secs().max(1),
            },
            AccountError::Invalid(message) => ServiceError::Invalid(message),
            AccountError::Internal(e) => ServiceError::Internal(e),
        }
    }
}
