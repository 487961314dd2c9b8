//! Signing in through an organisation's identity provider: what the log-in
//! page offers ([`SignInChoices`]), and what it says when a sign-in
//! through a provider failed (`/login?sso=<code>`: the server logs the
//! reason, the page says what to do).

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// One identity provider, as its button shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProviderChoice {
    pub id: String,
    pub name: String,
}

/// How people may sign in to this deployment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SignInChoices {
    /// Email and password (a deployment may switch it off).
    pub password: bool,
    pub providers: Vec<ProviderChoice>,
}

impl Default for SignInChoices {
    fn default() -> Self {
        SignInChoices {
            password: true,
            providers: Vec::new(),
        }
    }
}

/// The ways to sign in (asked before anyone is signed in).
#[server(prefix = "/api/fn", endpoint = "sign_in_choices", output = crate::wire::Postcard)]
pub async fn ways_to_sign_in() -> Result<SignInChoices, ServerFnError> {
    Ok(use_context::<ssr::SignInRef>().map(|s| s.choices()).unwrap_or_default())
}

/// What the log-in page says after a failed sign-in through a provider.
pub fn failure_message(code: &str) -> Option<&'static str> {
    Some(match code {
        "expired" => "That sign-in had expired or was already used. Please start again.",
        "denied" => "The sign-in was cancelled or refused at your organisation's sign-in page.",
        "refused" => {
            "Your organisation's answer could not be verified, so you were not signed in. Please try again; if it happens again, tell your administrator."
        }
        "not-invited" => {
            "You have not been given access to Pillars yet. Ask your administrator or the plan's LRO to invite you."
        }
        "not-linked" => {
            "An account with your email exists but is not linked to this sign-in. Ask your administrator to link it."
        }
        "disabled" => "Your Pillars account is disabled.",
        "unavailable" => "Your organisation's sign-in could not be reached. Please try again shortly.",
        "unknown" => "That sign-in option does not exist.",
        "signed-out" => "You are signed out.",
        _ => return None,
    })
}

#[cfg(feature = "ssr")]
pub mod ssr {
    use super::SignInChoices;
    use std::sync::Arc;

    /// Signing in through providers, as the pages need it.
    #[async_trait::async_trait]
    pub trait SignIn: Send + Sync + 'static {
        fn choices(&self) -> SignInChoices;
        /// An administrator (checked by the caller) lets `email` sign in
        /// through their organisation; what was done, in words.
        async fn invite(
            &self,
            admin: uuid::Uuid,
            email: &str,
            agency: &str,
        ) -> Result<String, crate::service_error::ServiceError>;
        /// Where to send the browser to sign out at the provider too (for
        /// the session of these headers, if it came through one that says
        /// how). Asked before the session ends.
        async fn sign_out_url(&self, headers: &axum::http::HeaderMap) -> Option<String>;
    }

    pub type SignInRef = Arc<dyn SignIn>;
}

#[cfg(test)]
mod tests {
    #[test]
    fn every_failure_the_server_names_has_words() {
        for code in [
            "expired",
            "denied",
            "refused",
            "not-invited",
            "not-linked",
            "disabled",
            "unavailable",
            "unknown",
        ] {
            assert!(super::failure_message(code).is_some(), "{code}");
        }
        assert_eq!(super::failure_message("<script>"), None);
    }
}
