//! Single sign-on: people sign in through their organisation's OpenID
//! Provider (a force's Microsoft Entra ID, a council's), with the
//! authorization code flow, PKCE, `state` and `nonce` kept server-side and
//! bound to the browser that started. Several providers at once, each
//! standing for one agency ([`config`]).
//!
//! Who gets in: a person already linked (by issuer and the provider's
//! lasting key for them, never by email); else one whose verified email an
//! administrator invited into the provider's agency (or whose existing
//! account an administrator linked); else, where the deployment allows
//! automatic accounts for that provider, anyone of it, landing with no
//! plans. Nothing else makes an account or a session, and what a sign-in
//! writes is written whole or not at all ([`store::Admission`]).
//!
//! Leaving is followed: the provider's back-channel logout token ends that
//! person's sessions here (their open websockets close with 4401), and
//! logging out here also signs out at the provider when it says how.

pub mod config;
pub mod error;
mod invitations;
mod leaving;
pub mod logout_token;
mod provider;
pub mod routes;
pub mod store;
mod token_claims;

pub use error::SsoError;
pub use invitations::{InviteError, Invited};
pub use routes::router;

use crate::accounts::{Accounts, SessionToken};
use crate::membership::Memberships;
use chrono::Utc;
use config::Providers;
use openidconnect::{CsrfToken, Nonce, PkceCodeVerifier, RedirectUrl};
use provider::{Provider, SignedIn};
use sha2::{Digest, Sha256};
use std::sync::Arc;
use store::{Admission, NewAccount, Pending, SsoStore};
use uuid::Uuid;

/// The path providers send browsers back to.
pub const CALLBACK_PATH: &str = "/auth/oidc/callback";
/// How long a started sign-in may take.
const SIGN_IN_LASTS_MS: i64 = 10 * 60 * 1000;

crate::store::composite_storage!(
    /// What single sign-on stores and reads.
    pub trait SsoStorage: SsoStore + crate::accounts::store::AccountStore
        + crate::membership::invitation_store::InvitationStore
);

/// The sign-in service. Cheap to clone.
#[derive(Clone)]
pub struct Sso {
    providers: Arc<Vec<Provider>>,
    store: Arc<dyn SsoStorage>,
    accounts: Accounts,
    /// Takes up an LRO's invitations onto plans at a first sign-in.
    memberships: Memberships,
    password_login: bool,
    /// Where browsers reach Pillars.
    origin: String,
}

/// What the provider sends the browser back with.
#[derive(Debug, Default, serde::Deserialize)]
pub struct Callback {
    pub code: Option<String>,
    pub state: Option<String>,
    pub error: Option<String>,
}

/// A started sign-in: where to send the browser, and the secret its
/// sign-in cookie carries (the sign-in is bound to it).
pub struct Redirect {
    pub to: String,
    pub browser_secret: String,
}

impl Sso {
    /// `origin` is where browsers reach Pillars (the callback is under it).
    pub fn new(
        providers: &Providers,
        origin: &str,
        store: Arc<dyn SsoStorage>,
        accounts: Accounts,
        memberships: Memberships,
        password_login: bool,
    ) -> anyhow::Result<Sso> {
        let http = openidconnect::reqwest::Client::builder()
            // Following redirects would let a provider's answer send
            // Pillars anywhere (SSRF).
            .redirect(openidconnect::reqwest::redirect::Policy::none())
            .timeout(std::time::Duration::from_secs(10))
            .build()?;
        let redirect = RedirectUrl::new(format!("{}{CALLBACK_PATH}", origin.trim_end_matches('/')))?;
        let providers = providers
            .0
            .iter()
            .map(|p| Provider::new(p.clone(), redirect.clone(), http.clone()))
            .collect();
        Ok(Sso {
            providers: Arc::new(providers),
            store,
            accounts,
            memberships,
            password_login,
            origin: origin.trim_end_matches('/').to_string(),
        })
    }

    /// What the log-in page offers.
    pub fn choices(&self) -> app::sign_in::SignInChoices {
        app::sign_in::SignInChoices {
            password: self.password_login,
            providers: self
                .providers
                .iter()
                .map(|p| app::sign_in::ProviderChoice {
                    id: p.config.id.clone(),
                    name: p.config.name.clone(),
                })
                .collect(),
        }
    }

    pub fn password_login(&self) -> bool {
        self.password_login
    }

    fn provider(&self, id: &str) -> Result<&Provider, SsoError> {
        self.providers
            .iter()
            .find(|p| p.config.id == id)
            .ok_or_else(|| SsoError::UnknownProvider(id.to_string()))
    }

    /// Starts a sign-in through provider `id`.
    pub async fn start(&self, id: &str) -> Result<Redirect, SsoError> {
        let provider = self.provider(id)?;
        let started = provider.start().await?;
        let browser_secret = CsrfToken::new_random().secret().clone();
        let now = Utc::now().timestamp_millis();
        let pending = Pending {
            state_hash: hash(started.state.secret()),
            browser_hash: hash(&browser_secret),
            provider: id.to_string(),
            pkce_verifier: started.verifier.secret().clone(),
            nonce: started.nonce.secret().clone(),
            created_at: now,
        };
        self.store.put_pending(&pending, now - SIGN_IN_LASTS_MS).await?;
        Ok(Redirect {
            to: started.url.to_string(),
            browser_secret,
        })
    }

