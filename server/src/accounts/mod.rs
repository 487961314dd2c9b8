//! Accounts: agencies, users (argon2id passwords) and log-in sessions with
//! an idle timeout and an absolute lifetime, which end the connections
//! opened in them too ([`session_watch`]). Failed log-ins are slowed
//! ([`throttle`]); passwords are changed, reset through one-time links and
//! checked against the commonest ([`password_changes`], [`password`]).

mod admin;
mod agencies_and_users;
pub mod client_address;
pub mod common_passwords;
pub mod cookie;
pub mod credentials;
mod error;
mod log_in;
pub mod password;
pub mod password_changes;
pub mod routes;
pub mod session_store;
pub mod session_watch;
pub mod sessions;
pub mod store;
pub mod throttle;
mod user_rows;

pub use agencies_and_users::{Agency, NewUser, User};
pub use error::AccountError;
pub use routes::router;

use app::admin::AccountFlag;
use chrono::Utc;
use cookie::SessionCookie;
use session_watch::{Ending, SessionWatch};
pub use sessions::{session_alive, LiveSession, SessionEnd, SessionKey, SessionPolicy, SessionToken};
use std::sync::Arc;
use store::AccountStore;
use tokio::sync::broadcast;
use uuid::Uuid;

/// The accounts service. Cheap to clone.
#[derive(Clone)]
pub struct Accounts {
    store: Arc<dyn AccountStore>,
    policy: SessionPolicy,
    /// How failed log-ins are slowed.
    throttle: throttle::Policy,
    /// Tells open connections whose session ended.
    endings: broadcast::Sender<Ending>,
    /// Tells other server nodes' connections too.
    others: crate::cluster::Publisher,
    /// Closes a disabled account's open plan connections at once.
    open_plans: Option<Arc<dyn OpenPlans>>,
    cookie: SessionCookie,
    /// Whether log-ins are counted by the address a proxy forwards.
    trust_forwarded_for: bool,
    /// Whether people may log in with a password (else only through an
    /// identity provider).
    password_login: bool,
}

/// Where a disabled account's open plan connections are closed (the
/// rooms, which sit above accounts, so they are handed down).
#[async_trait::async_trait]
pub trait OpenPlans: Send + Sync + 'static {
    async fn user_disabled(&self, user: Uuid);
}

fn normalise_email(email: &str) -> String {
    email.trim().to_lowercase()
}

impl Accounts {
    pub fn new(store: Arc<dyn AccountStore>, policy: SessionPolicy) -> Self {
        Accounts {
            store,
            policy,
            throttle: throttle::Policy::default(),
            // Log-outs are rare; a watch that falls behind re-reads its session.
            endings: broadcast::channel(64).0,
            others: crate::cluster::Publisher::none(),
            open_plans: None,
            cookie: SessionCookie::default(),
            trust_forwarded_for: false,
            password_login: true,
        }
    }

    /// Sets its session cookie as `cookie` says, and counts failed log-ins
    /// by the forwarded address if `trust_forwarded_for`.
    pub fn served_with(mut self, cookie: SessionCookie, trust_forwarded_for: bool) -> Self {
        self.cookie = cookie;
        self.trust_forwarded_for = trust_forwarded_for;
        self
    }

    /// Refuses password log-ins unless `allowed` (`PILLARS_PASSWORD_LOGIN`).
    pub fn with_password_login(mut self, allowed: bool) -> Self {
        self.password_login = allowed;
        self
    }

    /// Disabling an account closes its open plan connections through `open`.
    pub fn closing_plans_with(mut self, open: Arc<dyn OpenPlans>) -> Self {
        self.open_plans = Some(open);
        self
    }

    /// The session cookie this server sets.
    pub fn cookie(&self) -> SessionCookie {
        self.cookie
    }

    /// The address failed log-ins from this request are counted by.
    pub fn client_of(&self, request: &axum::http::request::Parts) -> Option<std::net::IpAddr> {
        let peer = request
            .extensions
            .get::<axum::extract::ConnectInfo<std::net::SocketAddr>>()
            .map(|info| info.0);
        client_address::client_address(peer, &request.headers, self.trust_forwarded_for)
    }

    /// Ended sessions that other server nodes hear of too.
    pub fn published_by(mut self, others: crate::cluster::Publisher) -> Self {
        self.others = others;
        self
    }

