//! Logging in: a password check slowed by [`super::throttle`], whose counts
//! every node shares through the accounts store.

use super::credentials::StoredCount;
use super::throttle::{self, Count};
use super::{normalise_email, password, AccountError, Accounts, SessionToken, User};
use chrono::{DateTime, Utc};
use std::net::IpAddr;

impl Accounts {
    /// Checks an email and password from a client whose address is not
    /// known (tools and tests); such attempts share one address's count.
    pub async fn log_in(&self, email: &str, password: &str) -> Result<(User, SessionToken), AccountError> {
        self.log_in_from(email, password, None).await
    }

    /// Checks an email and password sent from `client`; starts a session.
    /// Refused without checking while a delay is owed for the email, the
    /// address or the two together.
    pub async fn log_in_from(
        &self,
        email: &str,
        password: &str,
        client: Option<IpAddr>,
    ) -> Result<(User, SessionToken), AccountError> {
        if !self.password_login {
            return Err(AccountError::PasswordsOff);
        }
        let email = normalise_email(email);
        let keys = throttle::keys(&email, client);
        let digests: Vec<Vec<u8>> = keys.iter().map(|(_, key)| key.clone()).collect();
        let stored = self.store.login_counts(&digests).await?;
        let counts: Vec<_> = keys
            .iter()
            .filter_map(|(scope, key)| stored.iter().find(|s| &s.key == key).map(|s| (*scope, count_from(s))))
            .collect();
        if let Some(wait) = self.throttle.wait(&counts, Utc::now()) {
            tracing::warn!(%email, ?client, ?wait, "log-in refused: too many failures");
            return Err(AccountError::TooManyAttempts(wait));
        }
        let found = self.store.credentials(&email).await?;
        let hash = found.as_ref().map(|c| c.password_hash.clone());
        let ok = password::verify(password.to_string(), hash).await;
        let Some(user) = found.filter(|_| ok).map(|c| c.user) else {
            let now = Utc::now();
            let forget_before = self.throttle.forgotten_before(now).timestamp_millis();
            self.store
                .record_login_failure(&digests, now.timestamp_millis(), forget_before)
                .await?;
            tracing::warn!(%email, ?client, "failed log-in");
            return Err(AccountError::BadCredentials);
        };
        // Only this email from this address starts afresh: clearing the
        // address's count would let someone who has an account reset it
        // between guesses at others.
        let pair = &keys[0].1;
        self.store.clear_login_failures(pair).await?;
        let token = SessionToken::new();
        self.store
            .insert_session(token.key().as_bytes(), user.id, Utc::now())
            .await?;
        tracing::info!(user = %user.id, "logged in");
        Ok((user, token))
    }
}

fn count_from(stored: &StoredCount) -> Count {
    Count {
        failures: u32::try_from(stored.failures).unwrap_or(u32::MAX),
        last_failure_at: DateTime::<Utc>::from_timestamp_millis(stored.last_failure_at).unwrap_or_default(),
    }
}
