//! How the values of [`super`] are shown (dates, statuses, small values,
//! review states, other Ps).

use super::*;
use std::collections::BTreeSet;

fn d(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

fn action(ps: &[P], status: Option<RagStatus>) -> Action {
    Action {
        id: "a1".into(),
        ps: ps.iter().copied().collect::<BTreeSet<_>>(),
        date: None,
        target_date: None,
        text: "Warrant".into(),
        owner_name: String::new(),
        owner_agency: String::new(),
        update: String::new(),
        status,
        disruption: None,
        submitted: false,
    }
}

#[test]
fn dates_read_as_the_template_writes_them() {
    assert_eq!(format_date(d("2026-11-21")), "21 Nov 2026");
    assert_eq!(format_date(d("2026-03-05")), "5 Mar 2026");
    assert_eq!(format_opt_date(None), "Not set");
}

#[test]
fn the_marking_is_printed_in_every_page_margin() {
    let css = print_marking_css(SecurityMarking::OfficialSensitiveOperational);
    assert!(css.starts_with("@page {"));
    assert!(css.contains("@top-center { content: \"OFFICIAL-SENSITIVE-OPERATIONAL\";"));
    assert!(css.contains("@bottom-center { content: \"OFFICIAL-SENSITIVE-OPERATIONAL\";"));
    assert!(css.contains("@page :first { @top-center { content: none; } }"));
}

#[test]
fn status_has_a_class_and_text() {
    assert_eq!(rag_class(Some(RagStatus::Red)), "rag rag-red");
    assert_eq!(rag_class(Some(RagStatus::Amber)), "rag rag-amber");
    assert_eq!(rag_class(Some(RagStatus::Green)), "rag rag-green");
    assert_eq!(rag_class(None), "rag rag-unset");
    assert_eq!(rag_text(Some(RagStatus::Amber)), "AMBER");
    assert_eq!(count_class(RagStatus::Red, 2), "rag rag-red");
    assert_eq!(count_class(RagStatus::Green, 0), "rag rag-green rag-zero");
    assert_eq!(rag_text(None), "Not set");
    assert_eq!(disruption_text(Some(Disruption::Major)), "MAJOR");
    assert_eq!(disruption_text(None), "Not assessed");
    assert_eq!(
        disruption_class(Some(Disruption::Negative)),
        "disruption disruption-negative"
    );
}

#[test]
fn small_values_read_naturally() {
    assert_eq!(yes_no(true), "Y");
    assert_eq!(yes_no(false), "N");
    assert_eq!(tier_text(Some(Tier::new(2).unwrap())), "Tier 2");
    assert_eq!(tier_text(None), "Not set");
    assert_eq!(kind_short(Some(SubjectKind::Pi)), "PI");
    assert_eq!(kind_long(Some(SubjectKind::Ocg)), "Organised Crime Group (OCG)");
    assert_eq!(or_not_set("  "), "Not set");
    assert_eq!(owner_text("DS Smith", "NCA"), "DS Smith / NCA");
    assert_eq!(owner_text("", "Council"), "Council");
    assert_eq!(owner_text(" ", ""), "Not set");
    let id = uuid::Uuid::nil();
    assert_eq!(plan_href(id), format!("/plans/{id}"));
}

#[test]
fn review_dates_are_flagged_in_words() {
    let today = d("2026-06-10");
    assert_eq!(ReviewState::of(Some(d("2026-06-09")), today), ReviewState::Overdue);
    assert_eq!(ReviewState::of(Some(d("2026-06-10")), today), ReviewState::DueToday);
    assert_eq!(ReviewState::of(Some(d("2026-06-11")), today), ReviewState::Upcoming);
    assert_eq!(ReviewState::of(None, today), ReviewState::NotSet);
    assert_eq!(ReviewState::Overdue.flag(), Some("Overdue"));
    assert_eq!(ReviewState::Upcoming.flag(), None);
}

#[test]
fn other_ps_are_named() {
    let both = action(&[P::Pursue, P::Protect], Some(RagStatus::Red));
    assert_eq!(also_aligned(&both, P::Protect).as_deref(), Some("PURSUE"));
    assert_eq!(also_aligned(&action(&[P::Prevent], None), P::Prevent), None);
}
