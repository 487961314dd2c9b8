//! Rows of the portfolio's tables to and from the model's types.

use chrono::NaiveDate;
use plan::portfolio::{ActionFacts, PlanFacts, PlanFigures, RagCounts};
use plan::{Disruption, RagStatus, SubjectKind, Tier};
use std::collections::HashMap;
use uuid::Uuid;

pub(super) fn ps_text(a: &ActionFacts) -> String {
    a.ps.iter().map(|p| p.as_str()).collect::<Vec<_>>().join(",")
}

/// A stored text as a model value; `None` if missing or unreadable.
pub(crate) fn parsed<T: std::str::FromStr>(value: Option<String>) -> Option<T> {
    value.and_then(|v| v.parse().ok())
}

/// A row of the plans query, as stored.
#[derive(sqlx::FromRow)]
pub(super) struct PlanRow {
    plan_id: Uuid,
    subject_kind: Option<String>,
    tier: Option<i32>,
    next_review: Option<NaiveDate>,
    threats: String,
}

/// A plan's id and facts from its row.
pub(super) fn plan_facts(row: PlanRow) -> (Uuid, PlanFacts) {
    let facts = PlanFacts {
        subject_kind: parsed::<SubjectKind>(row.subject_kind),
        tier: row.tier.and_then(|t| Tier::new(t.into()).ok()),
        next_review: row.next_review,
        threats: row
            .threats
            .split(',')
            .filter(|t| !t.is_empty())
            .map(String::from)
            .collect(),
    };
    (row.plan_id, facts)
}

/// Gathers the three queries' rows into one figure per plan.
pub(super) fn assemble(
    plans: Vec<PlanRow>,
    statuses: Vec<(Uuid, Option<String>, i64, i64)>,
    disruptions: Vec<(Uuid, Option<NaiveDate>, String, i64)>,
) -> Vec<PlanFigures> {
    let mut by_id: HashMap<Uuid, PlanFigures> = plans
        .into_iter()
        .map(plan_facts)
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
