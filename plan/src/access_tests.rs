use super::*;
use crate::{new_doc, ActionChange, NewAction, NewPlan, RagStatus, Section, SubjectKind, Tier, P};
use yrs::{ReadTxn, StateVector, Transact};

/// A plan with one Police action and one Council action, and a replica of
/// it belonging to someone else.
fn plan_and_replica() -> (PlanDoc, PlanDoc, String, String) {
    let new = NewPlan {
        subject_kind: SubjectKind::Ocg,
        subject_name: "Red Kings".into(),
        subject_ref: "OCG/1".into(),
        tier: Tier::new(2).unwrap(),
        lro: "DI Jones".into(),
    };
    let plan = PlanDoc::create(&new, "2026-01-01".parse().unwrap());
    let add = |agency: &str| {
        plan.add_action(
            &mut plan.transact_mut(),
            &NewAction {
                owner_agency: agency.into(),
                ..NewAction::new([P::Pursue], format!("{agency} work"))
            },
        )
        .unwrap()
    };
    let (police, council) = (add("Police"), add("Council"));
    let replica = PlanDoc::from_state(&plan.encode_state()).unwrap();
    (plan, replica, police, council)
}

/// The update an edit of the replica produces.
fn edit(replica: &PlanDoc, change: impl FnOnce(&PlanDoc, &mut yrs::TransactionMut)) -> Vec<u8> {
    let before = replica.doc().transact().state_vector();
    change(replica, &mut replica.transact_mut());
    replica.doc().transact().encode_state_as_update_v1(&before)
}

fn council_partner(plan: &PlanDoc, update: &[u8]) -> Result<Vec<Change>, String> {
    let changes = preview(plan, update)?;
    check(Role::Partner, "council", &changes).map(|()| changes)
}

#[test]
fn a_partner_edits_its_own_agencys_actions_and_adds_its_own() {
    let (plan, replica, _, council) = plan_and_replica();
    let update = edit(&replica, |p, t| {
        p.change_action(t, &council, &ActionChange::Status(RagStatus::Green))
            .unwrap();
        p.change_action(t, &council, &ActionChange::Update("Done".into()))
            .unwrap();
    });
    let changes = council_partner(&plan, &update).expect("its own action");
    let fields: Vec<&str> = changes.iter().map(|c| c.field.as_str()).collect();
    assert_eq!(
        fields,
        [format!("action:{council}:update"), format!("action:{council}:status")]
    );
    assert_eq!(changes[1].old.as_deref(), Some("RED"));
    assert_eq!(changes[1].new.as_deref(), Some("GREEN"));

    let added = edit(&replica, |p, t| {
        let mut new = p.action(t, &council).unwrap();
        new.text = "Second visit".into();
        p.add_action(
            t,
            &NewAction {
                owner_agency: "Council".into(),
                status: RagStatus::Amber,
                ..NewAction::new(new.ps, new.text)
            },
        )
        .unwrap();
    });
    council_partner(&plan, &added).expect("adding a Council action");
}

#[test]
fn a_partner_cannot_touch_anything_else() {
    let (plan, _, police, council) = plan_and_replica();
    // Each attempt from a replica of its own: a Yjs update carries its
    // replica's whole delete set, so one replica's refused edits would
    // show up again in its later updates.
    let edit = |change: &dyn Fn(&PlanDoc, &mut yrs::TransactionMut)| {
        let replica = PlanDoc::from_state(&plan.encode_state()).unwrap();
        edit(&replica, |p, t| change(p, t))
    };
    let refusals = [
        edit(&|p, t| p.set_section_text(t, Section::Aim, "Ours now")),
        edit(&|p, t| {
            p.change_action(t, &police, &ActionChange::Status(RagStatus::Green))
                .unwrap()
        }),
        edit(&|p, t| {
            p.change_action(t, &council, &ActionChange::OwnerAgency("Police".into()))
                .unwrap()
        }),
        edit(&|p, t| p.delete_action(t, &council).unwrap()),
        edit(&|p, t| p.select_objective(t, "pursue-1", true).unwrap()),
        edit(&|p, t| p.set_tier(t, Tier::new(1).unwrap())),
    ];
    let reasons: Vec<String> = refusals
        .iter()
        .map(|u| council_partner(&plan, u).expect_err("refused"))
        .collect();
    assert!(reasons[0].contains("aim"), "{}", reasons[0]);
    assert!(reasons[1].contains("council's actions"), "{}", reasons[1]);
    assert!(reasons[2].contains("which agency owns"), "{}", reasons[2]);
    assert!(reasons[3].contains("delete"), "{}", reasons[3]);
    // Mixing an allowed edit with a forbidden one is refused whole.
    let mixed = edit(&|p, t| {
        p.change_action(t, &council, &ActionChange::Submitted(true)).unwrap();
        p.change_action(t, &police, &ActionChange::Submitted(true)).unwrap();
    });
    assert!(council_partner(&plan, &mixed).is_err());
}

#[test]
fn viewers_change_nothing_and_the_plans_officers_change_everything() {
    let (plan, replica, police, _) = plan_and_replica();
    let update = edit(&replica, |p, t| {
        p.set_section_text(t, Section::Aim, "Dismantle");
        p.delete_action(t, &police).unwrap();
    });
    let changes = preview(&plan, &update).unwrap();
    assert!(check(Role::Viewer, "Police", &changes).is_err());
    for role in [Role::Lro, Role::PlanOwner, Role::Sio] {
        assert_eq!(check(role, "Anyone", &changes), Ok(()));
    }
    assert_eq!(changes[0].field, "aim");
    assert_eq!(
        (changes[0].old.as_deref(), changes[0].new.as_deref()),
        (Some(""), Some("Dismantle"))
    );
    assert_eq!(changes[1].field, format!("action:{police}"));
}

#[test]
fn long_texts_are_recorded_as_changed_without_their_words() {
    let (plan, replica, _, _) = plan_and_replica();
    let long = "x".repeat(SHORT_VALUE + 1);
    let update = edit(&replica, |p, t| p.set_section_text(t, Section::Partnerships, &long));
    let changes = preview(&plan, &update).unwrap();
    assert_eq!(changes.len(), 1);
    assert_eq!((changes[0].old.clone(), changes[0].new.clone()), (None, None));
}

#[test]
fn junk_is_an_error_and_an_empty_update_changes_nothing() {
    let (plan, _, _, _) = plan_and_replica();
    assert!(preview(&plan, &[0xff, 0xff, 0xff]).is_err());
    let nothing = new_doc().transact().encode_state_as_update_v1(&StateVector::default());
    assert_eq!(preview(&plan, &nothing), Ok(vec![]));
    assert_eq!(check(Role::Partner, "Council", &[]), Ok(()));
}
