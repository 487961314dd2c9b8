//! The plan each case starts from, and random actions and changes.

use super::rng::Rng;
use super::world::{doc_as, AGENCIES, LEGACY_CLIENT};
use plan::{
    ActionChange, Disruption, HeaderText, NewAction, PlanDoc, RagStatus, Section, SecurityMarking, SubjectKind, Tier, P,
};
use yrs::types::RootRef;
use yrs::{Map, MapPrelim, MapRef, TextPrelim, TransactionMut};

/// A plan as a stored one might be: written under one client id whose
/// owner was never recorded.
pub(crate) fn seed_plan(rng: &mut Rng) -> (PlanDoc, Vec<String>) {
    let doc = doc_as(LEGACY_CLIENT);
    let header = doc.get_or_insert_map("header");
    let plan = PlanDoc::new(doc);
    let mut actions = Vec::new();
    {
        let mut t = plan.transact_mut();
        plan.set_subject_kind(&mut t, SubjectKind::Ocg);
        plan.set_tier(&mut t, Tier::new(2).unwrap());
        plan.set_marking(&mut t, SecurityMarking::default());
        header.insert(&mut t, "created", "2026-01-01");
        plan.set_header_text(&mut t, HeaderText::SubjectName, "Red Kings");
        plan.set_header_text(&mut t, HeaderText::SubjectRef, "OCG/1");
        plan.set_header_text(&mut t, HeaderText::Lro, "DI Jones");
        plan.set_section_text(&mut t, Section::Aim, "Dismantle");
        for _ in 0..rng.range(2, 5) {
            let agency = rng.pick(&AGENCIES[..6]).to_string();
            let action = new_action(rng, agency);
            let id = rng.id();
            actions.push(add_action(&mut t, &id, &action));
        }
    }
    {
        // Some history: deleted text and an action gone.
        let mut t = plan.transact_mut();
        plan.set_section_text(&mut t, Section::Aim, "Dismantle the group");
        plan.set_section_text(&mut t, Section::Partnerships, "Council, Fire");
    }
    plan.set_section_text(&mut plan.transact_mut(), Section::Partnerships, "Council");
    (plan, actions)
}

/// Adds an action as [`PlanDoc::add_action`] does (the same keys, values
/// and shared types) under a given id, field by field in a fixed order:
/// `add_action` writes a `MapPrelim`, whose entries yrs integrates in hash
/// order, which changes from run to run, and a seed must replay the same
/// document. `tests/admission_property.rs` checks the two read the same.
pub fn add_action(t: &mut TransactionMut, id: &str, action: &NewAction) -> String {
    let actions = MapRef::root("actions").get_or_create(t);
    let map = actions.insert(t, id, MapPrelim::default());
    let ps = map.insert(t, "ps", MapPrelim::default());
    for p in &action.ps {
        ps.insert(t, p.as_str(), true);
    }
    if let Some(d) = action.date {
        map.insert(t, "date", d.to_string());
    }
    if let Some(d) = action.target_date {
        map.insert(t, "target_date", d.to_string());
    }
    map.insert(t, "text", TextPrelim::new(action.text.as_str()));
    map.insert(t, "owner_name", TextPrelim::new(action.owner_name.as_str()));
    map.insert(t, "owner_agency", action.owner_agency.as_str());
    map.insert(t, "update", TextPrelim::new(action.update.as_str()));
    map.insert(t, "status", action.status.as_str());
    if let Some(d) = action.disruption {
        map.insert(t, "disruption", d.as_str());
    }
    map.insert(t, "submitted", action.submitted);
    id.to_string()
}

/// Adds a custom objective as [`PlanDoc::add_custom_objective`] does, in a
/// fixed order (see [`add_action`]).
pub fn add_custom_objective(t: &mut TransactionMut, id: &str, p: P, text: &str) -> String {
    let customs = MapRef::root("custom_objectives").get_or_create(t);
    let map = customs.insert(t, id, MapPrelim::default());
    map.insert(t, "p", p.as_str());
    map.insert(t, "text", TextPrelim::new(text));
    map.insert(t, "selected", true);
    id.to_string()
}

pub fn new_action_for_test(rng: &mut Rng, agency: &str) -> NewAction {
    new_action(rng, agency.to_string())
}

fn date(rng: &mut Rng) -> chrono::NaiveDate {
    chrono::NaiveDate::from_ymd_opt(2026, rng.range(1, 12), rng.range(1, 28)).unwrap()
}

pub(crate) fn new_action(rng: &mut Rng, agency: String) -> NewAction {
    let mut ps = vec![*rng.pick(&P::ALL)];
    if rng.chance(30) {
        ps.push(*rng.pick(&P::ALL));
    }
    NewAction {
        owner_agency: agency,
        date: rng.chance(50).then(|| date(rng)),
        target_date: rng.chance(30).then(|| date(rng)),
        owner_name: rng.text(0, 5),
        update: rng.text(0, 5),
        status: *rng.pick(RagStatus::ALL),
        disruption: rng.chance(40).then(|| *rng.pick(Disruption::ALL)),
        submitted: rng.chance(20),
        ..NewAction::new(ps, format!("do {}", rng.text(1, 6)))
    }
}

/// A change to any field of an action.
pub(crate) fn any_change(rng: &mut Rng) -> ActionChange {
    match rng.below(4) {
        0 => ActionChange::Align(*rng.pick(&P::ALL), rng.chance(60)),
        1 => ActionChange::OwnerAgency(rng.pick(&AGENCIES).to_string()),
        _ => partner_change(rng),
    }
}

/// A change to a field a partner may change.
pub(crate) fn partner_change(rng: &mut Rng) -> ActionChange {
    match rng.below(9) {
        0 => ActionChange::Date(rng.chance(70).then(|| date(rng))),
        1 => ActionChange::TargetDate(rng.chance(70).then(|| date(rng))),
        2 => ActionChange::Text(format!("do {}", rng.text(0, 8))),
        3 => ActionChange::OwnerName(rng.text(0, 8)),
        4 | 5 => ActionChange::Update(rng.text(0, 12)),
        6 => ActionChange::Status(*rng.pick(RagStatus::ALL)),
        7 => ActionChange::Disruption(rng.chance(70).then(|| *rng.pick(Disruption::ALL))),
        _ => ActionChange::Submitted(rng.chance(50)),
    }
}
