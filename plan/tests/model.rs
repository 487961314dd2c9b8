//! The plan model: every field round-trips and invalid values are refused;
//! concurrent edits on two replicas converge (`concurrent`).

use chrono::NaiveDate;
use plan::strategy::ThreatKey;
use plan::*;
use std::collections::BTreeSet;
use yrs::updates::decoder::Decode;
use yrs::{ReadTxn, StateVector, Update};

#[path = "model/concurrent.rs"]
mod concurrent;

fn d(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

fn new_plan() -> NewPlan {
    NewPlan {
        subject_kind: SubjectKind::Ocg,
        subject_name: "Operation Larch".into(),
        subject_ref: "OCG-2291".into(),
        tier: Tier::new(2).unwrap(),
        lro: "DI Sam Okafor".into(),
    }
}

fn action(ps: &[P], text: &str) -> NewAction {
    NewAction {
        ps: ps.iter().copied().collect(),
        date: Some(d("2026-11-02")),
        target_date: Some(d("2026-12-01")),
        text: text.into(),
        owner_name: "J. Patel".into(),
        owner_agency: "Housing".into(),
        update: String::new(),
        status: RagStatus::Red,
        disruption: None,
        submitted: false,
    }
}

#[test]
fn every_field_round_trips_through_an_encoded_document() {
    let plan = PlanDoc::create(&new_plan(), d("2026-11-01"));
    let id;
    {
        let mut txn = plan.transact_mut();
        plan.set_header_text(&mut txn, HeaderText::Sio, "DCI Ruth Hale");
        plan.set_header_text(&mut txn, HeaderText::PlanOwner, "DS Lee");
        plan.set_marking(&mut txn, SecurityMarking::OfficialSensitiveOperational);
        plan.set_last_review(&mut txn, Some(d("2026-11-10")));
        for (i, s) in Section::ALL.iter().enumerate() {
            plan.set_section_text(&mut txn, *s, &format!("text {i} for {}", s.key()));
        }
        plan.select_objective(&mut txn, "prevent-3", true).unwrap();
        plan.add_custom_objective(&mut txn, P::Protect, "Target harden the night-time economy");
        plan.tag_threat(&mut txn, &ThreatKey::parse("county-lines").unwrap(), true);
        let mut a = action(&[P::Pursue, P::Prevent], "Closure order on 14 Mill Lane");
        a.update = "Application lodged".into();
        a.status = RagStatus::Amber;
        a.disruption = Some(Disruption::Moderate);
        a.submitted = true;
        id = plan.add_action(&mut txn, &a).unwrap();
    }
    let bytes = plan.transact().encode_state_as_update_v1(&StateVector::default());
    let loaded = PlanDoc::new(new_doc());
    loaded
        .transact_mut()
        .apply_update(Update::decode_v1(&bytes).unwrap())
        .unwrap();

    let plan_id = uuid::Uuid::new_v4();
    let intervals = ReviewIntervals::default();
    let original = plan.export(&plan.transact(), plan_id, &intervals);
    let export = loaded.export(&loaded.transact(), plan_id, &intervals);
    assert_eq!(export, original);

    let h = &export.header;
    assert_eq!(h.subject_kind, Some(SubjectKind::Ocg));
    assert_eq!(h.subject_name, "Operation Larch");
    assert_eq!(h.subject_ref, "OCG-2291");
    assert_eq!(h.tier, Tier::new(2).ok());
    assert_eq!(
        (h.lro.as_str(), h.sio.as_str(), h.plan_owner.as_str()),
        ("DI Sam Okafor", "DCI Ruth Hale", "DS Lee")
    );
    assert_eq!(export.marking, SecurityMarking::OfficialSensitiveOperational);
    assert_eq!(
        export.next_review,
        Some(d("2027-01-10")),
        "tier 2 reviews every 2 months"
    );
    assert_eq!(export.threats, vec!["county-lines".to_string()]);
    assert_eq!(export.sections.len(), 9);
    assert_eq!(export.sections["lro_update"], "text 8 for lro_update");
    let prevent = &export.objectives["prevent"];
    assert!(prevent.iter().any(|o| o.id == "prevent-3" && o.selected));
    assert_eq!(prevent.iter().filter(|o| o.selected).count(), 1);
    let protect = &export.objectives["protect"];
    assert_eq!(protect.len(), 5);
    assert!(protect[4].custom && protect[4].selected);

    let a = &export.actions[0];
    assert_eq!(a.id, id);
    assert_eq!(a.ps, BTreeSet::from([P::Pursue, P::Prevent]));
    assert_eq!((a.date, a.target_date), (Some(d("2026-11-02")), Some(d("2026-12-01"))));
    assert_eq!(a.text, "Closure order on 14 Mill Lane");
    assert_eq!(
        (a.owner_name.as_str(), a.owner_agency.as_str()),
        ("J. Patel", "Housing")
    );
    assert_eq!(a.update, "Application lodged");
    assert_eq!(a.status, Some(RagStatus::Amber));
    assert_eq!(a.disruption, Some(Disruption::Moderate));
    assert!(a.submitted);
    assert_eq!(loaded.actions_for(&loaded.transact(), P::Pursue).len(), 1);
    assert!(loaded.actions_for(&loaded.transact(), P::Prepare).is_empty());

    let json = serde_json::to_value(&export).unwrap();
    assert_eq!(json["marking"], "OFFICIAL-SENSITIVE-OPERATIONAL");
    assert_eq!(json["actions"][0]["status"], "AMBER");
    assert_eq!(json["header"]["tier"], 2);
}

#[test]
fn next_review_follows_the_tier_from_creation() {
    let plan = PlanDoc::create(&new_plan(), d("2026-11-01"));
    let intervals = ReviewIntervals::default();
    assert_eq!(
        plan.header(&plan.transact()).next_review(&intervals),
        Some(d("2027-01-01"))
    );
    plan.set_tier(&mut plan.transact_mut(), Tier::new(4).unwrap());
    assert_eq!(
        plan.header(&plan.transact()).next_review(&intervals),
        Some(d("2027-05-01"))
    );
}

#[test]
fn invalid_edits_are_refused_and_change_nothing() {
    let plan = PlanDoc::create(&new_plan(), d("2026-11-01"));
    let mut txn = plan.transact_mut();
    assert_eq!(plan.add_action(&mut txn, &action(&[], "x")), Err(ModelError::NoP));
    assert!(plan.add_action(&mut txn, &action(&[P::Pursue], "  ")).is_err());
    let id = plan.add_action(&mut txn, &action(&[P::Pursue], "ANPR")).unwrap();
    assert_eq!(
        plan.change_action(&mut txn, &id, &ActionChange::Align(P::Pursue, false)),
        Err(ModelError::NoP)
    );
    assert!(matches!(
        plan.change_action(&mut txn, "nope", &ActionChange::Submitted(true)),
        Err(ModelError::UnknownAction(_))
    ));
    assert!(plan.select_objective(&mut txn, "pursue-7", true).is_err());
    assert_eq!(plan.actions(&txn)[0].ps, BTreeSet::from([P::Pursue]));

    let bad = new_plan();
    assert!(NewPlan {
        subject_name: "   ".into(),
        ..bad.clone()
    }
    .validate()
    .is_err());
    assert!(NewPlan {
        lro: "x".repeat(201),
        ..bad
    }
    .validate()
    .is_err());
    let err = serde_json::from_str::<NewPlan>(r#"{"subject_kind":"GANG","subject_name":"x","tier":1}"#).unwrap_err();
    assert!(err.to_string().contains("subject_kind"), "{err}");
    let err = serde_json::from_str::<NewPlan>(r#"{"subject_kind":"OCG","subject_name":"x","tier":9}"#).unwrap_err();
    assert!(err.to_string().contains("tier"), "{err}");
}

#[test]
fn unknown_values_in_a_document_read_as_absent_without_panicking() {
    let plan = PlanDoc::create(&new_plan(), d("2026-11-01"));
    let id = plan
        .add_action(&mut plan.transact_mut(), &action(&[P::Pursue], "Warrant"))
        .unwrap();
    {
        // Another client (not ours) writes values outside the vocabularies.
        use yrs::{Map, WriteTxn};
        let mut txn = plan.transact_mut();
        let header = txn.get_or_insert_map("header");
        header.insert(&mut txn, "tier", 9);
        header.insert(&mut txn, "marking", "TOP SECRET");
        header.insert(&mut txn, "subject_kind", 42);
        let a = plan.action_ref(&txn, &id).unwrap();
        a.insert(&mut txn, "status", "PURPLE");
        a.insert(&mut txn, "disruption", true);
        a.insert(&mut txn, "date", "yesterday");
        a.insert(&mut txn, "text", 7);
    }
    let txn = plan.transact();
    let h = plan.header(&txn);
    assert_eq!((h.tier, h.subject_kind), (None, None));
    assert_eq!(
        h.marking,
        SecurityMarking::OfficialSensitive,
        "unreadable marking falls back to the default"
    );
    let a = plan.action(&txn, &id).unwrap();
    assert_eq!((a.status, a.disruption, a.date), (None, None, None));
    assert_eq!(a.text, "");
    assert_eq!(
        plan.summary(&txn, uuid::Uuid::nil(), &ReviewIntervals::default())
            .actions
            .unset,
        1
    );
}
