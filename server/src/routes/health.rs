//! `GET /healthz`: whether this node can serve, as a load balancer asks.

use crate::state::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::get;
use axum::Router;
use uuid::Uuid;

pub fn router() -> Router<AppState> {
    Router::new().route("/healthz", get(health))
}

/// `200 ok` while the database answers, `503` otherwise: what a load
/// balancer's health check asks before sending a node requests. One indexed
/// lookup, bounded by [`HEALTH_TIMEOUT`].
async fn health(State(state): State<AppState>) -> (StatusCode, &'static str) {
    let probe = state.plans.store().plan_exists(Uuid::nil());
    match tokio::time::timeout(HEALTH_TIMEOUT, probe).await {
        Ok(Ok(_)) => (StatusCode::OK, "ok"),
        Ok(Err(e)) => {
            tracing::error!(error = ?e, "health check: the database did not answer");
            (StatusCode::SERVICE_UNAVAILABLE, "database unavailable")
        }
        Err(_) => {
            tracing::error!("health check: the database took too long");
            (StatusCode::SERVICE_UNAVAILABLE, "database unavailable")
        }
    }
}

/// How long `/healthz` waits for the database.
pub const HEALTH_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(2);
