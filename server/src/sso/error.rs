//! Why a sign-in through a provider failed. The log gets the reason in
//! full; the person gets a page that says what to do, chosen by
//! [`SsoError::code`] (never the provider's or a token's own text).

use crate::store::StoreError;

#[derive(Debug, thiserror::Error)]
pub enum SsoError {
    #[error("no identity provider {0:?} is configured")]
    UnknownProvider(String),
    #[error("{provider} could not be reached or answered oddly: {why}")]
    Unavailable { provider: String, why: String },
    /// The provider said no (e.g. the person cancelled): its error code.
    #[error("the provider answered with an error: {0}")]
    Denied(String),
    /// No sign-in was started with that state in this browser, or it was
    /// already finished (a replay), or it is too old.
    #[error("no sign-in in progress matches: {0}")]
    NoSignInInProgress(&'static str),
    /// Anything about the answer or its ID token that does not check out.
    #[error("refused: {0}")]
    Refused(String),
    #[error("not invited: {0}")]
    NotInvited(String),
    /// An account has the email, but is not linked to this provider.
    #[error("the account {0} is not linked to this provider")]
    NotLinked(String),
    #[error("the account is disabled")]
    Disabled,
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Accounts(#[from] crate::accounts::AccountError),
}

impl SsoError {
    /// What `/login?sso=` shows the person (see `app::sign_in`).
    pub fn code(&self) -> &'static str {
        match self {
            SsoError::UnknownProvider(_) => "unknown",
            SsoError::Unavailable { .. } | SsoError::Store(_) | SsoError::Accounts(_) => "unavailable",
            SsoError::Denied(_) => "denied",
            SsoError::NoSignInInProgress(_) => "expired",
            SsoError::Refused(_) => "refused",
            SsoError::NotInvited(_) => "not-invited",
            SsoError::NotLinked(_) => "not-linked",
            SsoError::Disabled => "disabled",
        }
    }

    /// A failure of Pillars' own (logged as an error), not of the sign-in.
    pub fn is_internal(&self) -> bool {
        matches!(
            self,
            SsoError::Store(_) | SsoError::Accounts(_) | SsoError::Unavailable { .. }
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_failure_has_words_on_the_log_in_page() {
        let all = [
            SsoError::UnknownProvider("x".into()),
            SsoError::Unavailable {
                provider: "p".into(),
                why: "w".into(),
            },
            SsoError::Denied("access_denied".into()),
            SsoError::NoSignInInProgress("replayed"),
            SsoError::Refused("bad nonce".into()),
            SsoError::NotInvited("a@b".into()),
            SsoError::NotLinked("a@b".into()),
            SsoError::Disabled,
        ];
        for e in all {
            assert!(app::sign_in::failure_message(e.code()).is_some(), "{e}");
        }
    }
}
