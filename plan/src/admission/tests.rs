//! Admission against honest edits and hand-built attacks: what each role
//! may change here; hand-built updates in `hostile`; updates sent again,
//! gates loaded from stored plans and stored content in `stored`.

use super::*;
use crate::{ActionChange, NewAction, NewPlan, RagStatus, Section, SubjectKind, Tier, P};
use yrs::updates::decoder::Decode;
use yrs::{Map, ReadTxn, Text, TextPrelim, Transact};

mod hostile;
mod stored;

const LRO: uuid::Uuid = uuid::Uuid::from_u128(1);
const COUNCIL: uuid::Uuid = uuid::Uuid::from_u128(2);
const VIEWER: uuid::Uuid = uuid::Uuid::from_u128(3);

pub(super) fn lro() -> Writer<'static> {
    Writer {
        user: LRO,
        role: Role::Lro,
        agency: "Police",
    }
}

pub(super) fn council() -> Writer<'static> {
    Writer {
        user: COUNCIL,
        role: Role::Partner,
        agency: "council",
    }
}

fn viewer() -> Writer<'static> {
    Writer {
        user: VIEWER,
        role: Role::Viewer,
        agency: "Schools",
    }
}

/// A plan with one Police action and one Council action, its gate, and the
/// ids of the two actions.
pub(super) fn plan() -> (PlanDoc, Gate, String, String) {
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
    let gate = Gate::load(&plan, []);
    (plan, gate, police, council)
}

/// A replica of `plan` writing under `client`.
fn replica_as(plan: &PlanDoc, client: u64) -> PlanDoc {
    let doc = yrs::Doc::with_options(yrs::Options {
        client_id: yrs::ClientID::new(client),
        offset_kind: yrs::OffsetKind::Utf16,
        ..Default::default()
    });
    let update = yrs::Update::decode_v1(&plan.encode_state()).unwrap();
    doc.transact_mut().apply_update(update).unwrap();
    PlanDoc::new(doc)
}

pub(super) fn replica(plan: &PlanDoc) -> PlanDoc {
    PlanDoc::from_state(&plan.encode_state()).unwrap()
}

/// The update an edit of the replica produces.
pub(super) fn edit(replica: &PlanDoc, change: impl FnOnce(&PlanDoc, &mut yrs::TransactionMut)) -> Vec<u8> {
    let before = replica.doc().transact().state_vector();
    change(replica, &mut replica.transact_mut());
    replica.doc().transact().encode_state_as_update_v1(&before)
}

pub(super) fn fields(admission: &Admission) -> Vec<String> {
    match admission {
        Admission::Applied { changes, .. } => changes.iter().map(|c| c.field.clone()).collect(),
        Admission::Nothing => Vec::new(),
    }
}

pub(super) fn rule(refusal: Refusal) -> String {
    match refusal {
        Refusal::Denied { place, rule } => format!("{place}: {rule}"),
        other => panic!("expected a denial, got {other:?}"),
    }
}

fn var(out: &mut Vec<u8>, mut n: u64) {
    loop {
        let byte = (n & 0x7f) as u8;
        n >>= 7;
        if n == 0 {
            out.push(byte);
            return;
        }
        out.push(byte | 0x80);
    }
}

/// An update with no structs that deletes `len` ids of `client` from `clock`.
fn delete_only(client: u64, clock: u32, len: u32) -> Vec<u8> {
    let mut out = vec![0];
    for n in [1, client, 1, u64::from(clock), u64::from(len)] {
        var(&mut out, n);
    }
    out
}

#[test]
fn a_partner_edits_its_own_agencys_actions_and_the_trail_names_each_field() {
    let (plan, mut gate, _, council_action) = plan();
    let update = edit(&replica(&plan), |p, t| {
        p.change_action(t, &council_action, &ActionChange::Status(RagStatus::Green))
            .unwrap();
        p.change_action(t, &council_action, &ActionChange::Update("Done".into()))
            .unwrap();
    });
    let admitted = gate.admit(&plan, &council(), &update).expect("its own action");
    assert_eq!(
        fields(&admitted),
        [
            format!("action:{council_action}:update"),
            format!("action:{council_action}:status")
        ]
    );
    let Admission::Applied { changes, claimed } = admitted else {
        unreachable!()
    };
    assert_eq!(changes[1].old.as_deref(), Some("RED"));
    assert_eq!(changes[1].new.as_deref(), Some("GREEN"));
    assert_eq!(claimed.len(), 1, "the replica's client id is now the partner's");
    let txn = plan.transact();
    assert_eq!(plan.action(&txn, &council_action).unwrap().update, "Done");
}

#[test]
fn a_partner_adds_actions_only_for_its_own_agency() {
    let (plan, mut gate, _, _) = plan();
    let own = edit(&replica(&plan), |p, t| {
        let action = NewAction {
            owner_agency: "Council".into(),
            ..NewAction::new([P::Prevent], "Youth outreach")
        };
        p.add_action(t, &action).unwrap();
    });
    let added = gate.admit(&plan, &council(), &own).unwrap();
    assert_eq!(fields(&added).len(), 1);
    assert!(fields(&added)[0].starts_with("action:"));
    for agency in ["Police", ""] {
        let other = edit(&replica(&plan), |p, t| {
            let action = NewAction {
                owner_agency: agency.into(),
                ..NewAction::new([P::Prevent], "Raid")
            };
            p.add_action(t, &action).unwrap();
        });
        let refusal = rule(gate.admit(&plan, &council(), &other).unwrap_err());
        assert!(refusal.contains("only actions owned by council"), "{refusal}");
    }
}

