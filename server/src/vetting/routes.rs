//! Vetting over HTTP. Thin: the rules live in [`super::Vettings`].
//!
//! - `GET /api/vetting`: everyone's vetting, the levels and the latest
//!   changes (administrators and vetting officers);
//! - `PUT /api/users/{id}/vetting` with `{"level", "expires"?}` sets a
//!   person's (the same; `expires` a date, `YYYY-MM-DD`, or an RFC 3339
//!   moment, required above none) → `200` with it;
//! - `GET /api/vetting/changes?user=` the record of changes (administrators,
//!   vetting officers and auditors);
//! - `GET /api/plans/{id}/vetting` what a plan needs (any member; its LRO
//!   also sees the levels they may set and whom it shuts out), and `PUT`
//!   with `{"level"}` sets it (its LRO: never below its marking's).

use super::store::VettingChangeEntry;
use crate::routes::extract::{Caller, PlanId};
use crate::state::AppState;
use app::service_error::ServiceError;
use app::vetting::{PlanVettingView, VettingDirectory};
use axum::body::Bytes;
use axum::extract::{Path, Query};
use axum::routing::{get, put};
use axum::{Json, Router};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/vetting", get(directory))
        .route("/api/vetting/changes", get(changes))
        .route("/api/users/{user}/vetting", put(set))
        .route("/api/plans/{id}/vetting", get(plan).put(raise))
}

fn body<T: serde::de::DeserializeOwned>(bytes: &[u8], shape: &str) -> Result<T, ServiceError> {
    serde_json::from_slice(bytes).map_err(|_| ServiceError::BadRequest(format!("send JSON {shape}")))
}

async fn directory(c: Caller) -> Result<Json<VettingDirectory>, ServiceError> {
    Ok(Json(c.state.vettings.directory(&c.who).await?))
}

#[derive(Deserialize)]
struct SetVetting {
    level: String,
    expires: Option<String>,
}

/// A person's vetting as set.
#[derive(Serialize)]
struct Set {
    user: Uuid,
    level: String,
    expires_at: Option<DateTime<Utc>>,
}

async fn set(c: Caller, Path(user): Path<String>, bytes: Bytes) -> Result<Json<Set>, ServiceError> {
    let user = Uuid::parse_str(&user).map_err(|_| ServiceError::NotFound("user"))?;
    let b: SetVetting = body(&bytes, "{\"level\": ..., \"expires\": \"YYYY-MM-DD\"}")?;
    let vettings = &c.state.vettings;
    let held = vettings
        .set_vetting(&c.who, user, &b.level, b.expires.as_deref())
        .await?;
    Ok(Json(Set {
        user,
        level: held.level_or(&vettings.policy().levels).to_string(),
        expires_at: held.expires_at,
    }))
}

#[derive(Deserialize)]
struct ChangesQuery {
    user: Option<Uuid>,
}

async fn changes(c: Caller, Query(q): Query<ChangesQuery>) -> Result<Json<Vec<VettingChangeEntry>>, ServiceError> {
    Ok(Json(c.state.vettings.changes(&c.who, q.user).await?))
}

async fn plan(c: Caller, PlanId(plan): PlanId) -> Result<Json<PlanVettingView>, ServiceError> {
    Ok(Json(c.state.vettings.plan_view(&c.who, plan).await?))
}

#[derive(Deserialize)]
struct Raise {
    level: String,
}

#[derive(Serialize)]
struct Raised {
    needs: String,
}

async fn raise(c: Caller, PlanId(plan): PlanId, bytes: Bytes) -> Result<Json<Raised>, ServiceError> {
    let b: Raise = body(&bytes, "{\"level\": ...}")?;
    let needs = c.state.vettings.raise(&c.who, plan, &b.level).await?;
    Ok(Json(Raised { needs }))
}
