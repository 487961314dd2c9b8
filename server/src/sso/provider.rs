//! One configured identity provider as the relying party talks to it:
//! its discovered metadata and signing keys (fetched when first needed and
//! fetched again when a token names a key not yet seen: key rotation), the
//! authorization request, and the code exchange with the ID token checked
//! in full by `openidconnect`.

use super::config::ProviderConfig;
use super::error::SsoError;
use super::token_claims;
use chrono::{DateTime, Duration as Span, Utc};
use openidconnect::core::{CoreAuthenticationFlow, CoreClient, CoreIdToken, CoreJwsSigningAlgorithm};
use openidconnect::reqwest;
use openidconnect::{
    AuthorizationCode, ClaimsVerificationError, ClientId, ClientSecret, CsrfToken, IssuerUrl, JsonWebKeySet, Nonce,
    PkceCodeChallenge, PkceCodeVerifier, ProviderMetadataWithLogout, RedirectUrl, Scope, SignatureVerificationError,
    TokenResponse,
};
use std::time::{Duration, Instant};
use tokio::sync::Mutex;

/// Clock difference tolerated between Pillars and a provider.
pub const CLOCK_SKEW: Span = Span::seconds(60);
/// An ID token issued longer ago than this is stale, whatever its `exp`.
const MAX_TOKEN_AGE: Span = Span::minutes(10);
/// A provider's keys are fetched again at most this often, so a stream of
/// tokens naming unknown keys cannot make Pillars hammer the provider.
const KEYS_AT_MOST_EVERY: Duration = Duration::from_secs(10);

/// Who the provider says signed in.
#[derive(Debug, Clone)]
pub struct SignedIn {
    pub issuer: String,
    /// The provider's lasting name for the person: `sub`, or `tid:oid`.
    pub subject: String,
    pub email: Option<String>,
    pub email_verified: bool,
    pub name: Option<String>,
    /// The provider's session, for back-channel log-out by session.
    pub sid: Option<String>,
    /// The ID token as received, to hint with at RP-initiated log-out.
    pub id_token: String,
}

/// What an authorization request leaves to check its answer with.
pub struct Started {
    pub url: openidconnect::url::Url,
    pub state: CsrfToken,
    pub nonce: Nonce,
    pub verifier: PkceCodeVerifier,
}

pub struct Provider {
    pub config: ProviderConfig,
    redirect: RedirectUrl,
    http: reqwest::Client,
    discovered: Mutex<Discovered>,
}

/// What is known of the provider: its metadata (with its keys), and when
/// the keys were last fetched again for an unknown key.
#[derive(Default)]
struct Discovered {
    metadata: Option<ProviderMetadataWithLogout>,
    keys_refetched: Option<Instant>,
}

impl Provider {
    pub fn new(config: ProviderConfig, redirect: RedirectUrl, http: reqwest::Client) -> Provider {
        Provider {
            config,
            redirect,
            http,
            discovered: Mutex::new(Discovered::default()),
        }
    }

    /// The provider's metadata, discovered on first use.
    pub async fn metadata(&self) -> Result<ProviderMetadataWithLogout, SsoError> {
        let mut held = self.discovered.lock().await;
        if let Some(metadata) = &held.metadata {
            return Ok(metadata.clone());
        }
        let issuer = IssuerUrl::new(self.config.issuer.clone()).map_err(|e| self.unavailable(e))?;
        let metadata = ProviderMetadataWithLogout::discover_async(issuer, &self.http)
            .await
            .map_err(|e| self.unavailable(e))?;
        held.metadata = Some(metadata.clone());
        Ok(metadata)
    }

    /// The metadata with its keys fetched again (unless they were moments
    /// ago): a token named a key the provider has rotated in.
    pub async fn metadata_with_fresh_keys(&self) -> Result<ProviderMetadataWithLogout, SsoError> {
        let metadata = self.metadata().await?;
        let mut held = self.discovered.lock().await;
        if held.keys_refetched.is_some_and(|at| at.elapsed() < KEYS_AT_MOST_EVERY) {
            return Ok(metadata);
        }
        let keys = JsonWebKeySet::fetch_async(metadata.jwks_uri(), &self.http)
            .await
            .map_err(|e| self.unavailable(e))?;
        let metadata = metadata.set_jwks(keys);
        held.metadata = Some(metadata.clone());
        held.keys_refetched = Some(Instant::now());
        tracing::info!(provider = %self.config.id, "fetched the provider's signing keys again");
        Ok(metadata)
    }

    fn client(&self, metadata: ProviderMetadataWithLogout) -> SsoClient {
        CoreClient::from_provider_metadata(
            metadata,
            ClientId::new(self.config.client_id.clone()),
            Some(ClientSecret::new(self.config.client_secret.clone())),
        )
        .set_redirect_uri(self.redirect.clone())
    }

    /// Where to send the browser: the authorization code flow with PKCE
    /// (S256), a fresh `state` and `nonce`.
    pub async fn start(&self) -> Result<Started, SsoError> {
        let client = self.client(self.metadata().await?);
        let (challenge, verifier) = PkceCodeChallenge::new_random_sha256();
        let (url, state, nonce) = client
            .authorize_url(
                CoreAuthenticationFlow::AuthorizationCode,
                CsrfToken::new_random,
                Nonce::new_random,
            )
            .add_scope(Scope::new("email".into()))
            .add_scope(Scope::new("profile".into()))
            .set_pkce_challenge(challenge)
            .url();
        Ok(Started {
            url,
            state,
            nonce,
            verifier,
        })
    }

