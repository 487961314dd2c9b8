//! `GET /api/plans/{id}/history`: the plan's audit trail, for its LRO —
//! JSON, or CSV with `?format=csv` (headed by the security marking). Thin:
//! the rules live in [`super::Histories`].

use super::PlanHistory;
use crate::audit::HistoryEntry;
use crate::routes::guard::CurrentUser;
use crate::state::AppState;
use app::service_error::ServiceError;
use axum::extract::{Path, Query, State};
use axum::http::header::{CONTENT_DISPOSITION, CONTENT_TYPE};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use chrono::{DateTime, Utc};
use plan::access::Change;
use plan::change_label;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use uuid::Uuid;

pub fn router() -> Router<AppState> {
    Router::new().route("/api/plans/{id}/history", get(history))
}

#[derive(Deserialize)]
struct Format {
    format: Option<String>,
}

async fn history(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    Path(id): Path<String>,
    Query(format): Query<Format>,
) -> Result<Response, ServiceError> {
    let plan = Uuid::parse_str(&id).map_err(|_| ServiceError::NotFound("plan"))?;
    let PlanHistory {
        marking,
        history,
        names,
    } = state.histories.for_lro(plan, user.id).await?;
    let entries = &history.entries;
    match format.format.as_deref() {
        None | Some("json") => Ok(Json(serde_json::json!({
            "marking": marking,
            "entries": entries.iter().map(|e| described(e, &names)).collect::<Vec<_>>(),
        }))
        .into_response()),
        Some("csv") => Ok((
            [
                (CONTENT_TYPE, "text/csv; charset=utf-8".to_string()),
                (
                    CONTENT_DISPOSITION,
                    format!("attachment; filename=\"plan-{plan}-history.csv\""),
                ),
            ],
            super::csv::to_csv(marking.as_str(), entries, &names),
        )
            .into_response()),
        Some(other) => Err(ServiceError::Invalid(format!("format: {other:?} is not json or csv"))),
    }
}

/// A history entry as the API answers it: each change also says `what` it
/// touched, in the page's words.
#[derive(Serialize)]
struct DescribedEntry<'a> {
    at: DateTime<Utc>,
    user_id: Uuid,
    user: &'a str,
    agency: &'a str,
    changes: Vec<DescribedChange<'a>>,
}

#[derive(Serialize)]
struct DescribedChange<'a> {
    #[serde(flatten)]
    change: &'a Change,
    what: String,
}

fn described<'a>(entry: &'a HistoryEntry, names: &BTreeMap<String, String>) -> DescribedEntry<'a> {
    let changes = entry
        .changes
        .iter()
        .map(|change| DescribedChange {
            change,
            what: change_label::describe(&change.field, names),
        })
        .collect();
    DescribedEntry {
        at: entry.at,
        user_id: entry.user_id,
        user: &entry.user,
        agency: &entry.agency,
        changes,
    }
}
