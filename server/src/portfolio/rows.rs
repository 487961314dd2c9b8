//! Rows of the portfolio's tables to and from the model's types.

use chrono::NaiveDate;
use plan::portfolio::{ActionFacts, PlanFacts, PlanFigures, RagCounts};
use plan::{Disruption, RagStatus, SubjectKind, Tier};
use sqlx::Row;
use std::collections::HashMap;
use uuid::Uuid;

pub(super) fn ps_text(a: &ActionFacts) -> String {
    a.ps.iter().map(|p| p.as_str()).collect::<Vec<_>>().join(",")
}

/// A stored text as a model value; `None` if missing or unreadable.
pub(crate) fn parsed<T: std::str::FromStr>(value: Option<String>) -> Option<T> {
    value.and_then(|v| v.parse().ok())
}

/// Facts from the plans query.
pub(super) fn plan_facts<R: Row>(row: &R) -> Result<(Uuid, PlanFacts), sqlx::Error>
where
    for<'r> Uuid: sqlx::Decode<'r, R::Database> + sqlx::Type<R::Database>,
    for<'r> Option<String>: sqlx::Decode<'r, R::Database> + sqlx::Type<R::Database>,
    for<'r> String: sqlx::Decode<'r, R::Database> + sqlx::Type<R::Database>,
    for<'r> Option<i32>: sqlx::Decode<'r, R::Database> + sqlx::Type<R::Database>,
    for<'r> Option<NaiveDate>: sqlx::Decode<'r, R::Database> + sqlx::Type<R::Database>,
    for<'r> &'r str: sqlx::ColumnIndex<R>,
{
    let threats: String = row.try_get("threats")?;
    Ok((
        row.try_get("plan_id")?,
        PlanFacts {
            subject_kind: parsed::<SubjectKind>(row.try_get("subject_kind")?),
            tier: row
                .try_get::<Option<i32>, _>("tier")?
                .and_then(|t| Tier::new(t.into()).ok()),
            next_review: row.try_get("next_review")?,
            threats: threats.split(',').filter(|t| !t.is_empty()).map(String::from).collect(),
        },
    ))
}

/// Gathers the three queries' rows into one figure per plan.
pub(super) fn assemble(
    plans: Vec<(Uuid, PlanFacts)>,
    statuses: Vec<(Uuid, Option<String>, i64, i64)>,
    disruptions: Vec<(Uuid, Option<NaiveDate>, String, i64)>,
) -> Vec<PlanFigures> {
    let mut by_id: HashMap<Uuid, PlanFigures> = plans
        .into_iter()
        .map(|(id, facts)| {
            let figures = PlanFigures {
                id,
                facts,
                actions: 0,
                rag: RagCounts::default(),
                overdue_actions: 0,
                disruptions: Vec::new(),
            };
            (id, figures)
        })
        .collect();
    for (id, status, n, overdue) in statuses {
        if let Some(p) = by_id.get_mut(&id) {
            let n = u32::try_from(n).unwrap_or(u32::MAX);
            p.actions += n;
            p.rag.add(parsed::<RagStatus>(status), n);
            p.overdue_actions += u32::try_from(overdue).unwrap_or(u32::MAX);
        }
    }
    for (id, date, level, n) in disruptions {
        if let (Some(p), Ok(level)) = (by_id.get_mut(&id), level.parse::<Disruption>()) {
            p.disruptions.push((date, level, u32::try_from(n).unwrap_or(u32::MAX)));
        }
    }
    by_id.into_values().collect()
}
