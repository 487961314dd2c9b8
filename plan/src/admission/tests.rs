//! Admission against honest edits and hand-built attacks.

use super::*;
use crate::{ActionChange, NewAction, NewPlan, RagStatus, Section, SubjectKind, Tier, P};
use yrs::updates::decoder::Decode;
use yrs::{Map, ReadTxn, Text, TextPrelim, Transact};

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
fn deleting_what_the_plan_does_not_have_yet_is_refused_from_every_role() {
    let (plan, mut gate, _, council_action) = plan();
    // The Council partner types: its client id and next clock are public.
    let partner = replica(&plan);
    let typed = edit(&partner, |p, t| {
        p.change_action(t, &council_action, &ActionChange::Update("Visited".into()))
            .unwrap();
    });
    gate.admit(&plan, &council(), &typed).unwrap();
    let victim = partner.doc().client_id().get();
    let next = partner.doc().transact().state_vector().get(&partner.doc().client_id());
    for writer in [lro(), council(), viewer()] {
        let attack = delete_only(victim, next, 50);
        let refusal = rule(gate.admit(&plan, &writer, &attack).unwrap_err());
        assert!(refusal.contains("which the plan does not have"), "{refusal}");
    }
    // The victim's next words arrive whole.
    let more = edit(&partner, |p, t| {
        p.change_action(t, &council_action, &ActionChange::Update("Visited twice".into()))
            .unwrap();
    });
    gate.admit(&plan, &council(), &more).unwrap();
    let txn = plan.transact();
    assert_eq!(plan.action(&txn, &council_action).unwrap().update, "Visited twice");
}

#[test]
fn structs_after_a_gap_or_on_unknown_origins_are_refused() {
    let (plan, mut gate, _, _) = plan();
    let lro_replica = replica(&plan);
    let first = edit(&lro_replica, |p, t| p.set_section_text(t, Section::Aim, "Dismantle"));
    let second = edit(&lro_replica, |p, t| {
        p.set_section_text(t, Section::Aim, "Dismantle now")
    });
    let refusal = rule(gate.admit(&plan, &lro(), &second).unwrap_err());
    assert!(refusal.contains("skips from"), "{refusal}");
    // Another client building on the unsent first edit depends on it.
    let other = replica(&plan);
    other
        .doc()
        .transact_mut()
        .apply_update(yrs::Update::decode_v1(&first).unwrap())
        .unwrap();
    let builds_on = edit(&other, |p, t| p.section_ref(Section::Aim).push(t, "!"));
    let refusal = rule(gate.admit(&plan, &lro(), &builds_on).unwrap_err());
    assert!(refusal.contains("which the plan does not have"), "{refusal}");
    gate.admit(&plan, &lro(), &first).unwrap();
    gate.admit(&plan, &lro(), &second).unwrap();
    assert_eq!(plan.section_text(&plan.transact(), Section::Aim), "Dismantle now");
}

#[test]
fn a_client_id_belongs_to_the_first_user_who_writes_under_it() {
    let (plan, mut gate, _, council_action) = plan();
    let partner = replica_as(&plan, 4242);
    let typed = edit(&partner, |p, t| {
        p.change_action(t, &council_action, &ActionChange::Update("Mine".into()))
            .unwrap();
    });
    let Admission::Applied { claimed, .. } = gate.admit(&plan, &council(), &typed).unwrap() else {
        panic!("applied")
    };
    assert_eq!(claimed, [4242]);
    assert_eq!(gate.owner(4242), Some(COUNCIL));
    // The LRO's tool writing under the partner's client id is refused,
    // even for an edit the LRO may make.
    let impostor = replica_as(&plan, 4242);
    let forged = edit(&impostor, |p, t| p.set_section_text(t, Section::Aim, "x"));
    let refusal = rule(gate.admit(&plan, &lro(), &forged).unwrap_err());
    assert!(refusal.contains("belongs to another user"), "{refusal}");
    // Client ids in the plan before anyone claimed them are nobody's.
    let creator = plan.doc().client_id().get();
    let old = replica_as(&plan, creator);
    let forged = edit(&old, |p, t| p.set_section_text(t, Section::Aim, "x"));
    assert!(rule(gate.admit(&plan, &lro(), &forged).unwrap_err()).contains("used by someone else"));
}

#[test]
fn keys_outside_the_plan_model_are_refused_even_for_the_lro() {
    let (plan, mut gate, police, council_action) = plan();
    let other = replica(&plan);
    // Asking the doc for a root type opens a transaction: do it first.
    let evil = other.doc().get_or_insert_text("evil");
    let unknown_root = edit(&other, |_, t| evil.push(t, "x"));
    let refusal = rule(gate.admit(&plan, &lro(), &unknown_root).unwrap_err());
    assert!(refusal.contains("not part of a plan"), "{refusal}");
    let unknown_key = edit(&replica(&plan), |p, t| {
        p.action_ref(t, &police).unwrap().insert(t, "colour", "red");
    });
    assert!(rule(gate.admit(&plan, &lro(), &unknown_key).unwrap_err()).contains("no field \"colour\""));
    let replaced = edit(&replica(&plan), |p, t| {
        p.action_ref(t, &police)
            .unwrap()
            .insert(t, "text", TextPrelim::new("Police work"));
    });
    assert!(rule(gate.admit(&plan, &lro(), &replaced).unwrap_err()).contains("never replaced by a new shared type"));
    let reinserted = edit(&replica(&plan), |p, t| {
        p.action_ref(t, &council_action)
            .unwrap()
            .insert(t, "text", TextPrelim::new("Council work"));
    });
    assert!(rule(gate.admit(&plan, &council(), &reinserted).unwrap_err()).contains("never replaced"));
}

