use super::*;
use crate::{new_doc, NewAction, P};
use yrs::updates::decoder::Decode;
use yrs::{Doc, Text, Transact, Update};

fn plan_with_aim(aim: &str) -> PlanDoc {
    let plan = PlanDoc::new(new_doc());
    plan.set_section_text(&mut plan.transact_mut(), Section::Aim, aim);
    plan
}

/// Applies everything `from` has that `to` lacks.
fn sync(from: &Doc, to: &Doc) {
    let sv = to.transact().state_vector();
    let update = from.transact().encode_state_as_update_v1(&sv);
    to.transact_mut()
        .apply_update(Update::decode_v1(&update).unwrap())
        .unwrap();
}

fn words(plan: &PlanDoc, anchor: &Anchor) -> String {
    let Anchor::Range { start, end, .. } = anchor else {
        panic!("a range")
    };
    locate(plan, &plan.transact(), Section::Aim, start, end).unwrap().text
}

#[test]
fn a_comment_is_trimmed_and_neither_empty_nor_too_long() {
    assert_eq!(
        CommentText::parse("  Who owns this?  ").unwrap().as_str(),
        "Who owns this?"
    );
    assert_eq!(CommentText::parse(" \n "), Err(CommentError::Empty));
    let long = "é".repeat(MAX_COMMENT_CHARS + 1);
    assert_eq!(
        CommentText::parse(&long),
        Err(CommentError::TooLong(MAX_COMMENT_CHARS + 1))
    );
    assert!(CommentText::parse(&"é".repeat(MAX_COMMENT_CHARS)).is_ok());
}

#[test]
fn a_range_stays_on_its_words_while_another_replica_types_before_and_after_them() {
    let plan = plan_with_aim("Disrupt the supply of drugs");
    let anchor = Anchor::range(&plan, &plan.transact(), Section::Aim, 8, 18).unwrap();
    assert_eq!(words(&plan, &anchor), "the supply");

    let other = PlanDoc::new(new_doc());
    sync(plan.doc(), other.doc());
    {
        let mut txn = other.transact_mut();
        let aim = other.section_ref(Section::Aim);
        aim.insert(&mut txn, 0, "Jointly: ");
        let len = aim.len(&txn);
        aim.insert(&mut txn, len, " into Northshire");
        // Typing right after the words does not join them.
        aim.insert(&mut txn, 9 + 8 + 10, "!");
    }
    sync(other.doc(), plan.doc());
    assert_eq!(
        plan.section_text(&plan.transact(), Section::Aim),
        "Jointly: Disrupt the supply! of drugs into Northshire"
    );
    assert_eq!(words(&plan, &anchor), "the supply");
    let checked = anchor.check(&plan, &plan.transact()).unwrap().unwrap();
    assert_eq!((checked.start, checked.end), (17, 27));
}

#[test]
fn when_its_words_are_deleted_the_range_is_empty() {
    let plan = plan_with_aim("Disrupt the supply of drugs");
    let anchor = Anchor::range(&plan, &plan.transact(), Section::Aim, 8, 18).unwrap();
    plan.set_section_text(&mut plan.transact_mut(), Section::Aim, "Disrupt drugs");
    assert_eq!(words(&plan, &anchor), "");
    // A new comment cannot be made on words that are gone.
    assert_eq!(
        anchor.check(&plan, &plan.transact()),
        Err(CommentError::OutsideDocument)
    );
}

#[test]
fn an_anchor_outside_its_section_or_the_document_is_refused() {
    let plan = plan_with_aim("Disrupt the supply");
    plan.set_section_text(&mut plan.transact_mut(), Section::Partnerships, "Council, HMRC");
    let Anchor::Range { start, end, .. } = Anchor::range(&plan, &plan.transact(), Section::Partnerships, 0, 7).unwrap()
    else {
        unreachable!()
    };
    // Positions in the partnerships text, claimed for the aim.
    let claimed = Anchor::Range {
        section: "aim".into(),
        start,
        end,
    };
    assert_eq!(
        claimed.check(&plan, &plan.transact()),
        Err(CommentError::OutsideDocument)
    );
    let garbage = Anchor::Range {
        section: "aim".into(),
        start: vec![0xff, 0x01],
        end: vec![],
    };
    assert_eq!(
        garbage.check(&plan, &plan.transact()),
        Err(CommentError::OutsideDocument)
    );
    // Past the end of the text: no position to make.
    assert!(Anchor::range(&plan, &plan.transact(), Section::Aim, 0, 400).is_none());
    let nowhere = Anchor::Section {
        section: "appendix".into(),
    };
    assert_eq!(
        nowhere.check(&plan, &plan.transact()),
        Err(CommentError::NoSuchSection("appendix".into()))
    );
}

#[test]
fn an_action_anchor_names_an_action_of_the_plan() {
    let plan = PlanDoc::new(new_doc());
    let id = plan
        .add_action(&mut plan.transact_mut(), &NewAction::new([P::Pursue], "Warrant"))
        .unwrap();
    let on = Anchor::Action { action: id };
    assert_eq!(on.check(&plan, &plan.transact()), Ok(None));
    let off = Anchor::Action { action: "nope".into() };
    assert_eq!(
        off.check(&plan, &plan.transact()),
        Err(CommentError::NoSuchAction("nope".into()))
    );
}

#[test]
fn anchors_travel_as_json_with_hex_positions() {
    let plan = plan_with_aim("Disrupt");
    let anchor = Anchor::range(&plan, &plan.transact(), Section::Aim, 0, 7).unwrap();
    let json = serde_json::to_value(&anchor).unwrap();
    assert_eq!(json["kind"], "range");
    assert!(json["start"].as_str().unwrap().chars().all(|c| c.is_ascii_hexdigit()));
    assert_eq!(serde_json::from_value::<Anchor>(json).unwrap(), anchor);
    let odd = serde_json::json!({ "kind": "range", "section": "aim", "start": "abc", "end": "" });
    assert!(serde_json::from_value::<Anchor>(odd).is_err());
    // Not hex, nor even ASCII: refused, not a panic.
    let wide = serde_json::json!({ "kind": "range", "section": "aim", "start": "éé", "end": "" });
    assert!(serde_json::from_value::<Anchor>(wide).is_err());
}

#[test]
fn leads_resolve_others_threads_and_only_the_lro_hides() {
    assert!(may_resolve(Role::Sio) && may_resolve(Role::PlanOwner) && may_resolve(Role::Lro));
    assert!(!may_resolve(Role::Partner) && !may_resolve(Role::Viewer));
    assert!(may_hide(Role::Lro) && !may_hide(Role::PlanOwner));
}
