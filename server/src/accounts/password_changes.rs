//! Changing a password, logging out everywhere, and one-time reset links
//! issued by administrators. Whatever ends sessions here ends their open
//! connections too, on every node.

use super::session_watch::Ending;
use super::sessions::{SessionEnd, SessionKey, SessionToken};
use super::{password, AccountError, Accounts, LiveSession};
use chrono::{TimeDelta, Utc};
use uuid::Uuid;

/// How long a reset link can be used.
pub const RESET_LINK_LIFETIME: TimeDelta = TimeDelta::hours(1);

/// A reset link's secret, as issued (only its hash is kept).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResetToken(pub String);

impl Accounts {
    /// Changes the password of the session's user, who must give the
    /// current one, and ends every other session of theirs.
    pub async fn change_password(&self, session: &LiveSession, current: &str, new: &str) -> Result<(), AccountError> {
        password::check_new(new).map_err(AccountError::Invalid)?;
        let user = session.user.id;
        let hash = self.store.password_hash(user).await?;
        if !password::verify(current.to_string(), hash).await {
            return Err(AccountError::Invalid(
                "current password: that is not your password".into(),
            ));
        }
        if current == new {
            return Err(AccountError::Invalid(
                "new password: choose one you have not been using".into(),
            ));
        }
        let hash = password::hash(new.to_string()).await?;
        let ended = self
            .store
            .set_password(user, &hash, Some(session.key.as_bytes()))
            .await?
            .ok_or_else(|| AccountError::Invalid("user: no such active account".into()))?;
        self.sessions_ended(ended, SessionEnd::PasswordChanged);
        tracing::info!(%user, "password changed; other sessions ended");
        Ok(())
    }

    /// Ends every session of `user`, the one asking included.
    pub async fn log_out_everywhere(&self, user: Uuid) -> Result<(), AccountError> {
        let ended = self.store.end_sessions(user).await?;
        let count = ended.len();
        self.sessions_ended(ended, SessionEnd::LoggedOut);
        tracing::info!(%user, sessions = count, "logged out everywhere");
        Ok(())
    }

    /// Issues a one-time link for `user` to set a new password, good for
    /// [`RESET_LINK_LIFETIME`]; any earlier link of theirs stops working.
    pub async fn issue_reset_link(&self, user: Uuid) -> Result<ResetToken, AccountError> {
        if !self.store.users().await?.iter().any(|u| u.id == user && !u.disabled) {
            return Err(AccountError::Invalid("user: no such active account".into()));
        }
        let token = SessionToken::new();
        let now = Utc::now();
        let expires = now + RESET_LINK_LIFETIME;
        self.store
            .insert_reset(
                token.key().as_bytes(),
                user,
                expires.timestamp_millis(),
                now.timestamp_millis(),
            )
            .await?;
        Ok(ResetToken(token.0))
    }

    /// Sets a new password through a reset link, which is then used up;
    /// every session of the account ends.
    pub async fn reset_password(&self, token: &ResetToken, new: &str) -> Result<Uuid, AccountError> {
        // Checked first, so a refused password leaves the link usable.
        password::check_new(new).map_err(AccountError::Invalid)?;
        let hash = password::hash(new.to_string()).await?;
        let key = SessionToken(token.0.clone()).key();
        let (user, ended) = self
            .store
            .use_reset(key.as_bytes(), &hash, Utc::now().timestamp_millis())
            .await?
            .ok_or_else(|| {
                AccountError::Invalid(
                    "this reset link has expired or has been used; ask an administrator for a new one".into(),
                )
            })?;
        self.sessions_ended(ended, SessionEnd::PasswordChanged);
        tracing::info!(%user, "password reset through a link; sessions ended");
        Ok(user)
    }

    /// Tells the open connections of ended sessions, here and on every
    /// other node.
    fn sessions_ended(&self, keys: Vec<Vec<u8>>, why: SessionEnd) {
        use base64::Engine;
        for key in keys {
            self.others.publish(crate::cluster::Notice::SessionEnded {
                key: base64::engine::general_purpose::STANDARD.encode(&key),
            });
            let _ = self.endings.send(Ending::Ended(SessionKey(key), why));
        }
    }
}
