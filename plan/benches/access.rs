//! What admitting one edit costs, by plan size and role: `cargo bench -p plan`.
//!
//! Each row builds a plan the way real plans are built (sections and action
//! updates typed by another replica, so the document holds as many blocks
//! as a typed one does), then admits a chain of one-character updates that
//! a partner's replica types into its own agency's action: decoded, placed,
//! checked against the sender's role, applied, and the touched field read
//! for the audit trail, as the room does for every update
//! ([`plan::admission::Gate::admit`]).

use plan::access::Role;
use plan::admission::{Admission, Gate, Writer};
use plan::{ActionText, NewAction, PlanDoc, Section, TextField, P};
use std::time::{Duration, Instant};
use yrs::updates::decoder::Decode;
use yrs::{ReadTxn, Text, Transact};

const RUNS: usize = 200;

fn main() {
    println!("plan size     | state     | role    | admit p50 / p99");
    for actions in [40, 200, 500, 2000] {
        let (plan, field) = typed_plan(actions);
        let state = plan.encode_state();
        let updates = typing_chain(&plan, &field);
        for role in [Role::Partner, Role::Lro] {
            let copy = PlanDoc::from_state(&state).unwrap();
            let mut gate = Gate::load(&copy, []);
            let writer = Writer {
                user: uuid::Uuid::from_u128(1),
                role,
                agency: "Council",
            };
            let times = measure(&updates, |update| {
                let admitted = gate.admit(&copy, &writer, update).expect("the partner's own action");
                assert!(matches!(admitted, Admission::Applied { changes, .. } if !changes.is_empty()));
            });
            println!(
                "{actions:>5} actions | {:>5} KiB | {:<7} | {}",
                state.len() / 1024,
                role.label(),
                show(&times)
            );
        }
    }
}

fn typed_plan(actions: usize) -> (PlanDoc, TextField) {
    let typist = PlanDoc::new(plan::new_doc());
    let plan = PlanDoc::new(plan::new_doc());
    let mut ids = Vec::new();
    {
        let mut txn = typist.transact_mut();
        for i in 0..actions {
            let action = NewAction {
                owner_agency: if i % 2 == 0 { "Council" } else { "Police" }.into(),
                ..NewAction::new([P::ALL[i % 4]], "Visit")
            };
            ids.push(typist.add_action(&mut txn, &action).unwrap());
        }
    }
    sync(&typist, &plan);
    let sentence = "Red Kings supply crack cocaine through two county lines. ";
    let mut fields: Vec<TextField> = Section::ALL.into_iter().map(TextField::Section).collect();
    fields.extend(ids.iter().map(|id| TextField::Action {
        id: id.clone(),
        part: ActionText::Update,
    }));
    let chunks: Vec<String> = sentence
        .chars()
        .collect::<Vec<_>>()
        .chunks(4)
        .map(|c| c.iter().collect())
        .collect();
    for field in &fields {
        let length = if matches!(field, TextField::Section(_)) {
            150
        } else {
            30
        };
        for chunk in chunks.iter().cycle().take(length) {
            {
                let mut txn = typist.transact_mut();
                let text = typist.text_ref_for_write(&mut txn, field).unwrap();
                text.push(&mut txn, chunk);
            }
            sync(&typist, &plan);
        }
    }
    let field = TextField::Action {
        id: ids[0].clone(),
        part: ActionText::Update,
    };
    (plan, field)
}

/// Sends `from`'s changes that `to` lacks, as the server would relay them.
fn sync(from: &PlanDoc, to: &PlanDoc) {
    let sv = to.doc().transact().state_vector();
    let update = from.doc().transact().encode_state_as_update_v1(&sv);
    to.doc()
        .transact_mut()
        .apply_update(yrs::Update::decode_v1(&update).unwrap())
        .unwrap();
}

/// `RUNS` one-character updates a partner's replica of `plan` types into
/// `field`, in order.
fn typing_chain(plan: &PlanDoc, field: &TextField) -> Vec<Vec<u8>> {
    let partner = PlanDoc::from_state(&plan.encode_state()).unwrap();
    (0..RUNS)
        .map(|_| {
            let before = partner.doc().transact().state_vector();
            {
                let mut txn = partner.transact_mut();
                let text = partner.text_ref_for_write(&mut txn, field).unwrap();
                text.push(&mut txn, "x");
            }
            partner.doc().transact().encode_state_as_update_v1(&before)
        })
        .collect()
}

fn measure(updates: &[Vec<u8>], mut admit: impl FnMut(&[u8])) -> Vec<Duration> {
    let mut times: Vec<Duration> = updates
        .iter()
        .map(|update| {
            let started = Instant::now();
            admit(update);
            started.elapsed()
        })
        .collect();
    times.sort();
    times
}

fn show(sorted: &[Duration]) -> String {
    let at = |q: f64| sorted[((sorted.len() - 1) as f64 * q) as usize].as_secs_f64() * 1000.0;
    format!("{:>7.3} ms / {:>7.3} ms", at(0.5), at(0.99))
}
