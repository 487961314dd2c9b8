//! The portfolio's REST adapters: `GET /api/portfolio` (JSON),
//! `GET /api/portfolio.csv` and `GET /api/portfolio/changes` (server-sent
//! events). Thin: the rules live in [`super::Portfolios`].

use crate::routes::csv::attachment;
use crate::routes::extract::{Caller, CurrentSession};
use crate::routes::guard::viewer;
use crate::state::AppState;
use app::service_error::ServiceError;
use axum::extract::{Query, State};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::IntoResponse;
use axum::routing::get;
use axum::{Json, Router};
use futures_util::Stream;
use plan::portfolio::{PortfolioQuery, PortfolioView};
use serde::Deserialize;
use std::convert::Infallible;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/portfolio", get(portfolio))
        .route("/api/portfolio.csv", get(portfolio_csv))
        .route("/api/portfolio/changes", get(changes))
}

fn today() -> chrono::NaiveDate {
    chrono::Utc::now().date_naive()
}

async fn portfolio(c: Caller, Query(query): Query<PortfolioQuery>) -> Result<Json<PortfolioView>, ServiceError> {
    Ok(Json(c.state.portfolios.view(&c.who, &query, today()).await?))
}

/// For whom a download is (optional): the access log records it.
#[derive(Debug, Deserialize)]
struct ForWhom {
    #[serde(rename = "for", default)]
    recipients: String,
}

async fn portfolio_csv(
    c: Caller,
    Query(query): Query<PortfolioQuery>,
    Query(whom): Query<ForWhom>,
) -> Result<impl IntoResponse, ServiceError> {
    let csv = c
        .state
        .portfolios
        .csv(&c.who, &query, today(), &whom.recipients)
        .await?;
    Ok(attachment(&format!("portfolio-{}.csv", today()), csv))
}

/// Server-sent events: `portfolio` (no data: a name or id could tell a
/// non-member of a plan) whenever a plan the viewer's portfolio counts
/// changes. Ends when the session ends or the server stops.
async fn changes(
    State(state): State<AppState>,
    CurrentSession(session): CurrentSession,
) -> Result<Sse<impl Stream<Item = Result<Event, Infallible>>>, ServiceError> {
    let session_ended = Box::pin(state.accounts.watch_session(&session).ended());
    let feed = super::live::PortfolioFeed::start(&state.plans, &viewer(&session.user))
        .await
        .map_err(|e| ServiceError::Internal(e.into()))?;
    let events = futures_util::stream::unfold((feed, session_ended), |(mut feed, mut ended)| async move {
        let more = tokio::select! {
            more = feed.next() => more,
            _ = &mut ended => return None,
        };
        more.then(|| (Ok(Event::default().event("portfolio").data("changed")), (feed, ended)))
    });
    Ok(Sse::new(events).keep_alive(KeepAlive::default()))
}
