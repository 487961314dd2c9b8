//! Notifications over HTTP. Thin: the rules live in [`super::Notifications`].
//!
//! - `GET /api/notifications`: the caller's notifications (those they may
//!   see), newest first, and how many are unread;
//! - `POST /api/notifications/{id}/read` marks one read (`404` unless it is
//!   theirs and they may see it); `POST /api/notifications/read` marks all;
//! - `GET /api/notifications/settings`: how each kind is emailed to them;
//!   `PUT` with `{"kind", "delivery"}` (`at_once`, `digest`, `off`) sets one
//!   (`422` naming the field and the choices).
//!
//! The bell follows `GET /api/plans/changes`' `bell` events.

use crate::routes::extract::Caller;
use crate::state::AppState;
use app::notifications::{EmailSettings, NotificationView};
use app::service_error::ServiceError;
use axum::body::Bytes;
use axum::extract::Path;
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::{Deserialize, Serialize};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/notifications", get(list))
        .route("/api/notifications/read", post(read_all))
        .route("/api/notifications/{id}/read", post(read_one))
        .route("/api/notifications/settings", get(settings).put(set))
}

#[derive(Serialize)]
struct Listing {
    unread: usize,
    notifications: Vec<NotificationView>,
}

async fn list(c: Caller) -> Result<Json<Listing>, ServiceError> {
    let notifications = &c.state.notifications;
    let listed = notifications.list(c.user.id).await?;
    let unread = notifications.unread(c.user.id).await?;
    Ok(Json(Listing {
        unread,
        notifications: listed,
    }))
}

async fn read_one(c: Caller, Path(id): Path<String>) -> Result<Json<()>, ServiceError> {
    let id: i64 = id.parse().map_err(|_| ServiceError::NotFound("notification"))?;
    c.state.notifications.mark_read(c.user.id, id).await?;
    Ok(Json(()))
}

async fn read_all(c: Caller) -> Result<Json<()>, ServiceError> {
    c.state.notifications.mark_all_read(c.user.id).await?;
    Ok(Json(()))
}

async fn settings(c: Caller) -> Result<Json<EmailSettings>, ServiceError> {
    Ok(Json(c.state.notifications.settings(c.user.id).await?))
}

#[derive(Deserialize)]
struct Setting {
    kind: String,
    delivery: String,
}

#[derive(Serialize)]
struct Set {
    kind: &'static str,
    delivery: &'static str,
}

async fn set(c: Caller, bytes: Bytes) -> Result<Json<Set>, ServiceError> {
    let b: Setting = serde_json::from_slice(&bytes).map_err(|_| {
        ServiceError::BadRequest("send JSON {\"kind\": ..., \"delivery\": \"at_once\" | \"digest\" | \"off\"}".into())
    })?;
    let (kind, delivery) = c.state.notifications.set(c.user.id, &b.kind, &b.delivery).await?;
    Ok(Json(Set {
        kind: kind.key(),
        delivery: delivery.key(),
    }))
}
