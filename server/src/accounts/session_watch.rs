//! A session's open connections (websockets, the plans list's event
//! stream) last no longer than the session: a [`SessionWatch`] resolves
//! when its session ends, whether by log-out, idle timeout, lifetime or the
//! account being disabled.
//!
//! Log-outs, password changes and disabled accounts are broadcast to every watch, which picks
//! out its own. Timeouts are kept by each watch's timer: it sleeps until the
//! session's deadline (the earlier of idle and lifetime), then re-reads the
//! session, since another request of the same session may have kept it
//! going. A websocket's messages count as activity: the watch writes them to
//! the session's last-seen time at most every [`SessionPolicy::touch_every`]
//! (a minute), so a workshop typing for an hour stays logged in.

use super::sessions::{session_alive, LiveSession, SessionEnd, SessionKey, SessionPolicy};
use super::store::AccountStore;
use chrono::{DateTime, TimeDelta, Utc};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use tokio::sync::broadcast;
use tokio::time::Instant;
use uuid::Uuid;

/// What ended sessions, as told to every watch.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Ending {
    /// Logged out.
    Session(SessionKey),
    /// Ended for the reason given (e.g. the password was changed).
    Ended(SessionKey, SessionEnd),
    /// Every session of a disabled account.
    User(Uuid),
}

/// Marks activity on a connection; cheap enough to call on every message.
#[derive(Debug, Clone, Default)]
pub struct Activity(Arc<AtomicBool>);

impl Activity {
    pub fn mark(&self) {
        self.0.store(true, Ordering::Relaxed);
    }

    /// Whether there was activity since the last call.
    fn take(&self) -> bool {
        self.0.swap(false, Ordering::Relaxed)
    }
}

/// Watches one session for one connection; see the module docs.
pub struct SessionWatch {
    store: Arc<dyn AccountStore>,
    policy: SessionPolicy,
    session: LiveSession,
    endings: broadcast::Receiver<Ending>,
    activity: Activity,
}

/// What re-reading a session found.
enum Checked {
    Alive {
        last_seen_at: DateTime<Utc>,
    },
    Ended(SessionEnd),
    /// The store failed; try again later.
    Unknown,
}

impl SessionWatch {
    pub(super) fn new(
        store: Arc<dyn AccountStore>,
        policy: SessionPolicy,
        session: LiveSession,
        endings: broadcast::Receiver<Ending>,
    ) -> Self {
        SessionWatch {
            store,
            policy,
            session,
            endings,
            activity: Activity::default(),
        }
    }

    /// Where the connection marks its activity.
    pub fn activity(&self) -> Activity {
        self.activity.clone()
    }

    /// Resolves when the session ends, saying why.
    pub async fn ended(self) -> SessionEnd {
        let SessionWatch {
            store,
            policy,
            session,
            mut endings,
            activity,
        } = self;
        let delta = |d: std::time::Duration| TimeDelta::from_std(d).unwrap_or(TimeDelta::MAX);
        let lifetime_end = session.created_at + delta(policy.lifetime);
        let idle = delta(policy.idle);
        let mut last_seen_at = session.last_seen_at;
        let mut next_touch = Instant::now() + policy.touch_every();
        let mut listening = true;
        // The session may have ended between the request's check and now.
        let mut check_now = true;
        loop {
            if std::mem::take(&mut check_now) {
                match check(&*store, policy, &session.key).await {
                    Checked::Alive { last_seen_at: seen } => last_seen_at = last_seen_at.max(seen),
                    Checked::Ended(end) => return end,
                    Checked::Unknown => {
                        tokio::time::sleep(policy.touch_every()).await;
                        check_now = true;
                        continue;
                    }
                }
            }
            let deadline = lifetime_end.min(last_seen_at + idle);
            let until_deadline = (deadline - Utc::now()).to_std().unwrap_or_default();
            let wake = next_touch.min(Instant::now() + until_deadline);
            tokio::select! {
                _ = tokio::time::sleep_until(wake) => {
                    if Instant::now() >= next_touch {
                        next_touch = Instant::now() + policy.touch_every();
                        if activity.take() {
                            let now = Utc::now();
                            match store.touch_session(session.key.as_bytes(), now).await {
                                Ok(()) => last_seen_at = now,
                                Err(e) => tracing::warn!(error = ?e, "could not record a connection's activity"),
                            }
                        }
                    }
                    let now = Utc::now();
                    if now >= lifetime_end {
                        return SessionEnd::Lifetime;
                    }
                    check_now = now >= last_seen_at + idle;
                }
                ending = next_ending(&mut endings, listening) => match ending {
                    Ok(Ending::Session(key)) if key == session.key => return SessionEnd::LoggedOut,
                    Ok(Ending::Ended(key, why)) if key == session.key => return why,
                    Ok(Ending::User(user)) if user == session.user.id => return SessionEnd::Disabled,
                    Ok(_) => {}
                    // Ours may be among those missed.
                    Err(broadcast::error::RecvError::Lagged(_)) => check_now = true,
                    Err(broadcast::error::RecvError::Closed) => listening = false,
                },
            }
        }
    }
}

async fn next_ending(
    endings: &mut broadcast::Receiver<Ending>,
    listening: bool,
) -> Result<Ending, broadcast::error::RecvError> {
    if listening {
        endings.recv().await
    } else {
        std::future::pending().await
    }
}

/// Re-reads the session; ends it (as any request would) if it is over.
async fn check(store: &dyn AccountStore, policy: SessionPolicy, key: &SessionKey) -> Checked {
    match store.session(key.as_bytes()).await {
        Ok(None) => Checked::Ended(SessionEnd::Gone),
        Ok(Some(found)) => {
            let now = Utc::now();
            if session_alive(policy, found.created_at, found.last_seen_at, now) {
                return Checked::Alive {
                    last_seen_at: found.last_seen_at,
                };
            }
            if let Err(e) = store.delete_session(key.as_bytes()).await {
                tracing::warn!(error = ?e, "could not delete an ended session");
            }
            let too_old = !session_alive(policy, found.created_at, now, now);
            Checked::Ended(if too_old {
                SessionEnd::Lifetime
            } else {
                SessionEnd::Idle
            })
        }
        Err(e) => {
            tracing::warn!(error = ?e, "could not check a connection's session");
            Checked::Unknown
        }
    }
}
