//! The portfolio against a fixture of plans with known counts.

use super::*;
use crate::strategy::{ControlStrategy, ManagementModel};
use crate::vocabulary::{Disruption, SubjectKind, Tier};
use chrono::NaiveDate;
use std::collections::HashMap;
use uuid::Uuid;

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

fn today() -> NaiveDate {
    day(2026, 12, 3)
}

fn plan(n: u128, tier: i64, kind: SubjectKind, threats: &[&str]) -> PlanFigures {
    PlanFigures {
        id: Uuid::from_u128(n),
        facts: PlanFacts {
            subject_kind: Some(kind),
            tier: Some(Tier::new(tier).unwrap()),
            next_review: Some(day(2027, 3, 1)),
            threats: threats.iter().map(|t| t.to_string()).collect(),
        },
        actions: 0,
        rag: RagCounts::default(),
        overdue_actions: 0,
        disruptions: Vec::new(),
    }
}

/// Four plans: two County Lines (one also Drug Supply), one Fraud, one
/// untagged.
fn fixture() -> Vec<PlanFigures> {
    let mut a = plan(1, 1, SubjectKind::Ocg, &["county-lines", "drug-supply"]);
    a.actions = 6;
    a.rag = RagCounts {
        red: 3,
        amber: 2,
        green: 1,
        unset: 0,
    };
    a.overdue_actions = 2;
    a.disruptions = vec![
        (Some(day(2026, 11, 20)), Disruption::Major, 1),
        (Some(day(2026, 2, 1)), Disruption::Minor, 2),
        (Some(day(2025, 6, 1)), Disruption::Moderate, 1), // before the period
    ];
    let mut b = plan(2, 2, SubjectKind::Pi, &["county-lines"]);
    b.actions = 1;
    b.rag = RagCounts {
        red: 0,
        amber: 0,
        green: 1,
        unset: 0,
    };
    b.facts.next_review = Some(day(2026, 11, 30)); // overdue
    b.disruptions = vec![
        (Some(day(2026, 11, 2)), Disruption::Major, 1),
        (None, Disruption::None, 1),
    ];
    let mut c = plan(3, 3, SubjectKind::Ocg, &["fraud"]);
    c.actions = 2;
    c.rag = RagCounts {
        red: 1,
        amber: 0,
        green: 0,
        unset: 1,
    };
    c.overdue_actions = 1;
    let d = plan(4, 2, SubjectKind::Ocg, &[]);
    vec![a, b, c, d]
}

fn names() -> HashMap<Uuid, String> {
    HashMap::from([
        (Uuid::from_u128(1), "Red Kings".to_string()),
        (Uuid::from_u128(4), "Dee".to_string()),
    ])
}

fn run(query: PortfolioQuery) -> Portfolio {
    let filter = query.parse(today()).unwrap();
    aggregate(&ControlStrategy::seed(), &filter, today(), &fixture(), &names(), true)
}

fn threat<'a>(p: &'a Portfolio, key: &str) -> &'a aggregate::ThreatFigures {
    p.areas.iter().flat_map(|a| &a.threats).find(|t| t.key == key).unwrap()
}

#[test]
fn counts_per_threat_split_by_tier_kind_status_and_overdue() {
    let p = run(PortfolioQuery::default());
    let cl = &threat(&p, "county-lines").figures;
    assert_eq!((cl.plans, cl.tiers, cl.ocg, cl.pi), (2, [0, 1, 1, 0, 0], 1, 1));
    assert_eq!(
        cl.rag,
        RagCounts {
            red: 3,
            amber: 2,
            green: 2,
            unset: 0
        }
    );
    assert_eq!((cl.overdue_actions, cl.overdue_reviews), (2, 1));
    // MAJOR twice (Nov), MINOR twice (Feb); the 2025 one is outside the period.
    assert_eq!(cl.disruptions, [2, 0, 2, 0, 0]);
    let fraud = &threat(&p, "fraud").figures;
    assert_eq!((fraud.plans, fraud.rag.unset, fraud.overdue_actions), (1, 1, 1));
    assert_eq!((p.total.plans, p.untagged.plans, p.untagged.tiers[2]), (4, 1, 1));
    let idle: Vec<&str> = p.idle_threats.iter().map(|(k, _)| k.as_str()).collect();
    assert_eq!(
        idle,
        ["soc-consistency", "prison-soc", "csae", "msht", "oic", "cyber-crime"]
    );
}

