//! What checking one edit costs, by plan size: `cargo bench -p plan`.
//!
//! Every update a client sends is read off the plan for the audit trail
//! ([`access::reading`] after applying it), and a partner's is first tried
//! on a copy ([`access::preview`]). Both walk the whole plan, so their cost
//! grows with it; this prints that cost for plans of increasing size, built
//! the way real plans are (text typed a character an update by another
//! replica, so the document holds as many blocks as a typed one does).

use plan::access::{self, Role};
use plan::{ActionText, NewAction, PlanDoc, Section, TextField, P};
use std::time::{Duration, Instant};
use yrs::updates::decoder::Decode;
use yrs::{ReadTxn, StateVector, Text, Transact};

const RUNS: usize = 300;

fn main() {
    println!("plan size                     | state   | reading p50 / p99   | partner preview+check p50 / p99");
    for actions in [10, 40, 200] {
        let (plan, field) = typed_plan(actions);
        let state = plan.encode_state().len();
        let reading = measure(|| {
            std::hint::black_box(access::reading(&plan));
        });
        let update = one_char(&plan, &field);
        let preview = measure(|| {
            let changes = access::preview(&plan, &update).expect("the update applies");
            access::check(Role::Partner, "Council", &changes).expect("the partner's own action");
        });
        println!(
            "9 sections, {actions:>3} actions        | {:>4} KiB | {} | {}",
            state / 1024,
            show(&reading),
            show(&preview)
        );
    }
}

/// A plan whose sections and action texts were typed a character an update
/// on another replica; returns it and the Update/result of a Council action.
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
    for field in &fields {
        let length = if matches!(field, TextField::Section(_)) {
            600
        } else {
            120
        };
        for c in sentence.chars().cycle().take(length) {
            {
                let mut txn = typist.transact_mut();
                let text = typist.text_ref_for_write(&mut txn, field).unwrap();
                text.push(&mut txn, &c.to_string());
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

/// One character typed into `field` by a partner's replica of `plan`.
fn one_char(plan: &PlanDoc, field: &TextField) -> Vec<u8> {
    let partner = PlanDoc::from_state(&plan.encode_state()).unwrap();
    let before = partner.doc().transact().state_vector();
    {
        let mut txn = partner.transact_mut();
        let text = partner.text_ref_for_write(&mut txn, field).unwrap();
        text.push(&mut txn, "x");
    }
    let update = partner.doc().transact().encode_state_as_update_v1(&before);
    assert_ne!(before, StateVector::default());
    update
}

fn measure(mut run: impl FnMut()) -> Vec<Duration> {
    let mut times: Vec<Duration> = (0..RUNS)
        .map(|_| {
            let started = Instant::now();
            run();
            started.elapsed()
        })
        .collect();
    times.sort();
    times
}

fn show(sorted: &[Duration]) -> String {
    let at = |q: f64| sorted[((sorted.len() - 1) as f64 * q) as usize].as_secs_f64() * 1000.0;
    format!("{:>6.3} ms / {:>6.3} ms", at(0.5), at(0.99))
}
