//! The portfolio: every visible plan's figures seen against the Control
//! Strategy, per SGG area and threat, with the untagged plans, the threats
//! no plan tackles, disruptions per month and the drill-down list.

use super::figures::{level_index, Figures, PlanFigures, RagCounts};
use super::filter::{first_of_month, Drill, Only, PortfolioFilter, Scope};
use crate::strategy::{ControlStrategy, ManagementModel, StrategyThreat};
use crate::vocabulary::{SubjectKind, Tier};
use chrono::{Months, NaiveDate};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use uuid::Uuid;

/// One threat's row.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ThreatFigures {
    pub key: String,
    pub name: String,
    pub model: ManagementModel,
    pub battles: Vec<String>,
    pub retired: bool,
    pub figures: Figures,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AreaFigures {
    pub name: String,
    pub threats: Vec<ThreatFigures>,
}

/// Disruptions dated in one month, by level.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct MonthFigures {
    /// The month's first day.
    pub month: NaiveDate,
    pub counts: [u32; 5],
}

/// A plan in the drill-down list. `name` and `id` only for plans the
/// viewer is a member of: the others count but are not named.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlanLine {
    pub id: Option<Uuid>,
    pub name: Option<String>,
    pub tier: Option<Tier>,
    pub kind: Option<SubjectKind>,
    pub threats: Vec<String>,
    pub rag: RagCounts,
    pub overdue_actions: u32,
    pub next_review: Option<NaiveDate>,
    pub review_overdue: bool,
    pub disruptions: u32,
}

/// What the drill-down lists.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlanList {
    /// E.g. "County Lines: plans with RED actions".
    pub title: String,
    pub plans: Vec<PlanLine>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Portfolio {
    /// Counts cover every plan in the region (strategic leads and
    /// administrators); otherwise only the viewer's own plans.
    pub whole_region: bool,
    pub today: NaiveDate,
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub total: Figures,
    pub areas: Vec<AreaFigures>,
    pub untagged: Figures,
    /// Threats (not retired) that no plan in view is tagged with: (key, name).
    pub idle_threats: Vec<(String, String)>,
    /// The last twelve months, oldest first.
    pub monthly: Vec<MonthFigures>,
    /// Assessed disruptions with no action date (not in any month).
    pub undated_disruptions: u32,
    pub list: Option<PlanList>,
}

/// The months the chart shows: the twelve ending with `today`'s.
pub fn chart_months(today: NaiveDate) -> Vec<NaiveDate> {
    let this = first_of_month(today);
    (0..12).rev().map(|back| this - Months::new(back)).collect()
}

/// Everything to fetch disruptions for: the period and the chart's months.
pub fn disruption_window(filter: &PortfolioFilter, today: NaiveDate) -> (NaiveDate, NaiveDate) {
    let chart_start = chart_months(today)[0];
    (filter.from.min(chart_start), filter.to.max(today))
}

fn threat_fits(filter: &PortfolioFilter, threat: &StrategyThreat) -> bool {
    filter.threat.as_ref().is_none_or(|k| *k == threat.key) && filter.model.is_none_or(|m| m == threat.model)
}

fn plan_fits(filter: &PortfolioFilter, strategy: &ControlStrategy, plan: &PlanFigures) -> bool {
    let tagged = |t: &StrategyThreat| plan.facts.threats.iter().any(|k| k == t.key.as_str());
    filter.tier.is_none_or(|t| plan.facts.tier == Some(t))
        && (filter.agency.is_none() || plan.actions > 0)
        && (filter.threat.is_none() && filter.model.is_none()
            || strategy.threats.iter().any(|t| threat_fits(filter, t) && tagged(t)))
}

