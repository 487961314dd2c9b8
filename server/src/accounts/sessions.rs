//! Log-in sessions: their tokens, how long they last, and how a request or
//! an open connection knows one.

use super::User;
use chrono::{DateTime, Utc};
use sha2::{Digest, Sha256};
use std::time::Duration;

/// How long sessions last.
#[derive(Debug, Clone, Copy)]
pub struct SessionPolicy {
    /// Ended after this long without a request (or a websocket message).
    pub idle: Duration,
    /// Ended this long after log-in, however active.
    pub lifetime: Duration,
}

impl SessionPolicy {
    /// How often an open connection's activity is written to its session's
    /// last-seen time: once a minute, or more often when the idle timeout
    /// is short, so activity always lands well within it.
    pub fn touch_every(&self) -> Duration {
        (self.idle / 4).min(Duration::from_secs(60))
    }
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
    pub(crate) fn new() -> Self {
        use base64::Engine;
        use rand::RngCore;
        let mut bytes = [0u8; 32];
        rand::rng().fill_bytes(&mut bytes);
        SessionToken(base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes))
    }

    /// What the database keeps instead of the token.
    pub fn key(&self) -> SessionKey {
        SessionKey(Sha256::digest(self.0.as_bytes()).to_vec())
    }
}

/// Names a session without being able to log in with it: the SHA-256 of
/// its token, as stored.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct SessionKey(pub(super) Vec<u8>);

impl SessionKey {
    pub fn as_bytes(&self) -> &[u8] {
        &self.0
    }
}

/// A live session, as a request found it.
#[derive(Debug, Clone)]
pub struct LiveSession {
    pub user: User,
    pub key: SessionKey,
    pub created_at: DateTime<Utc>,
    pub last_seen_at: DateTime<Utc>,
}

/// Why a session ended, as its open connections are told.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum SessionEnd {
    #[error("you logged out; log in again to go on")]
    LoggedOut,
    #[error("your session ended after too long without activity; log in again")]
    Idle,
    #[error("your session reached its time limit; log in again")]
    Lifetime,
    #[error("your session has ended; log in again")]
    Gone,
    #[error("your account has been disabled")]
    Disabled,
    #[error("your password was changed; log in again with the new one")]
    PasswordChanged,
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
        assert_eq!(policy.touch_every(), Duration::from_secs(60));
        let short = SessionPolicy {
            idle: Duration::from_secs(2),
            ..policy
        };
        assert_eq!(short.touch_every(), Duration::from_millis(500));
    }

    #[test]
    fn tokens_are_random_and_only_their_hash_is_kept() {
        let (a, b) = (SessionToken::new(), SessionToken::new());
        assert_ne!(a, b);
        assert_eq!(a.0.len(), 43);
        assert_eq!(a.key().as_bytes().len(), 32);
        assert_ne!(a.key().as_bytes(), a.0.as_bytes());
    }
}