#[test]
fn the_lro_deletes_an_action_and_the_trail_keeps_its_text() {
    let (plan, mut gate, police, _) = plan();
    let update = edit(&replica(&plan), |p, t| p.delete_action(t, &police).unwrap());
    let Admission::Applied { changes, .. } = gate.admit(&plan, &lro(), &update).unwrap() else {
        panic!("applied")
    };
    assert_eq!(changes.len(), 1);
    assert_eq!(changes[0].field, format!("action:{police}"));
    assert_eq!(changes[0].old.as_deref(), Some("Police work"));
    assert!(plan.action(&plan.transact(), &police).is_err());
}

#[test]
fn an_update_sent_twice_is_an_edit_once() {
    let (plan, mut gate, _, _) = plan();
    let update = edit(&replica(&plan), |p, t| p.set_section_text(t, Section::Aim, "Dismantle"));
    assert_eq!(fields(&gate.admit(&plan, &lro(), &update).unwrap()), ["aim"]);
    assert_eq!(gate.admit(&plan, &lro(), &update), Ok(Admission::Nothing));
    assert_eq!(gate.admit(&plan, &council(), &update), Ok(Admission::Nothing));
}

#[test]
fn a_gate_loaded_from_a_stored_plan_judges_as_one_that_saw_every_update() {
    let (plan, mut gate, _, council_action) = plan();
    let partner = replica(&plan);
    let typed = edit(&partner, |p, t| {
        p.change_action(t, &council_action, &ActionChange::Update("One".into()))
            .unwrap();
    });
    gate.admit(&plan, &council(), &typed).unwrap();
    let reloaded = PlanDoc::from_state(&plan.encode_state()).unwrap();
    let mut fresh_gate = Gate::load(&reloaded, [(partner.doc().client_id().get(), COUNCIL)]);
    let more = edit(&partner, |p, t| {
        p.change_action(t, &council_action, &ActionChange::Update("One two".into()))
            .unwrap();
    });
    assert_eq!(
        fields(&fresh_gate.admit(&reloaded, &council(), &more).unwrap()),
        [format!("action:{council_action}:update")]
    );
    assert!(fresh_gate.indexed_runs() > 0);
}

#[test]
fn garbage_never_panics() {
    let (plan, mut gate, _, _) = plan();
    let mut seed = 0x2545_f491_4f6c_dd1du64;
    for len in 0..400 {
        let bytes: Vec<u8> = (0..len % 64)
            .map(|_| {
                seed ^= seed << 13;
                seed ^= seed >> 7;
                seed ^= seed << 17;
                seed as u8
            })
            .collect();
        let before = plan.transact().state_vector();
        match gate.admit(&plan, &lro(), &bytes) {
            Err(_) | Ok(Admission::Nothing) => {}
            Ok(_) => panic!("garbage was admitted: {bytes:?}"),
        }
        assert_eq!(
            plan.transact().state_vector(),
            before,
            "garbage changed the plan: {bytes:?}"
        );
    }
}

#[test]
fn only_changes_the_plans_list_shows_call_for_a_new_summary() {
    let (plan, mut gate, police, council_action) = plan();
    let intervals = crate::ReviewIntervals::default();
    let edits: Vec<(Box<dyn Fn(&PlanDoc, &mut yrs::TransactionMut)>, bool)> = vec![
        (
            Box::new(|p, t| {
                p.change_action(t, &police, &ActionChange::Status(RagStatus::Green))
                    .unwrap()
            }),
            true,
        ),
        (
            Box::new(|p, t| {
                p.change_action(t, &council_action, &ActionChange::Update("Visited".into()))
                    .unwrap()
            }),
            false,
        ),
        (Box::new(|p, t| p.set_section_text(t, Section::Aim, "Dismantle")), false),
        (Box::new(|p, t| p.set_tier(t, Tier::new(1).unwrap())), true),
        (Box::new(|p, t| p.delete_action(t, &council_action).unwrap()), true),
    ];
    for (change, shows) in edits {
        let before = plan.summary(&plan.transact(), uuid::Uuid::nil(), &intervals);
        let update = edit(&replica(&plan), |p, t| change(p, t));
        let Admission::Applied { changes, .. } = gate.admit(&plan, &lro(), &update).unwrap() else {
            panic!("applied")
        };
        let after = plan.summary(&plan.transact(), uuid::Uuid::nil(), &intervals);
        let flagged = changes.iter().any(|c| PlanDoc::changes_summary(&c.field));
        assert_eq!(flagged, shows, "{changes:?}");
        assert_eq!(before != after, shows, "{changes:?}");
    }
}

#[test]
fn a_stored_plan_holding_content_outside_the_model_still_opens_and_the_rest_is_editable() {
    let (plan, _, _, council_action) = plan();
    // Written by an old or foreign client, before admission enforced the model.
    let notes = plan.doc().get_or_insert_text("notes");
    {
        let mut txn = plan.transact_mut();
        notes.insert(&mut txn, 0, "hidden");
        let bold = yrs::types::Attrs::from([("bold".into(), yrs::Any::Bool(true))]);
        notes.format(&mut txn, 0, 3, bold);
    }
    let mut gate = Gate::load(&plan, []);
    let update = edit(&replica(&plan), |p, t| {
        p.change_action(t, &council_action, &ActionChange::Update("Visited".into()))
            .unwrap();
    });
    assert_eq!(
        fields(&gate.admit(&plan, &council(), &update).unwrap()),
        [format!("action:{council_action}:update")]
    );
    let other = replica(&plan);
    let notes = other.doc().get_or_insert_text("notes");
    let update = edit(&other, |_, t| notes.push(t, "!"));
    assert!(rule(gate.admit(&plan, &lro(), &update).unwrap_err()).contains("outside the plan model"));
}
