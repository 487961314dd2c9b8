//! `GET /api/plans/{id}/history`: the plan's audit trail, for its LRO —
//! JSON, or CSV with `?format=csv` (headed by the security marking).

use crate::audit::HistoryEntry;
use crate::error::ApiError;
use crate::history::History;
use crate::routes::session::CurrentUser;
use crate::state::AppState;
use axum::extract::{Path, Query, State};
use axum::http::header::{CONTENT_DISPOSITION, CONTENT_TYPE};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use chrono::{DateTime, Utc};
use plan::access::Change;
use plan::change_label;
use plan::PlanExport;
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
) -> Result<Response, ApiError> {
    let plan = Uuid::parse_str(&id).map_err(|_| ApiError::NotFound("plan"))?;
    let history = state.plans.history_for(plan, user.id).await?;
    let export = state.plans.export(plan).await?;
    let marking = export.as_ref().map(|e| e.marking).unwrap_or_default();
    let names = names(export.as_ref(), &history);
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
            to_csv(marking.as_str(), entries, &names),
        )
            .into_response()),
        Some(other) => Err(ApiError::Invalid(format!("format: {other:?} is not json or csv"))),
    }
}

/// Names of the plan's actions, current or recorded in its trail, and of
/// the members its membership changes name, for describing changes (see
/// [`change_label::describe`]).
pub fn names(export: Option<&PlanExport>, history: &History) -> BTreeMap<String, String> {
    let current = export.map(|e| e.actions.as_slice()).unwrap_or_default();
    let mut names = change_label::action_names(current, history.entries.iter().flat_map(|e| &e.changes));
    names.extend(history.members.iter().map(|(k, v)| (k.clone(), v.clone())));
    names
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

/// One row per change: when, who, agency, what (in words), field (its
/// key), old, new.
pub fn to_csv(marking: &str, entries: &[HistoryEntry], names: &BTreeMap<String, String>) -> String {
    let mut out = format!("{marking}\nwhen,who,agency,what,field,old,new\n");
    for entry in entries {
        for change in &entry.changes {
            let row = [
                entry.at.to_rfc3339(),
                entry.user.clone(),
                entry.agency.clone(),
                change_label::describe(&change.field, names),
                change.field.clone(),
                change.old.clone().unwrap_or_default(),
                change.new.clone().unwrap_or_default(),
            ];
            out.push_str(&row.iter().map(|v| plan::csv::field(v)).collect::<Vec<_>>().join(","));
            out.push('\n');
        }
    }
    out.push_str(marking);
    out.push('\n');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_quotes_and_defuses_formulas_and_carries_the_marking() {
        let entry = HistoryEntry {
            at: "2026-11-22T10:00:00Z".parse().unwrap(),
            user_id: Uuid::nil(),
            user: "Ann \"the\" LRO".into(),
            agency: "Police".into(),
            changes: vec![plan::access::Change {
                field: "aim".into(),
                old: Some(String::new()),
                new: Some("=HYPERLINK(\"x\")".into()),
            }],
        };
        let csv = to_csv("OFFICIAL-SENSITIVE", &[entry], &BTreeMap::new());
        let lines: Vec<&str> = csv.lines().collect();
        assert_eq!(lines[0], "OFFICIAL-SENSITIVE");
        assert_eq!(
            lines[2],
            r#""2026-11-22T10:00:00+00:00","Ann ""the"" LRO","Police","Aim","aim","","'=HYPERLINK(""x"")""#
        );
        assert_eq!(lines.last(), Some(&"OFFICIAL-SENSITIVE"));
    }
}
