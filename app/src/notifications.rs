//! Notifications, for the pages: the bell's count in the account bar, the
//! notification centre (`/notifications`) and each person's email settings
//! (`/notifications/settings`). Server functions over the server's
//! [`ssr::NotificationsPort`], which judges need-to-know: a notification
//! about a plan is shown only while its person may open the plan.

use chrono::{DateTime, Utc};
use leptos::prelude::*;
use plan::notifications::{Delivery, Kind};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// One notification, as its person sees it in the app.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NotificationView {
    pub id: i64,
    pub kind: Kind,
    pub plan: Option<Uuid>,
    /// The plan's subject name (in the app only: never emailed).
    pub plan_name: String,
    /// Where it leads: the plan, the action's row, the comment.
    pub link: String,
    pub created_at: DateTime<Utc>,
    pub read: bool,
}

/// A person's email settings: each kind's delivery, and whether this
/// deployment sends email at all.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EmailSettings {
    /// Every kind, in the order of [`Kind::ALL`].
    pub choices: Vec<(Kind, Delivery)>,
    pub email_on: bool,
}

/// What the settings page says of email, word for word.
pub const NO_CONTENT_STATEMENT: &str = "Emails carry no plan content: no subject name, action text or comment \
     text, only what kind of thing happened, how many, and a link to Pillars. Plans are OFFICIAL-SENSITIVE, \
     and OFFICIAL-SENSITIVE material must not leave Pillars by ordinary email.";

#[cfg(feature = "ssr")]
fn served<T>(answer: Result<T, crate::service_error::ServiceError>) -> Result<T, ServerFnError> {
    answer.map_err(crate::service_error::ServiceError::into_server_fn_error)
}

/// How many of the viewer's notifications are unread (the bell).
#[server(prefix = "/api/fn", endpoint = "unread_notifications", output = crate::wire::Postcard)]
pub async fn unread_notifications() -> Result<usize, ServerFnError> {
    let who = crate::session::ssr::requester()?;
    served(ssr::port()?.unread(who.viewer.id).await)
}

/// The viewer's notifications, newest first.
#[server(prefix = "/api/fn", endpoint = "my_notifications", output = crate::wire::Postcard)]
pub async fn my_notifications() -> Result<Vec<NotificationView>, ServerFnError> {
    let who = crate::session::ssr::requester()?;
    served(ssr::port()?.list(who.viewer.id).await)
}

/// Marks one notification read (`id`), or every one (`id` 0).
#[server(prefix = "/api/fn", endpoint = "mark_notifications_read", output = crate::wire::Postcard)]
pub async fn mark_notifications_read(#[server(default)] id: i64) -> Result<(), ServerFnError> {
    let who = crate::session::ssr::requester()?;
    let port = ssr::port()?;
    served(match id {
        0 => port.mark_all_read(who.viewer.id).await,
        id => port.mark_read(who.viewer.id, id).await,
    })
}

#[server(prefix = "/api/fn", endpoint = "my_email_settings", output = crate::wire::Postcard)]
pub async fn my_email_settings() -> Result<EmailSettings, ServerFnError> {
    let who = crate::session::ssr::requester()?;
    served(ssr::port()?.settings(who.viewer.id).await)
}

/// Sets how one kind is emailed (`kind` and `delivery` by their keys).
#[server(prefix = "/api/fn", endpoint = "set_email_setting", output = crate::wire::Postcard)]
pub async fn set_email_setting(kind: String, delivery: String) -> Result<(), ServerFnError> {
    let who = crate::session::ssr::requester()?;
    served(ssr::port()?.set(who.viewer.id, &kind, &delivery).await)
}

#[cfg(feature = "ssr")]
pub mod ssr {
    use super::{EmailSettings, NotificationView};
    use crate::present::GENERIC_ERROR;
    use crate::service_error::ServiceError;
    use leptos::prelude::{use_context, ServerFnError};
    use std::sync::Arc;
    use uuid::Uuid;

    /// Notifications, implemented by the server's notifications service.
    #[async_trait::async_trait]
    pub trait NotificationsPort: Send + Sync + 'static {
        async fn unread(&self, user: Uuid) -> Result<usize, ServiceError>;
        async fn list(&self, user: Uuid) -> Result<Vec<NotificationView>, ServiceError>;
        async fn mark_read(&self, user: Uuid, id: i64) -> Result<(), ServiceError>;
        async fn mark_all_read(&self, user: Uuid) -> Result<(), ServiceError>;
        async fn settings(&self, user: Uuid) -> Result<EmailSettings, ServiceError>;
        /// Refuses an unknown kind or delivery, naming the choices.
        async fn set(&self, user: Uuid, kind: &str, delivery: &str) -> Result<(), ServiceError>;
    }

    pub type NotificationsRef = Arc<dyn NotificationsPort>;

    pub fn port() -> Result<NotificationsRef, ServerFnError> {
        use_context::<NotificationsRef>().ok_or_else(|| {
            tracing::error!("no app::notifications::ssr::NotificationsRef in context");
            ServerFnError::ServerError(GENERIC_ERROR.to_string())
        })
    }
}
