//! The `PortfolioStore` contract, checked against both implementations
//! (every test body runs on a fresh PostgreSQL database and a fresh SQLite
//! file): facts written in full and per update, and read back as figures
//! per plan within a scope.

use chrono::NaiveDate;
use integration_tests::stores::{new_plan, user_in_new_agency};
use plan::portfolio::{ActionFacts, PlanFacts, PlanFigures};
use plan::{NewPlan, PlanDoc, RagStatus, ReviewIntervals, SubjectKind, Tier, P};
use server::accounts::store::AccountStore;
use server::accounts::User;
use server::actions_across::ActionsStore;
use server::membership::MembershipStore;
use server::portfolio::store::FiguresScope;
use server::portfolio::AllFacts;
use server::portfolio::PortfolioStore;
use server::store::{NewStoredPlan, PlanStore, Snapshot};
use uuid::Uuid;

/// `$pg` runs `$contract` on a fresh PostgreSQL database, `$sqlite` on a
/// fresh SQLite file.
macro_rules! on_both {
    ($contract:ident: $pg:ident, $sqlite:ident) => {
        #[tokio::test]
        async fn $pg() {
            $contract(&PgStore::from_pool(fresh_pg_pool().await)).await;
        }

        #[tokio::test]
        async fn $sqlite() {
            let (_dir, path) = fresh_sqlite_path();
            $contract(&SqliteStore::open(&path).await.expect("open SQLite store")).await;
        }
    };
}

mod actions;
mod facts;

fn day(d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, d).unwrap()
}

trait Both: PortfolioStore + PlanStore + AccountStore + MembershipStore + ActionsStore {}
impl<T: PortfolioStore + PlanStore + AccountStore + MembershipStore + ActionsStore> Both for T {}

/// A plan row (the facts refer to it), led by `lro` if given.
async fn plan(store: &dyn Both, name: &str, lro: Option<Uuid>) -> Uuid {
    let new = NewPlan {
        subject_ref: "OCG-7".into(),
        ..new_plan(SubjectKind::Ocg, name, 1)
    };
    let doc = PlanDoc::create(&new, day(1));
    let id = Uuid::new_v4();
    let summary = doc.summary(&doc.transact(), id, &ReviewIntervals::default());
    let snapshot = Snapshot {
        upto_seq: 0,
        state: doc.encode_state(),
        state_vector: Vec::new(),
    };
    match lro {
        Some(user) => store
            .create_plan_with_lro(
                NewStoredPlan {
                    id,
                    snapshot: &snapshot,
                    summary: &summary,
                },
                user,
            )
            .await
            .unwrap(),
        None => store.create_plan(id, &snapshot, &summary).await.unwrap(),
    }
    id
}

/// Pat, of a new agency named Council.
async fn council_user(store: &dyn Both) -> User {
    user_in_new_agency(store, ("Council", "Local authority"), "pat@council", "Pat", |_| {}).await
}

/// Replaces the plan's facts in full, as of `seq`, at the current version.
async fn replace(store: &dyn Both, plan: Uuid, seq: i64, facts: &PlanFacts, actions: &[ActionFacts]) {
    store
        .replace_facts(
            AllFacts {
                plan,
                seq,
                facts,
                actions,
            },
            false,
        )
        .await
        .unwrap();
}

fn facts(threats: &[&str]) -> PlanFacts {
    PlanFacts {
        subject_kind: Some(SubjectKind::Pi),
        tier: Some(Tier::new(2).unwrap()),
        next_review: Some(day(20)),
        threats: threats.iter().map(|t| t.to_string()).collect(),
    }
}

fn action(id: &str, status: Option<RagStatus>, agency: &str) -> ActionFacts {
    ActionFacts {
        id: id.into(),
        status,
        date: Some(day(3)),
        target_date: Some(day(10)),
        disruption: None,
        owner_agency: agency.into(),
        ps: [P::Pursue].into(),
        submitted: false,
        text: String::new(),
        owner_name: String::new(),
        update: String::new(),
    }
}

fn scope(member: Option<Uuid>, agency: Option<&str>) -> FiguresScope<'_> {
    FiguresScope {
        member,
        agency,
        today: day(15),
        window: (day(1), day(30)),
    }
}

fn sorted(mut figures: Vec<PlanFigures>) -> Vec<PlanFigures> {
    figures.sort_by_key(|f| f.id);
    for f in &mut figures {
        f.disruptions.sort();
    }
    figures
}
