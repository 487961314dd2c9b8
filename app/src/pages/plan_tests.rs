//! Server rendering of the plan page: the template's order, values shown
//! (escaped) and overdue work flagged, all in the first paint.

use super::plan::PlanView;
use chrono::NaiveDate;
use leptos::prelude::*;
use leptos_meta::provide_meta_context;
use plan::strategy::{ControlStrategy, ThreatKey};
use plan::{ActionChange, NewAction, NewPlan, ReviewIntervals, SubjectKind, Tier};
use plan::{Disruption, RagStatus};
use plan::{PlanDoc, Section, P};

fn d(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

fn sample() -> PlanDoc {
    let new = NewPlan {
        subject_kind: SubjectKind::Ocg,
        subject_name: "Red Kings".into(),
        subject_ref: "OCG/42".into(),
        tier: Tier::new(1).unwrap(),
        lro: "DI Jones".into(),
    };
    let doc = PlanDoc::create(&new, d("2026-01-15"));
    {
        let mut txn = doc.transact_mut();
        doc.set_section_text(&mut txn, Section::Aim, "Dismantle the group <b>now</b>");
        doc.select_objective(&mut txn, "pursue-4", true).unwrap();
        let id = doc
            .add_action(
                &mut txn,
                &NewAction {
                    date: Some(d("2026-01-20")),
                    target_date: Some(d("2026-02-01")),
                    owner_name: "DS Smith".into(),
                    owner_agency: "Police".into(),
                    status: RagStatus::Amber,
                    ..NewAction::new([P::Pursue, P::Protect], "Execute warrant")
                },
            )
            .unwrap();
        doc.change_action(&mut txn, &id, &ActionChange::Disruption(Some(Disruption::Major)))
            .unwrap();
    }
    doc
}

fn render(plan: PlanDoc, today: NaiveDate) -> String {
    render_with(plan, today, ControlStrategy::seed())
}

fn render_with(plan: PlanDoc, today: NaiveDate, strategy: ControlStrategy) -> String {
    // The page's account bar loads who is logged in in the background.
    let _ = any_spawner::Executor::init_futures_executor();
    Owner::new().with(|| {
        provide_meta_context();
        let intervals = ReviewIntervals::default();
        let viewing = crate::live::Viewing {
            role: plan::access::Role::Lro,
            agency: "Police".into(),
            name: "Dee Lro".into(),
            closed: false,
        };
        view! { <PlanView id=uuid::Uuid::nil() plan=plan intervals=intervals viewing=viewing strategy=strategy today=today/> }.to_html()
    })
}

fn positions(html: &str, needles: &[&str]) -> Vec<usize> {
    needles
        .iter()
        .map(|n| html.find(n).unwrap_or_else(|| panic!("missing {n}")))
        .collect()
}

#[test]
fn the_plan_reads_in_the_templates_order() {
    let html = render(sample(), d("2026-03-01"));
    let titles: Vec<&str> = Section::ALL.iter().map(|s| s.title()).collect();
    let pos = positions(&html, &titles);
    assert!(pos.windows(2).all(|w| w[0] < w[1]), "sections out of order");
    let logs: Vec<String> = P::ACTION_LOG_ORDER
        .iter()
        .map(|p| format!("id=\"action-log-{}\"", p.key()))
        .collect();
    let pos = positions(&html, &logs.iter().map(String::as_str).collect::<Vec<_>>());
    assert!(pos.windows(2).all(|w| w[0] < w[1]), "action logs out of order");
    assert_eq!(html.matches("class=\"marking ").count(), 2);
    assert!(html.contains("OFFICIAL-SENSITIVE"));
    for heading in P::ALL.iter().map(|p| p.heading()) {
        assert!(html.contains(heading), "{heading}");
    }
}

#[test]
fn the_plan_shows_its_values_escaped_and_flags_overdue_work() {
    let html = render(sample(), d("2026-03-01"));
    assert!(html.contains("Dismantle the group &lt;b&gt;now&lt;/b&gt;"));
    assert!(html.contains("Red Kings"));
    // Tier 1: next review a month after creation, now past.
    assert!(html.contains("15 Feb 2026"));
    assert_eq!(
        html.matches(">Overdue<").count(),
        1 + 2,
        "review + the action in two tables"
    );
    assert_eq!(
        html.matches("data-action-id=").count(),
        2,
        "the action is under PURSUE and PROTECT"
    );
    assert!(html.contains("class=\"rag rag-amber\">AMBER<"));
    assert!(html.contains(">MAJOR<"));
    assert!(html.contains("DS Smith / Police"));
    assert!(html.contains("data-objective-id=\"pursue-4\" data-selected=\"true\""));
    assert!(html.contains("data-objective-id=\"pursue-1\" data-selected=\"false\""));
    assert_eq!(
        html.matches("<summary>Guidance</summary>").count(),
        Section::ALL.len() + 2
    );

    let html = render(sample(), d("2026-01-20"));
    assert!(!html.contains(">Overdue<"));
}

#[test]
fn threats_come_from_the_strategy_by_area_and_a_retired_tag_is_offered_only_to_be_removed() {
    let plan = sample();
    plan.tag_threat(&mut plan.transact_mut(), &ThreatKey::parse("prison-soc").unwrap(), true);
    let mut strategy = ControlStrategy::seed();
    strategy.threats[1].retired = true; // prison-soc, tagged
    strategy.threats[8].retired = true; // fraud, not tagged
    strategy.threats[0].name = "SOC consistency & enablers".into();
    let html = render_with(plan, d("2026-03-01"), strategy);
    assert!(
        html.contains("Prison-related SOC (retired)"),
        "the header names the tag"
    );
    let checkboxes = positions(
        &html,
        &[
            "data-area=\"SOC Management\"",
            "data-threat=\"soc-consistency\"",
            "data-threat=\"prison-soc\"",
            "data-area=\"Commodity\"",
        ],
    );
    assert!(checkboxes.windows(2).all(|w| w[0] < w[1]), "grouped by SGG area");
    assert!(html.contains("SOC consistency &amp; enablers"));
    assert!(
        html.contains("Regionally (SGG)-led · Set minimum standard (CIPRA) &amp; build case for change"),
        "model and battles as help"
    );
    assert!(
        !html.contains("data-threat=\"fraud\""),
        "an untagged retired threat is not offered"
    );
    assert!(html.contains("data-threat=\"cyber-crime\""));
}