    /// Another node disabled `user`: their connections here end too.
    pub fn user_disabled_elsewhere(&self, user: Uuid) {
        let _ = self.endings.send(Ending::User(user));
    }

    /// Another node logged a session out: its connections here end too.
    pub fn logged_out_elsewhere(&self, key: Vec<u8>) {
        let _ = self.endings.send(Ending::Session(SessionKey(key)));
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
        let _ = self.endings.send(Ending::User(user));
        if let Some(open) = &self.open_plans {
            open.user_disabled(user).await;
        }
        self.others.publish(crate::cluster::Notice::UserDisabled { user });
        tracing::info!(%user, "account disabled");
        Ok(())
    }

    /// Grants `user` a flag (`on`), or withdraws it.
    pub async fn set_flag(&self, user: Uuid, flag: AccountFlag, on: bool) -> Result<(), AccountError> {
        if !self.store.set_flag(user, flag, on).await? {
            return Err(AccountError::Invalid("user: no such account".into()));
        }
        Ok(())
    }

    pub async fn users(&self) -> Result<Vec<User>, AccountError> {
        Ok(self.store.users().await?)
    }

    pub async fn agency_named(&self, name: &str) -> Result<Option<Agency>, AccountError> {
        Ok(self.store.agency_by_name(name).await?)
    }

    /// Adds a user; the email must be new and the password long and
    /// uncommon enough.
    pub async fn create_user(&self, new: NewUser) -> Result<User, AccountError> {
        let email = normalise_email(&new.email);
        let name = new.name.trim();
        if !email.contains('@') || email.len() > 254 {
            return Err(AccountError::Invalid("email: give an email address".into()));
        }
        if name.is_empty() || name.chars().count() > 200 {
            return Err(AccountError::Invalid("name: give a name of 1 to 200 characters".into()));
        }
        password::check_new(&new.password).map_err(AccountError::Invalid)?;
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
            strategic_lead: new.strategic_lead,
            may_lead_plans: new.may_lead_plans,
            auditor: new.auditor,
            disabled: false,
            vetting_officer: false,
            vetting: Default::default(),
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

    /// The user of a live session (and marks it used), or `None`.
    pub async fn session(&self, token: &SessionToken) -> Result<Option<User>, AccountError> {
        Ok(self.live_session(token).await?.map(|s| s.user))
    }

    /// A live session (marked used), or `None`.
    pub async fn live_session(&self, token: &SessionToken) -> Result<Option<LiveSession>, AccountError> {
        let key = token.key();
        let Some(session) = self.store.session(key.as_bytes()).await? else {
            return Ok(None);
        };
        let now = Utc::now();
        if !session_alive(self.policy, session.created_at, session.last_seen_at, now) {
            self.store.delete_session(key.as_bytes()).await?;
            return Ok(None);
        }
        self.store.touch_session(key.as_bytes(), now).await?;
        Ok(Some(LiveSession {
            user: session.user,
            key,
            created_at: session.created_at,
            last_seen_at: now,
        }))
    }

    /// Ends the session; its open connections are told at once.
    pub async fn log_out(&self, token: &SessionToken) -> Result<(), AccountError> {
        self.end_session(token.key()).await
    }

    async fn end_session(&self, key: SessionKey) -> Result<(), AccountError> {
        self.store.delete_session(key.as_bytes()).await?;
        use base64::Engine;
        self.others.publish(crate::cluster::Notice::SessionEnded {
            key: base64::engine::general_purpose::STANDARD.encode(key.as_bytes()),
        });
        let _ = self.endings.send(Ending::Session(key));
        Ok(())
    }

    /// Ends sessions named by their keys (the SHA-256 of their tokens), as
    /// an identity provider's back-channel logout asks: as if each logged
    /// out, on every node.
    pub async fn end_sessions(&self, keys: Vec<Vec<u8>>) -> Result<(), AccountError> {
        for key in keys {
            self.end_session(SessionKey(key)).await?;
        }
        Ok(())
    }

    /// Watches `session` for a connection opened in it: resolves when it
    /// ends (see [`session_watch`]).
    pub fn watch_session(&self, session: &LiveSession) -> SessionWatch {
        SessionWatch::new(
            self.store.clone(),
            self.policy,
            session.clone(),
            self.endings.subscribe(),
        )
    }
}
