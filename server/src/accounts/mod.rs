//! Accounts: agencies, users (argon2id passwords) and log-in sessions with
//! an idle timeout and an absolute lifetime. Failed log-ins are rate
//! limited per email.

pub mod limiter;
pub mod password;
pub mod store;

use chrono::{DateTime, Utc};
use limiter::LoginLimiter;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use store::AccountStore;
use uuid::Uuid;

/// An organisation taking part in plans.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Agency {
    pub id: Uuid,
    pub name: String,
    /// e.g. "Police force", "ROCU", "Local authority", "HMRC".
    pub kind: String,
}

/// Someone who can log in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct User {
    pub id: Uuid,
    pub email: String,
    pub name: String,
    pub agency_id: Uuid,
    /// The agency's name.
    pub agency: String,
    pub is_admin: bool,
    /// Disabled accounts cannot log in; they stay for the audit trail.
    pub disabled: bool,
}

/// What it takes to add a user.
#[derive(Debug, Clone)]
pub struct NewUser {
    pub email: String,
    pub name: String,
    pub agency_id: Uuid,
    pub password: String,
    pub is_admin: bool,
}

#[derive(Debug, thiserror::Error)]
pub enum AccountError {
    /// Wrong email or password (never says which).
    #[error("the email or password is not right")]
    BadCredentials,
    #[error("too many failed log-ins for this email; try again in {} minutes", .0.as_secs().div_ceil(60))]
    TooManyAttempts(Duration),
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

/// How long sessions last.
#[derive(Debug, Clone, Copy)]
pub struct SessionPolicy {
    /// Ended after this long without a request.
    pub idle: Duration,
    /// Ended this long after log-in, however active.
    pub lifetime: Duration,
}

/// Whether a session is still good at `now`.
pub fn session_alive(
    policy: SessionPolicy,
    created: DateTime<Utc>,
    last_seen: DateTime<Utc>,
    now: DateTime<Utc>,
) -> bool {
    let within = |since: DateTime<Utc>, limit: Duration| (now - since).to_std().map_or(true, |age| age < limit);
    within(last_seen, policy.idle) && within(created, policy.lifetime)
}

/// The secret a session cookie carries.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionToken(pub String);

impl SessionToken {
    fn new() -> Self {
        use base64::Engine;
        use rand::RngCore;
        let mut bytes = [0u8; 32];
        rand::rng().fill_bytes(&mut bytes);
        SessionToken(base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes))
    }

    /// What the database keeps instead of the token.
    fn hash(&self) -> Vec<u8> {
        Sha256::digest(self.0.as_bytes()).to_vec()
    }
}

/// The accounts service. Cheap to clone.
#[derive(Clone)]
pub struct Accounts {
    store: Arc<dyn AccountStore>,
    policy: SessionPolicy,
    limiter: Arc<Mutex<LoginLimiter>>,
}

fn normalise_email(email: &str) -> String {
    email.trim().to_lowercase()
}

impl Accounts {
    pub fn new(store: Arc<dyn AccountStore>, policy: SessionPolicy) -> Self {
        Accounts {
            store,
            policy,
            limiter: Arc::default(),
        }
    }

    pub fn policy(&self) -> SessionPolicy {
        self.policy
    }

    /// Adds an agency; its name must be new (whatever the case).
    pub async fn create_agency(&self, name: &str, kind: &str) -> Result<Agency, AccountError> {
        let name = name.trim();
        if name.is_empty() || name.chars().count() > 200 {
            return Err(AccountError::Invalid(
                "agency: give a name of 1 to 200 characters".into(),
            ));
        }
        let agency = Agency {
            id: Uuid::new_v4(),
            name: name.to_string(),
            kind: kind.trim().to_string(),
        };
        match self.store.insert_agency(&agency).await? {
            Some(()) => Ok(agency),
            None => Err(AccountError::Invalid(format!("agency: {name:?} already exists"))),
        }
    }

    pub async fn agencies(&self) -> Result<Vec<Agency>, AccountError> {
        Ok(self.store.agencies().await?)
    }

    /// Disables an account: no more log-ins, its sessions end at once.
    pub async fn disable_user(&self, user: Uuid) -> Result<(), AccountError> {
        if !self.store.disable_user(user, Utc::now()).await? {
            return Err(AccountError::Invalid("user: no such active account".into()));
        }
        tracing::info!(%user, "account disabled");
        Ok(())
    }

    pub async fn users(&self) -> Result<Vec<User>, AccountError> {
        Ok(self.store.users().await?)
    }

