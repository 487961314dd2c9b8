//! `GET /api/plans/{id}/history`: the plan's audit trail, for its LRO —
//! JSON, or CSV with `?format=csv` (headed by the security marking). Thin:
//! the rules live in [`super::Histories`].

use super::PlanHistory;
use crate::audit::HistoryEntry;
use crate::routes::csv::{attachment, Format};
use crate::routes::extract::{Caller, PlanId};
use crate::state::AppState;
use app::service_error::ServiceError;
use axum::extract::Query;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use chrono::{DateTime, Utc};
use plan::access::Change;
use plan::access_log::AccessKind;
use plan::change_label;
use serde::Serialize;
use std::collections::BTreeMap;
use uuid::Uuid;

pub fn router() -> Router<AppState> {
    Router::new().route("/api/plans/{id}/history", get(history))
}

async fn history(c: Caller, PlanId(plan): PlanId, Query(format): Query<Format>) -> Result<Response, ServiceError> {
    let kind = if format.csv() {
        AccessKind::HistoryExported
    } else {
        AccessKind::HistoryRead
    };
    let PlanHistory {
        marking,
        history,
        names,
    } = c
        .state
        .histories
        .for_lro(plan, &c.who, kind, &format.recipients)
        .await?;
    let entries = &history.entries;
    match format.format.as_deref() {
        None | Some("json") => Ok(Json(serde_json::json!({
            "marking": marking,
            "entries": entries.iter().map(|e| described(e, &names)).collect::<Vec<_>>(),
        }))
        .into_response()),
        Some("csv") => Ok(attachment(
            &format!("plan-{plan}-history.csv"),
            super::csv::to_csv(marking.as_str(), entries, &names),
        )),
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
