//! The admission property over random honest and hostile edits (see
//! `support/admission_property/`). `PILLARS_PROPERTY_CASES` sets the
//! number of cases (default 100 of 20 steps, about 3 s unoptimised), `PILLARS_PROPERTY_SEED` the
//! seed (a failing case prints its own, to replay it alone).

#[path = "support/admission_property/mod.rs"]
mod property;

#[test]
fn admission_keeps_the_plan_what_each_role_may_make_it() {
    let config = property::Config::from_env(100, 20);
    let started = std::time::Instant::now();
    let tally = property::run(config);
    println!("seed {:#x}: {}", config.seed, tally.summary());
    println!("in {:.2?}", started.elapsed());
    assert_eq!(tally.cases, config.cases);
    assert!(
        tally.applied > 0 && tally.denied > 0,
        "the cases exercise both outcomes"
    );
}

/// The property adds actions and objectives field by field (so that a seed
/// replays the same document); they must read as the model's own.
#[test]
fn the_property_adds_actions_and_objectives_as_the_model_does() {
    use plan::{PlanDoc, P};
    let mut rng = property::Rng::new(7);
    for agency in ["Council", " fire ", ""] {
        let action = property::new_action_for_test(&mut rng, agency);
        let (ours, model) = (PlanDoc::new(plan::new_doc()), PlanDoc::new(plan::new_doc()));
        let id = rng.id();
        property::add_action(&mut ours.transact_mut(), &id, &action);
        let custom = property::add_custom_objective(&mut ours.transact_mut(), &rng.id(), P::Protect, "Guard");
        let model_id = model.add_action(&mut model.transact_mut(), &action).unwrap();
        let model_custom = model.add_custom_objective(&mut model.transact_mut(), P::Protect, "Guard");
        let (a, b) = (ours.transact(), model.transact());
        let read = |plan: &PlanDoc, txn: &yrs::Transaction, id: &str| plan::Action {
            id: String::new(),
            ..plan.action(txn, id).unwrap()
        };
        assert_eq!(read(&ours, &a, &id), read(&model, &b, &model_id));
        let objectives = |plan: &PlanDoc, txn: &yrs::Transaction, id: &str| {
            let mut entries = plan.objectives_for(txn, P::Protect);
            entries.iter_mut().filter(|e| e.id == id).for_each(|e| e.id.clear());
            entries
        };
        assert_eq!(objectives(&ours, &a, &custom), objectives(&model, &b, &model_custom));
    }
}