    pub async fn agency_named(&self, name: &str) -> Result<Option<Agency>, AccountError> {
        Ok(self.store.agency_by_name(name).await?)
    }

    /// Adds a user; the email must be new and the password long enough.
    pub async fn create_user(&self, new: NewUser) -> Result<User, AccountError> {
        let email = normalise_email(&new.email);
        let name = new.name.trim();
        if !email.contains('@') || email.len() > 254 {
            return Err(AccountError::Invalid("email: give an email address".into()));
        }
        if name.is_empty() || name.chars().count() > 200 {
            return Err(AccountError::Invalid("name: give a name of 1 to 200 characters".into()));
        }
        if new.password.chars().count() < password::MIN_LENGTH {
            return Err(AccountError::Invalid(format!(
                "password: use at least {} characters",
                password::MIN_LENGTH
            )));
        }
        let agency = self
            .store
            .agencies()
            .await?
            .into_iter()
            .find(|a| a.id == new.agency_id)
            .ok_or_else(|| AccountError::Invalid("agency: no such agency".into()))?;
        let user = User {
            id: Uuid::new_v4(),
            email,
            name: name.to_string(),
            agency_id: agency.id,
            agency: agency.name,
            is_admin: new.is_admin,
            disabled: false,
        };
        let hash = password::hash(new.password).await?;
        match self.store.insert_user(&user, &hash).await? {
            Some(()) => Ok(user),
            None => Err(AccountError::Invalid(format!(
                "email: {} already has an account",
                user.email
            ))),
        }
    }

    /// Checks an email and password; starts a session.
    pub async fn log_in(&self, email: &str, password: &str) -> Result<(User, SessionToken), AccountError> {
        let email = normalise_email(email);
        self.limiter
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .check(&email, Instant::now())
            .map_err(AccountError::TooManyAttempts)?;
        let found = self.store.credentials(&email).await?;
        let hash = found.as_ref().map(|c| c.password_hash.clone());
        let ok = password::verify(password.to_string(), hash).await;
        let user = {
            let mut limiter = self.limiter.lock().unwrap_or_else(|e| e.into_inner());
            match (ok, found) {
                (true, Some(found)) => {
                    limiter.succeeded(&email);
                    Some(found.user)
                }
                _ => {
                    limiter.failed(&email, Instant::now());
                    None
                }
            }
        };
        let Some(user) = user else {
            tracing::warn!(%email, "failed log-in");
            return Err(AccountError::BadCredentials);
        };
        let token = SessionToken::new();
        self.store.insert_session(&token.hash(), user.id, Utc::now()).await?;
        tracing::info!(user = %user.id, "logged in");
        Ok((user, token))
    }

    /// The user of a live session (and marks it used), or `None`.
    pub async fn session(&self, token: &SessionToken) -> Result<Option<User>, AccountError> {
        let hash = token.hash();
        let Some(session) = self.store.session(&hash).await? else {
            return Ok(None);
        };
        let now = Utc::now();
        if !session_alive(self.policy, session.created_at, session.last_seen_at, now) {
            self.store.delete_session(&hash).await?;
            return Ok(None);
        }
        self.store.touch_session(&hash, now).await?;
        Ok(Some(session.user))
    }

    pub async fn log_out(&self, token: &SessionToken) -> Result<(), AccountError> {
        Ok(self.store.delete_session(&token.hash()).await?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sessions_end_when_idle_or_too_old() {
        let policy = SessionPolicy {
            idle: Duration::from_secs(30 * 60),
            lifetime: Duration::from_secs(12 * 3600),
        };
        let start: DateTime<Utc> = "2026-11-22T08:00:00Z".parse().unwrap();
        let at = |s: &str| s.parse::<DateTime<Utc>>().unwrap();
        assert!(session_alive(policy, start, start, at("2026-11-22T08:29:59Z")));
        assert!(!session_alive(policy, start, start, at("2026-11-22T08:30:00Z")), "idle");
        let busy = at("2026-11-22T19:59:00Z");
        assert!(session_alive(policy, start, busy, at("2026-11-22T19:59:30Z")));
        assert!(
            !session_alive(policy, start, busy, at("2026-11-22T20:00:00Z")),
            "too old"
        );
    }

    #[test]
    fn tokens_are_random_and_only_their_hash_is_kept() {
        let (a, b) = (SessionToken::new(), SessionToken::new());
        assert_ne!(a, b);
        assert_eq!(a.0.len(), 43);
        assert_eq!(a.hash().len(), 32);
        assert_ne!(a.hash(), a.0.as_bytes());
    }
}
