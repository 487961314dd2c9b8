//! Notifications: telling people what concerns them, in the app (a bell
//! with an unread count, live, and a notification centre) and by email
//! through an SMTP server (at once, in a daily digest, or not, per kind and
//! person), never with plan content in an email.
//!
//! - **Writing** ([`outbox`]): any feature writes notifications inside the
//!   transaction of the event that causes them ([`Outbox`]), then rings the
//!   bells of those told ([`crate::plan_events::PlanEvents::bell`]). Now:
//!   membership changes (added to a plan, role changed) and committed plan
//!   updates that assign an action (to an agency, or a person by name).
//! - **The daily sweep** ([`sweep`]): actions overdue, reviews due within 7
//!   days or overdue, and the day's digests, once a day across all nodes.
//! - **Email** ([`sender`], [`email`]): an outbox that senders on every
//!   node claim from (`FOR UPDATE SKIP LOCKED`), retrying with back-off.
//! - **Reading** ([`store`]): need-to-know is judged at every read: a
//!   notification about a plan is shown only while its person may open it.
//!
//! The REST routes ([`routes`]) and the pages' server functions (through
//! [`app::notifications::ssr::NotificationsPort`]) both call
//! [`Notifications`].

pub mod email;
pub mod email_store;
pub mod outbox;
pub mod routes;
pub mod sender;
pub mod settings;
mod smtp;
pub mod store;
pub mod sweep;
pub mod sweep_store;

pub use outbox::{Notify, Outbox, Recipients};
pub use routes::router;

use crate::plan_events::PlanEvents;
use app::notifications::{EmailSettings, NotificationView};
use app::service_error::ServiceError;
use email_store::EmailStore;
use plan::notifications::{Delivery, Kind};
use std::sync::Arc;
use store::{Entry, NotificationStore};
use sweep_store::SweepStore;
use uuid::Uuid;

crate::store::composite_storage!(
    /// What the notifications feature keeps and reads.
    pub trait NotificationStorage: NotificationStore + EmailStore + SweepStore
);

/// How many notifications the centre lists (the newest).
const LISTED: i64 = 200;

/// The notifications service. Cheap to clone.
#[derive(Clone)]
pub struct Notifications {
    store: Arc<dyn NotificationStore>,
    sweeps: Arc<dyn SweepStore>,
    events: PlanEvents,
    /// This node, as the sweeps it claims name it.
    node: Uuid,
    /// Whether an SMTP server is configured.
    email_on: bool,
}

impl Notifications {
    pub fn new(store: Arc<dyn NotificationStorage>, events: PlanEvents, email_on: bool) -> Self {
        Notifications {
            sweeps: store.clone(),
            store,
            events,
            node: Uuid::new_v4(),
            email_on,
        }
    }

    /// `user`'s notifications that they may see, newest first.
    pub async fn list(&self, user: Uuid) -> Result<Vec<NotificationView>, ServiceError> {
        let entries = self.store.notifications(user, LISTED).await?;
        Ok(entries.into_iter().filter_map(view).collect())
    }

    /// How many of them are unread.
    pub async fn unread(&self, user: Uuid) -> Result<usize, ServiceError> {
        Ok(self.store.unread(user).await?.max(0) as usize)
    }

    /// Marks one read; `NotFound` unless it is `user`'s and they may see it.
    pub async fn mark_read(&self, user: Uuid, id: i64) -> Result<(), ServiceError> {
        if !self.store.mark_read(user, id, chrono::Utc::now()).await? {
            return Err(ServiceError::NotFound("notification"));
        }
        // Their other pages' bells follow.
        self.events.bell(&[user]);
        Ok(())
    }

    /// Marks every one `user` may see read.
    pub async fn mark_all_read(&self, user: Uuid) -> Result<(), ServiceError> {
        self.store.mark_all_read(user, chrono::Utc::now()).await?;
        self.events.bell(&[user]);
        Ok(())
    }

    /// `user`'s delivery of every kind.
    pub async fn settings(&self, user: Uuid) -> Result<EmailSettings, ServiceError> {
        let chosen = self.store.settings(user).await?;
        let choices = Kind::ALL
            .into_iter()
            .map(|kind| {
                let delivery = chosen.iter().find(|(k, _)| *k == kind).map(|(_, d)| *d);
                (kind, delivery.unwrap_or(kind.default_delivery()))
            })
            .collect();
        Ok(EmailSettings {
            choices,
            email_on: self.email_on,
        })
    }

    /// Sets how `user` has one kind emailed. An unknown kind or delivery is
    /// refused, naming the choices, and nothing is stored.
    pub async fn set(&self, user: Uuid, kind: &str, delivery: &str) -> Result<(Kind, Delivery), ServiceError> {
        let kind = Kind::parse(kind).ok_or_else(|| {
            let kinds: Vec<&str> = Kind::ALL.iter().map(|k| k.key()).collect();
            ServiceError::Invalid(format!(
                "kind: {kind:?} is not a notification kind: one of {}",
                kinds.join(", ")
            ))
        })?;
        let delivery = Delivery::parse(delivery).map_err(|e| ServiceError::Invalid(format!("delivery: {e}")))?;
        self.store.set_settings(user, &[(kind, delivery)]).await?;
        Ok((kind, delivery))
    }
}

/// An entry as the app shows it (one of a kind this release does not know
/// is left out).
fn view(entry: Entry) -> Option<NotificationView> {
    Some(NotificationView {
        id: entry.id,
        kind: Kind::parse(&entry.kind)?,
        plan: entry.plan_id,
        plan_name: entry.plan_name.unwrap_or_default(),
        link: entry.link,
        created_at: entry.created_at,
        read: entry.read_at.is_some(),
    })
}

#[async_trait::async_trait]
impl app::notifications::ssr::NotificationsPort for Notifications {
    async fn unread(&self, user: Uuid) -> Result<usize, ServiceError> {
        Notifications::unread(self, user).await
    }

    async fn list(&self, user: Uuid) -> Result<Vec<NotificationView>, ServiceError> {
        Notifications::list(self, user).await
    }

    async fn mark_read(&self, user: Uuid, id: i64) -> Result<(), ServiceError> {
        Notifications::mark_read(self, user, id).await
    }

    async fn mark_all_read(&self, user: Uuid) -> Result<(), ServiceError> {
        Notifications::mark_all_read(self, user).await
    }

    async fn settings(&self, user: Uuid) -> Result<EmailSettings, ServiceError> {
        Notifications::settings(self, user).await
    }

    async fn set(&self, user: Uuid, kind: &str, delivery: &str) -> Result<(), ServiceError> {
        Notifications::set(self, user, kind, delivery).await.map(|_| ())
    }
}