#[test]
fn a_partner_cannot_touch_what_is_not_its_own() {
    let (plan, mut gate, police, council_action) = plan();
    type Edit = Box<dyn Fn(&PlanDoc, &mut yrs::TransactionMut)>;
    let attempts: Vec<(Edit, &str)> = vec![
        (
            Box::new(|p, t| p.set_section_text(t, Section::Aim, "Dismantle")),
            "aim: partners cannot change this",
        ),
        (
            Box::new({
                let police = police.clone();
                move |p, t| {
                    p.change_action(t, &police, &ActionChange::Update("x".into())).unwrap();
                }
            }),
            "partners can change only council's actions",
        ),
        (
            Box::new({
                let c = council_action.clone();
                move |p, t| {
                    p.change_action(t, &c, &ActionChange::OwnerAgency("Police".into()))
                        .unwrap()
                }
            }),
            "cannot change which agency owns an action",
        ),
        (
            Box::new({
                let c = council_action.clone();
                move |p, t| p.change_action(t, &c, &ActionChange::Align(P::Protect, true)).unwrap()
            }),
            "partners cannot change an action's ps",
        ),
        (
            Box::new({
                let c = council_action.clone();
                move |p, t| p.delete_action(t, &c).unwrap()
            }),
            "partners cannot delete actions",
        ),
        (
            Box::new(|p, t| p.select_objective(t, "pursue-1", true).unwrap()),
            "partners cannot change this",
        ),
    ];
    for (change, expected) in attempts {
        let update = edit(&replica(&plan), |p, t| change(p, t));
        let refusal = rule(gate.admit(&plan, &council(), &update).unwrap_err());
        assert!(refusal.contains(expected), "{refusal} should say {expected}");
    }
    let txn = plan.transact();
    assert_eq!(plan.action(&txn, &police).unwrap().update, "", "nothing was applied");
}

#[test]
fn viewers_change_nothing_but_their_honest_sync_step_2_is_no_edit() {
    let (plan, mut gate, police, _) = plan();
    // The plan has seen deletions: the LRO rewrote the aim and an action.
    let lro_replica = replica(&plan);
    let update = edit(&lro_replica, |p, t| {
        p.set_section_text(t, Section::Aim, "Disrupt supply");
        p.set_section_text(t, Section::Aim, "Dismantle the group");
        p.change_action(t, &police, &ActionChange::Status(RagStatus::Amber))
            .unwrap();
    });
    gate.admit(&plan, &lro(), &update).unwrap();
    let viewer_replica = replica(&plan);
    let step2 = viewer_replica
        .doc()
        .transact()
        .encode_state_as_update_v1(&plan.doc().transact().state_vector());
    assert_eq!(gate.admit(&plan, &viewer(), &step2), Ok(Admission::Nothing));
    let whole = viewer_replica.encode_state();
    assert_eq!(gate.admit(&plan, &viewer(), &whole), Ok(Admission::Nothing));
    assert_eq!(gate.admit(&plan, &lro(), &whole), Ok(Admission::Nothing));
    let typed = edit(&viewer_replica, |p, t| p.set_section_text(t, Section::Aim, "x"));
    assert!(rule(gate.admit(&plan, &viewer(), &typed).unwrap_err()).contains("viewers cannot change the plan"));
}

#[test]
fn a_read_only_plan_refuses_every_change_from_every_role_but_admits_what_it_holds() {
    let (plan, mut gate, police_action, council_action) = plan();
    let before = edit(&replica(&plan), |p, t| p.set_section_text(t, Section::Aim, "Dismantle"));
    gate.admit(&plan, &lro(), &before).expect("open: the LRO edits");
    gate.set_read_only(Some("the plan is closed".into()));
    let aim = edit(&replica(&plan), |p, t| {
        p.set_section_text(t, Section::Aim, "Reopened by hand")
    });
    let status = edit(&replica(&plan), |p, t| {
        p.change_action(t, &council_action, &ActionChange::Update("Done, by hand".into()))
            .unwrap()
    });
    let delete = edit(&replica(&plan), |p, t| p.delete_action(t, &police_action).unwrap());
    for (who, update) in [(lro(), &aim), (council(), &status), (lro(), &delete), (viewer(), &aim)] {
        let refused = gate
            .admit(&plan, &who, update)
            .expect_err(&format!("closed, for {:?}", who.role));
        assert_eq!(rule(refused), "the plan: the plan is closed", "{:?}", who.role);
    }
    assert!(
        matches!(gate.admit(&plan, &lro(), &before), Ok(Admission::Nothing)),
        "known already"
    );
    gate.set_read_only(None);
    gate.admit(&plan, &lro(), &aim).expect("reopened: the LRO edits again");
}