/// Builds the portfolio from the visible plans' figures. `names` holds the
/// plans the viewer is a member of.
pub fn aggregate(
    strategy: &ControlStrategy,
    filter: &PortfolioFilter,
    today: NaiveDate,
    plans: &[PlanFigures],
    names: &HashMap<Uuid, String>,
    whole_region: bool,
) -> Portfolio {
    let plans: Vec<&PlanFigures> = plans.iter().filter(|p| plan_fits(filter, strategy, p)).collect();
    let (from, to) = (filter.from, filter.to);
    let sum = |selected: &mut dyn Iterator<Item = &&PlanFigures>| {
        let mut figures = Figures::default();
        for plan in selected {
            figures.add(plan, today, from, to);
        }
        figures
    };
    let mut idle_threats = Vec::new();
    let areas = strategy
        .areas
        .iter()
        .map(|area| AreaFigures {
            name: area.clone(),
            threats: strategy
                .threats_in(area)
                .filter(|t| threat_fits(filter, t))
                .filter_map(|t| {
                    let figures = sum(&mut plans
                        .iter()
                        .filter(|p| p.facts.threats.iter().any(|k| k == t.key.as_str())));
                    if figures.plans == 0 && !t.retired {
                        idle_threats.push((t.key.to_string(), t.name.clone()));
                    }
                    (figures.plans > 0 || !t.retired).then(|| ThreatFigures {
                        key: t.key.to_string(),
                        name: t.name.clone(),
                        model: t.model,
                        battles: t.battles.clone(),
                        retired: t.retired,
                        figures,
                    })
                })
                .collect(),
        })
        .collect();
    let months = chart_months(today);
    let mut monthly: Vec<MonthFigures> = months
        .iter()
        .map(|m| MonthFigures {
            month: *m,
            counts: [0; 5],
        })
        .collect();
    let mut undated_disruptions = 0;
    for plan in &plans {
        for (date, level, n) in &plan.disruptions {
            match date {
                None => undated_disruptions += n,
                Some(d) => {
                    if let Some(m) = monthly.iter_mut().find(|m| m.month == first_of_month(*d)) {
                        if *d <= today {
                            m.counts[level_index(*level)] += n;
                        }
                    }
                }
            }
        }
    }
    Portfolio {
        whole_region,
        today,
        from,
        to,
        total: sum(&mut plans.iter()),
        untagged: sum(&mut plans.iter().filter(|p| p.facts.threats.is_empty())),
        areas,
        idle_threats,
        monthly,
        undated_disruptions,
        list: filter
            .drill
            .as_ref()
            .map(|d| list(strategy, d, &plans, names, today, from, to)),
    }
}

fn counts_for(only: Only, plan: &PlanFigures, today: NaiveDate, from: NaiveDate, to: NaiveDate) -> bool {
    match only {
        Only::Plans => true,
        Only::Tier(t) => plan.facts.tier == t,
        Only::Kind(k) => plan.facts.subject_kind == k,
        Only::Rag(s) => plan.rag.get(s) > 0,
        Only::OverdueActions => plan.overdue_actions > 0,
        Only::OverdueReviews => plan.review_overdue(today),
        Only::Disruption(level) => plan.disruptions_in(from, to)[level_index(level)] > 0,
    }
}

fn list(
    strategy: &ControlStrategy,
    drill: &Drill,
    plans: &[&PlanFigures],
    names: &HashMap<Uuid, String>,
    today: NaiveDate,
    from: NaiveDate,
    to: NaiveDate,
) -> PlanList {
    let scope = match &drill.scope {
        Scope::All => "All plans".to_string(),
        Scope::Untagged => "Plans tagged to no threat".to_string(),
        Scope::Threat(key) => strategy.threat(key).map_or_else(|| key.to_string(), |t| t.name.clone()),
    };
    let in_scope = |p: &PlanFigures| match &drill.scope {
        Scope::All => true,
        Scope::Untagged => p.facts.threats.is_empty(),
        Scope::Threat(key) => p.facts.threats.iter().any(|k| k == key.as_str()),
    };
    let mut lines: Vec<PlanLine> = plans
        .iter()
        .filter(|p| in_scope(p) && counts_for(drill.only, p, today, from, to))
        .map(|p| {
            let name = names.get(&p.id).cloned();
            PlanLine {
                id: name.as_ref().map(|_| p.id),
                name,
                tier: p.facts.tier,
                kind: p.facts.subject_kind,
                threats: p
                    .facts
                    .threats
                    .iter()
                    .map(|k| strategy.threat_by_key(k).map_or_else(|| k.clone(), |t| t.name.clone()))
                    .collect(),
                rag: p.rag,
                overdue_actions: p.overdue_actions,
                next_review: p.facts.next_review,
                review_overdue: p.review_overdue(today),
                disruptions: p.disruptions_in(from, to).iter().sum(),
            }
        })
        .collect();
    // Named plans first, by name; unnamed ones after, most urgent first.
    lines.sort_by(|a, b| {
        (
            a.name.is_none(),
            &a.name,
            !a.review_overdue,
            std::cmp::Reverse(a.overdue_actions),
        )
            .cmp(&(
                b.name.is_none(),
                &b.name,
                !b.review_overdue,
                std::cmp::Reverse(b.overdue_actions),
            ))
    });
    PlanList {
        title: format!("{scope}: {}", super::only_label(drill.only)),
        plans: lines,
    }
}