#[test]
fn the_period_decides_which_disruptions_count_and_the_chart_shows_twelve_months() {
    let p = run(PortfolioQuery {
        from: Some("2026-11-01".into()),
        to: Some("2026-11-30".into()),
        ..Default::default()
    });
    assert_eq!(threat(&p, "county-lines").figures.disruptions, [2, 0, 0, 0, 0]);
    assert_eq!(p.monthly.len(), 12);
    assert_eq!(p.monthly[0].month, day(2026, 1, 1));
    let nov = p.monthly.iter().find(|m| m.month == day(2026, 11, 1)).unwrap();
    let feb = p.monthly.iter().find(|m| m.month == day(2026, 2, 1)).unwrap();
    assert_eq!((nov.counts, feb.counts), ([2, 0, 0, 0, 0], [0, 0, 2, 0, 0]));
    assert_eq!(p.undated_disruptions, 1);
}

#[test]
fn filters_narrow_plans_and_threat_rows() {
    let p = run(PortfolioQuery {
        tier: Some("2".into()),
        ..Default::default()
    });
    assert_eq!((p.total.plans, threat(&p, "county-lines").figures.plans), (2, 1));
    let p = run(PortfolioQuery {
        model: Some("national".into()),
        ..Default::default()
    });
    let shown: Vec<&str> = p
        .areas
        .iter()
        .flat_map(|a| &a.threats)
        .map(|t| t.key.as_str())
        .collect();
    assert_eq!(shown, ["cyber-crime", "fraud"]);
    assert_eq!((p.total.plans, p.untagged.plans), (1, 0));
    assert!(p
        .areas
        .iter()
        .flat_map(|a| &a.threats)
        .all(|t| t.model == ManagementModel::NationallyLed));
    let p = run(PortfolioQuery {
        threat: Some("drug-supply".into()),
        ..Default::default()
    });
    assert_eq!(p.total.plans, 1);
}

#[test]
fn the_drill_down_names_only_member_plans() {
    let p = run(PortfolioQuery {
        list: Some("county-lines".into()),
        only: Some("red".into()),
        ..Default::default()
    });
    let list = p.list.unwrap();
    assert_eq!(list.title, "County Lines: plans with RED actions");
    assert_eq!(list.plans.len(), 1);
    assert_eq!(
        (list.plans[0].name.as_deref(), list.plans[0].id),
        (Some("Red Kings"), Some(Uuid::from_u128(1)))
    );
    let p = run(PortfolioQuery {
        list: Some("all".into()),
        only: Some("overdue-reviews".into()),
        ..Default::default()
    });
    let list = p.list.unwrap();
    assert_eq!(list.plans.len(), 1);
    assert_eq!(
        (list.plans[0].name.clone(), list.plans[0].id, list.plans[0].tier),
        (None, None, Tier::new(2).ok())
    );
    let p = run(PortfolioQuery {
        list: Some("untagged".into()),
        ..Default::default()
    });
    assert_eq!(p.list.unwrap().plans[0].name.as_deref(), Some("Dee"));
}

#[test]
fn a_retired_threat_shows_while_plans_carry_it() {
    let mut strategy = ControlStrategy::seed();
    for t in strategy
        .threats
        .iter_mut()
        .filter(|t| ["fraud", "msht"].contains(&t.key.as_str()))
    {
        t.retired = true;
    }
    let filter = PortfolioQuery::default().parse(today()).unwrap();
    let p = aggregate(&strategy, &filter, today(), &fixture(), &names(), true);
    assert!(threat(&p, "fraud").retired);
    assert!(p.areas.iter().flat_map(|a| &a.threats).all(|t| t.key != "msht"));
    assert!(p.idle_threats.iter().all(|(k, _)| k != "msht"));
}

#[test]
fn the_csv_carries_the_marking_and_defuses_formulas() {
    let mut strategy = ControlStrategy::seed();
    strategy.threats[2].name = "=HYPERLINK(\"http://evil\")".into();
    let filter = PortfolioQuery::default().parse(today()).unwrap();
    let p = aggregate(&strategy, &filter, today(), &fixture(), &names(), false);
    let csv = export::to_csv("OFFICIAL-SENSITIVE", "Control Strategy May 2024", &p);
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(
        (lines[0], *lines.last().unwrap()),
        ("\"OFFICIAL-SENSITIVE\"", "\"OFFICIAL-SENSITIVE\"")
    );
    assert!(lines[1].contains("your plans only"));
    let row = lines.iter().find(|l| l.contains("HYPERLINK")).unwrap();
    assert!(
        row.starts_with("\"Commodity\",\"'=HYPERLINK(\"\"http://evil\"\")\",\"Force-led, ROCU assisted\""),
        "{row}"
    );
    assert!(row.ends_with(",\"2\",\"1\",\"1\",\"0\",\"0\",\"0\",\"1\",\"1\",\"3\",\"2\",\"2\",\"0\",\"2\",\"1\",\"2\",\"0\",\"2\",\"0\",\"0\""), "{row}");
    assert!(lines.iter().any(|l| l.starts_with("\"\",\"All plans\"")));
    assert!(!csv.contains("Red Kings"), "the CSV names no plan");
}
