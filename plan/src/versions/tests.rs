//! Comparing two versions of a plan made with known changes.

use super::*;
use crate::{ActionChange, NewAction, NewPlan, PlanDoc, RagStatus, Section, SubjectKind, Tier, P};

fn plan() -> PlanDoc {
    let new = NewPlan {
        subject_kind: SubjectKind::Ocg,
        subject_name: "Red Kings".into(),
        subject_ref: "OCG-1".into(),
        tier: Tier::new(2).unwrap(),
        lro: "DI Okafor".into(),
    };
    PlanDoc::create(&new, chrono::NaiveDate::from_ymd_opt(2026, 11, 1).unwrap())
}

fn export(doc: &PlanDoc) -> crate::PlanExport {
    doc.export(&doc.transact(), uuid::Uuid::nil(), &Default::default())
}

#[test]
fn a_fixture_of_known_changes_compares_section_by_section_and_field_by_field() {
    let doc = plan();
    let (kept, gone) = {
        let mut t = doc.transact_mut();
        doc.set_section_text(&mut t, Section::Aim, "Disrupt the Red Kings supply");
        let kept = doc.add_action(&mut t, &NewAction::new([P::Pursue], "Warrant")).unwrap();
        let gone = doc
            .add_action(&mut t, &NewAction::new([P::Prevent], "Leaflets"))
            .unwrap();
        (kept, gone)
    };
    let before = export(&doc);
    let added = {
        let mut t = doc.transact_mut();
        doc.set_section_text(&mut t, Section::Aim, "Dismantle the Red Kings county lines supply");
        doc.set_tier(&mut t, Tier::new(1).unwrap());
        doc.select_objective(&mut t, "pursue-1", true).unwrap();
        doc.change_action(&mut t, &kept, &ActionChange::Status(RagStatus::Green))
            .unwrap();
        doc.change_action(&mut t, &kept, &ActionChange::Update("Executed 2 Nov".into()))
            .unwrap();
        doc.delete_action(&mut t, &gone).unwrap();
        doc.add_action(&mut t, &NewAction::new([P::Protect], "Safeguarding visit"))
            .unwrap()
    };
    let c = compare(&before, &export(&doc));
    assert_eq!(c.sections.len(), 1);
    assert_eq!(c.sections[0].field, "aim");
    assert!(c.sections[0].pieces.contains(&Piece::Inserted("Dismantle".into())));
    assert!(c.sections[0].pieces.contains(&Piece::Deleted("Disrupt".into())));
    let fields: Vec<(&str, &str, &str)> = c
        .fields
        .iter()
        .map(|f| (f.field.as_str(), f.old.as_str(), f.new.as_str()))
        .collect();
    assert!(fields.contains(&("tier", "2", "1")), "{fields:?}");
    assert!(fields
        .iter()
        .any(|(f, old, new)| *f == "objective:pursue-1" && !old.starts_with("Y: ") && new.starts_with("Y: ")));
    let kinds: Vec<(&str, ActionChangeKind)> = c.actions.iter().map(|a| (a.id.as_str(), a.kind)).collect();
    assert_eq!(
        kinds,
        [
            (kept.as_str(), ActionChangeKind::Changed),
            (added.as_str(), ActionChangeKind::Added),
            (gone.as_str(), ActionChangeKind::Removed)
        ]
    );
    let changed: Vec<(String, String, String)> = c.actions[0]
        .fields
        .iter()
        .map(|f| (f.field.clone(), f.old.clone(), f.new.clone()))
        .collect();
    assert_eq!(
        changed,
        [
            (
                format!("action:{kept}:update"),
                String::new(),
                "Executed 2 Nov".to_string()
            ),
            (format!("action:{kept}:status"), "RED".to_string(), "GREEN".to_string()),
        ]
    );
    assert!(compare(&before, &before).is_empty());
}

#[test]
fn versions_are_named_in_urls() {
    assert_eq!(At::parse("review-3"), Ok(At::Review(3)));
    assert_eq!(At::parse("seq-0"), Ok(At::Seq(0)));
    assert_eq!(At::parse("now"), Ok(At::Now));
    assert!(At::parse("review-0").is_err() && At::parse("yesterday").is_err());
    assert_eq!(At::Review(2).key(), "review-2");
}
