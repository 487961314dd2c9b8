//! Leaving is followed: the provider's back-channel logout token ends the
//! sessions it names here; logging out here signs out at the provider too.

use super::{logout_token, token_claims, Sso, SsoError};
use crate::accounts::SessionToken;
use chrono::Utc;

impl Sso {
    /// Acts on a back-channel logout token: ends the sessions it names
    /// (their connections close with 4401). The number ended.
    pub async fn back_channel_logout(&self, jwt: &str) -> Result<usize, SsoError> {
        let issuer = token_claims::split(jwt)
            .ok()
            .and_then(|p| p.payload["iss"].as_str().map(str::to_string))
            .ok_or_else(|| SsoError::Refused("an unreadable logout token".into()))?;
        let provider = self
            .providers
            .iter()
            .find(|p| p.config.issuer == issuer)
            .ok_or_else(|| SsoError::Refused(format!("a logout token from {issuer:?}, no provider of ours")))?;
        let now = Utc::now();
        let check = |keys: &_| logout_token::check(jwt, keys, &issuer, &provider.config.client_id, now);
        let logout = match check(&provider.keys(false).await?) {
            Err(logout_token::Refused::UnknownKey) => check(&provider.keys(true).await?),
            other => other,
        }
        .map_err(|refused| SsoError::Refused(format!("logout token: {refused:?}")))?;
        let forget = (now - logout_token::MAX_AGE * 2).timestamp_millis();
        if !self
            .store
            .first_sight_of(&issuer, &logout.jti, now.timestamp_millis(), forget)
            .await?
        {
            return Err(SsoError::Refused("a logout token already used".into()));
        }
        let sessions = self
            .store
            .provider_sessions(&issuer, logout.sub.as_deref(), logout.sid.as_deref())
            .await?;
        let ended = sessions.len();
        self.accounts.end_sessions(sessions).await?;
        tracing::info!(provider = %provider.config.id, ended, "back-channel logout");
        Ok(ended)
    }

    /// Where to send the browser to sign out at the provider too, for a
    /// session that signed in through one that says how. Read before the
    /// session ends.
    pub async fn sign_out_url(&self, session: &SessionToken, back_to: &str) -> Option<String> {
        let (issuer, id_token) = self.store.session_id_token(session.key().as_bytes()).await.ok()??;
        let provider = self.providers.iter().find(|p| p.config.issuer == issuer)?;
        let end = provider.end_session_url().await?;
        let mut url = end.url().clone();
        url.query_pairs_mut()
            .append_pair("id_token_hint", &id_token)
            .append_pair("client_id", &provider.config.client_id)
            .append_pair("post_logout_redirect_uri", back_to);
        Some(url.to_string())
    }
}