    /// Exchanges the code and checks the ID token: signature against the
    /// provider's keys (fetched again once for a key not seen), `iss`,
    /// `aud`, `exp` and `iat` (with [`CLOCK_SKEW`]) and `nonce`.
    pub async fn finish(&self, code: String, verifier: PkceCodeVerifier, nonce: &Nonce) -> Result<SignedIn, SsoError> {
        let client = self.client(self.metadata().await?);
        let answer = client
            .exchange_code(AuthorizationCode::new(code))
            .map_err(|e| self.unavailable(e))?
            .set_pkce_verifier(verifier)
            .request_async(&self.http)
            .await
            .map_err(|e| SsoError::Refused(format!("the code exchange failed: {e}")))?;
        let token = answer
            .id_token()
            .ok_or_else(|| SsoError::Refused("the provider sent no ID token".into()))?;
        match self.check(&client, token, nonce) {
            Err(ClaimsVerificationError::SignatureVerification(SignatureVerificationError::NoMatchingKey)) => {
                let client = self.client(self.metadata_with_fresh_keys().await?);
                self.check(&client, token, nonce)
            }
            checked => checked,
        }
        .map_err(|e| SsoError::Refused(format!("the ID token is not valid: {e}")))?;
        let claims = token_claims::read(&token.to_string())?;
        let (subject, email, email_verified) = match self.config.kind {
            super::config::ProviderKind::Standard => (claims.sub.clone(), claims.email, claims.email_verified),
            // Entra sends no `email_verified`. Its sign-in name (UPN) is
            // set by the tenant's administrators (the issuer is the
            // tenant's own), and `email` counts where its domain is the
            // tenant's verified one (optional claim `xms_edov`).
            super::config::ProviderKind::Entra => {
                let (Some(tid), Some(oid)) = (&claims.tid, &claims.oid) else {
                    return Err(SsoError::Refused("an Entra ID token without tid and oid".into()));
                };
                let email = match claims.email {
                    Some(email) if claims.xms_edov => Some(email),
                    _ => claims.preferred_username.filter(|u| u.contains('@')),
                };
                (format!("{tid}:{oid}"), email.clone(), email.is_some())
            }
        };
        Ok(SignedIn {
            issuer: self.config.issuer.clone(),
            subject,
            email: email.map(|e| e.trim().to_lowercase()),
            email_verified,
            name: claims.name,
            sid: claims.sid,
            id_token: token.to_string(),
        })
    }

    fn check(&self, client: &SsoClient, token: &CoreIdToken, nonce: &Nonce) -> Result<(), ClaimsVerificationError> {
        let verifier = client
            .id_token_verifier()
            .set_allowed_algs([CoreJwsSigningAlgorithm::RsaSsaPkcs1V15Sha256])
            // `exp` is compared with this time: a token is still taken for
            // CLOCK_SKEW after it expired, for clocks a little apart.
            .set_time_fn(|| Utc::now() - CLOCK_SKEW)
            .set_issue_time_verifier_fn(issued_recently);
        token.claims(&verifier, nonce).map(drop)
    }

    fn unavailable(&self, e: impl std::fmt::Display) -> SsoError {
        SsoError::Unavailable {
            provider: self.config.name.clone(),
            why: e.to_string(),
        }
    }

    /// Where the provider ends its own session (RP-initiated log-out), if
    /// it says.
    pub async fn end_session_url(&self) -> Option<openidconnect::EndSessionUrl> {
        let metadata = self.metadata().await.ok()?;
        metadata.additional_metadata().end_session_endpoint.clone()
    }

    /// The provider's signing keys, for checking a logout token.
    pub async fn keys(&self, fresh: bool) -> Result<JsonWebKeySet<openidconnect::core::CoreJsonWebKey>, SsoError> {
        let metadata = if fresh {
            self.metadata_with_fresh_keys().await?
        } else {
            self.metadata().await?
        };
        Ok(metadata.jwks().clone())
    }
}

type SsoClient = CoreClient<
    openidconnect::EndpointSet,
    openidconnect::EndpointNotSet,
    openidconnect::EndpointNotSet,
    openidconnect::EndpointNotSet,
    openidconnect::EndpointMaybeSet,
    openidconnect::EndpointMaybeSet,
>;

/// An `iat` neither in the future nor long past (both with the skew).
fn issued_recently(iat: DateTime<Utc>) -> Result<(), String> {
    let now = Utc::now();
    if iat > now + CLOCK_SKEW {
        Err(format!("issued in the future ({iat})"))
    } else if iat < now - MAX_TOKEN_AGE - CLOCK_SKEW {
        Err(format!("issued too long ago ({iat})"))
    } else {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_token_must_be_issued_recently() {
        assert!(issued_recently(Utc::now()).is_ok());
        assert!(
            issued_recently(Utc::now() + Span::seconds(30)).is_ok(),
            "within the skew"
        );
        assert!(issued_recently(Utc::now() + Span::minutes(5)).is_err());
        assert!(issued_recently(Utc::now() - Span::hours(1)).is_err());
    }
}
