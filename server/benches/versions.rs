//! Opening an old version of a big plan: `cargo bench -p server --bench
//! versions` builds, in a fresh PostgreSQL database, a plan of
//! `PILLARS_ACTIONS` actions (default 500) with `PILLARS_UPDATES` updates of
//! history (default 10,000; compacted every 500 as a room does), then times
//! the versions service reading it as at random updates, as at a review,
//! as it is now, and comparing the review with now.

mod common;

use chrono::Utc;
use common::{env_or, fresh_database, percentiles};
use plan::versions::At;
use plan::{ActionChange, NewAction, NewPlan, PlanDoc, RagStatus, Section, SubjectKind, Tier, P};
use rand::Rng;
use server::accounts::store::AccountStore;
use server::accounts::{Agency, User};
use server::membership::MembershipStore;
use server::storage::Store;
use server::store::{NewStoredPlan, PlanStore, Snapshot};
use std::sync::Arc;
use std::time::Instant;
use uuid::Uuid;
use yrs::updates::encoder::Encode;
use yrs::ReadTxn;

fn snapshot(doc: &PlanDoc, upto_seq: i64) -> Snapshot {
    let txn = doc.transact();
    Snapshot {
        upto_seq,
        state: doc.encode_state(),
        state_vector: txn.state_vector().encode_v1(),
    }
}

#[tokio::main]
async fn main() {
    let (actions, updates) = (env_or("PILLARS_ACTIONS", 500), env_or("PILLARS_UPDATES", 10_000));
    let store = Arc::new(fresh_database("versions").await);
    let agency = Agency {
        id: Uuid::new_v4(),
        name: "Northshire Police".into(),
        kind: "Police force".into(),
    };
    store.insert_agency(&agency).await.unwrap();
    let lro = User {
        id: Uuid::new_v4(),
        email: "lro@northshire".into(),
        name: "Dee Lro".into(),
        agency_id: agency.id,
        agency: agency.name.clone(),
        is_admin: false,
        strategic_lead: false,
        may_lead_plans: true,
        auditor: false,
        disabled: false,
        vetting_officer: false,
        vetting: Default::default(),
    };
    store.insert_user(&lro, "x").await.unwrap();
    let today = Utc::now().date_naive();
    let doc = PlanDoc::create(
        &NewPlan {
            subject_kind: SubjectKind::Ocg,
            subject_name: "Big plan".into(),
            subject_ref: "OCG-500".into(),
            tier: Tier::new(1).unwrap(),
            lro: "DI".into(),
        },
        today,
    );
    let ids: Vec<String> = {
        let mut t = doc.transact_mut();
        (0..actions)
            .map(|n| {
                doc.add_action(
                    &mut t,
                    &NewAction {
                        owner_agency: "Northshire Council".into(),
                        update: "Ongoing".into(),
                        ..NewAction::new([P::Pursue], format!("Action {n}"))
                    },
                )
                .unwrap()
            })
            .collect()
    };
    let plan = Uuid::new_v4();
    let summary = doc.summary(&doc.transact(), plan, &Default::default());
    store
        .create_plan_with_lro(
            NewStoredPlan {
                id: plan,
                snapshot: &snapshot(&doc, 0),
                summary: &summary,
            },
            lro.id,
        )
        .await
        .unwrap();
    let started = Instant::now();
    let mut rng = rand::rng();
    let mut review_seq = 0;
    for seq in 1..=updates as i64 {
        let update = {
            let mut t = doc.transact_mut();
            let id = &ids[rng.random_range(0..ids.len())];
            match seq % 3 {
                0 => doc
                    .change_action(
                        &mut t,
                        id,
                        &ActionChange::Status([RagStatus::Red, RagStatus::Amber, RagStatus::Green][seq as usize % 3]),
                    )
                    .unwrap(),
                1 => doc
                    .change_action(&mut t, id, &ActionChange::Update(format!("Update {seq}")))
                    .unwrap(),
                _ => doc.set_section_text(&mut t, Section::LroUpdate, &format!("Position at update {seq}")),
            }
            t.encode_update_v1()
        };
        store.append_updates(plan, seq, &[update.as_slice()]).await.unwrap();
        if seq % 500 == 0 {
            store.compact(plan, &snapshot(&doc, seq), &summary).await.unwrap();
        }
        if seq == updates as i64 / 2 {
            review_seq = seq;
            let review = server::versions::store::NewReview {
                plan,
                by: lro.id,
                reviewed_on: today,
                lro_update: "Half way",
                upto_seq: seq,
                state: &doc.encode_state(),
            };
            server::versions::store::VersionStore::insert_review(&*store, &review)
                .await
                .unwrap();
        }
    }
    println!("built a plan of {actions} actions with {updates} updates of history in {:.1} s (review 1 at update {review_seq})", started.elapsed().as_secs_f64());

    let dyn_store: Arc<dyn Store> = store.clone();
    let app = server::startup::Application::with_store(server::config::Config::for_database(None), dyn_store)
        .await
        .unwrap();
    let versions = app.state().versions.clone();
    let viewer = app::session::ssr::Requester {
        viewer: server::routes::guard::viewer(&lro),
        session: "bench".into(),
        address: None,
        user_agent: None,
    };
    let runs = env_or("PILLARS_RUNS", 100);
    let mut cases: Vec<(&str, Box<dyn Fn() -> At>)> = vec![
        (
            "as at a random update",
            Box::new(move || At::Seq(rand::rng().random_range(1..=updates as i64))),
        ),
        ("as at review 1", Box::new(|| At::Review(1))),
        ("as it is now", Box::new(|| At::Now)),
    ];
    for (label, at) in cases.drain(..) {
        let mut samples = Vec::with_capacity(runs);
        for _ in 0..runs {
            let at = at();
            let t = Instant::now();
            let version = versions.version(&viewer, plan, at).await.unwrap();
            samples.push(t.elapsed().as_secs_f64() * 1e3);
            assert_eq!(version.export.actions.len(), actions);
        }
        println!(
            "version of a {actions}-action plan with {updates} updates, {label}: {}",
            percentiles(samples)
        );
    }
    let mut samples = Vec::with_capacity(runs / 4);
    for _ in 0..(runs / 4).max(5) {
        let t = Instant::now();
        versions.compare(&viewer, plan, (None, None)).await.unwrap();
        samples.push(t.elapsed().as_secs_f64() * 1e3);
    }
    println!(
        "changes since review 1 (compare with authors): {}",
        percentiles(samples)
    );
}