    /// Finishes the sign-in the provider sent the browser back from: the
    /// new session's token and its user's id.
    pub async fn finish(
        &self,
        answer: &Callback,
        browser_secret: Option<&str>,
    ) -> Result<(Uuid, SessionToken), SsoError> {
        let state = answer.state.as_deref().unwrap_or_default();
        // Taken first, whatever the answer: a state is good for one try.
        let pending = self.store.take_pending(&hash(state)).await?;
        let pending = pending.ok_or(SsoError::NoSignInInProgress("unknown or already used state"))?;
        if browser_secret.map(hash) != Some(pending.browser_hash.clone()) {
            return Err(SsoError::NoSignInInProgress("started in another browser"));
        }
        if pending.created_at < Utc::now().timestamp_millis() - SIGN_IN_LASTS_MS {
            return Err(SsoError::NoSignInInProgress("started too long ago"));
        }
        if let Some(error) = &answer.error {
            return Err(SsoError::Denied(error.chars().take(100).collect()));
        }
        let code = answer.code.clone().ok_or_else(|| SsoError::Refused("no code".into()))?;
        let provider = self.provider(&pending.provider)?;
        let nonce = Nonce::new(pending.nonce);
        let who = provider
            .finish(code, PkceCodeVerifier::new(pending.pkce_verifier), &nonce)
            .await?;
        self.admit(provider, &who).await
    }

    /// Decides who `who` is here, then writes the sign-in whole.
    async fn admit(&self, provider: &Provider, who: &SignedIn) -> Result<(Uuid, SessionToken), SsoError> {
        let token = SessionToken::new();
        let key = token.key();
        let mut admission = Admission {
            user: Uuid::nil(),
            new_account: None,
            link: None,
            invitation: None,
            session: key.as_bytes(),
            issuer: &who.issuer,
            subject: &who.subject,
            sid: who.sid.as_deref(),
            id_token: &who.id_token,
            now: Utc::now(),
        };
        let name = who.name.clone().unwrap_or_default();
        // A new account's email and agency, to take up invitations onto plans.
        let mut joining = None;
        match self.store.linked_account(&who.issuer, &who.subject).await? {
            Some((_, true)) => return Err(SsoError::Disabled),
            Some((user, false)) => admission.user = user,
            None => {
                let email = who
                    .email
                    .as_deref()
                    .filter(|_| who.email_verified)
                    .ok_or_else(|| SsoError::NotInvited("no verified email".into()))?;
                let agency = self
                    .accounts
                    .agency_named(&provider.config.agency)
                    .await?
                    .ok_or_else(|| SsoError::Refused(format!("no agency named {:?}", provider.config.agency)))?;
                let existing = self.store.user_by_email(email).await?;
                let invited = self.store.invitation(email, agency.id).await?;
                // An LRO's invitation onto a plan lets someone new in too.
                let onto_a_plan =
                    existing.is_none() && invited.is_none() && self.store.invited_to_a_plan(email, agency.id).await?;
                let (user, invitation, new) = match (invited, existing) {
                    // An administrator linked this existing account.
                    (Some(inv), Some(user)) if inv.user_id == Some(user.id) => {
                        if user.disabled {
                            return Err(SsoError::Disabled);
                        }
                        (user.id, Some(inv.id), false)
                    }
                    // Someone holds the email but was never linked to this
                    // provider: an email alone never matches an account.
                    (_, Some(user)) => return Err(SsoError::NotLinked(user.email)),
                    (Some(inv), None) if inv.user_id.is_none() => (Uuid::new_v4(), Some(inv.id), true),
                    (None, None) if provider.config.automatic_accounts || onto_a_plan => (Uuid::new_v4(), None, true),
                    _ => return Err(SsoError::NotInvited(email.to_string())),
                };
                admission.user = user;
                admission.invitation = invitation;
                if new {
                    joining = Some((email.to_string(), agency.id));
                    let name = name.trim();
                    admission.new_account = Some(NewAccount {
                        id: user,
                        email,
                        name: if name.is_empty() { email } else { name },
                        agency_id: agency.id,
                    });
                }
                admission.link = Some((&who.issuer, &who.subject, &provider.config.id));
            }
        }
        self.store.admit(&admission).await?;
        if let Some((email, agency)) = joining {
            // The sign-in stands even if this fails: the invitations stay
            // open, and the LRO can add the new account by email.
            match self.memberships.join_invited(admission.user, &email, agency).await {
                Ok(plans) => tracing::info!(user = %admission.user, plans, "joined the plans invited to"),
                Err(e) => tracing::error!(user = %admission.user, error = %e, "taking up invitations onto plans"),
            }
        }
        tracing::info!(user = %admission.user, provider = %provider.config.id,
            first = admission.link.is_some(), "signed in through a provider");
        Ok((admission.user, token))
    }
}

fn hash(secret: &str) -> Vec<u8> {
    Sha256::digest(secret.as_bytes()).to_vec()
}
