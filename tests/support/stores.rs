//! Contract tests of the stores, run on both implementations.

use plan::{NewPlan, PlanDoc, ReviewIntervals, SubjectKind, Tier};
use server::accounts::store::AccountStore;
use server::accounts::{Agency, User};
use server::storage::Store;
use server::store::{NewStoredPlan, Snapshot, StoreError};
use uuid::Uuid;
use yrs::updates::encoder::Encode;
use yrs::{ReadTxn, StateVector};

/// Runs each named `async fn(&S)` (S a store trait object both stores
/// implement) once on a fresh PostgreSQL database, as `postgres::name`, and
/// once on a fresh SQLite file, as `sqlite::name`.
#[macro_export]
macro_rules! on_both_stores {
    ($($name:ident),* $(,)?) => {
        mod postgres {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $name() {
                    let pool = $crate::db::fresh_pg_pool().await;
                    let store = ::server::store::PgStore::from_pool(pool);
                    super::$name(&store).await;
                }
            )*
        }

        mod sqlite {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $name() {
                    // `_dir` keeps the database's directory alive to the end.
                    let (_dir, path) = $crate::db::fresh_sqlite_path();
                    let store = ::server::store::SqliteStore::open(&path).await.expect("open SQLite store");
                    super::$name(&store).await;
                }
            )*
        }
    };
}

/// A user of an agency of their own, stored directly; returns their id.
pub async fn user(store: &dyn Store, name: &str) -> Uuid {
    let email = format!("{}@example.org", name.to_lowercase());
    let agency = format!("{name}'s agency");
    let user = user_in_new_agency(store, (&agency, "Police force"), &email, name, |u| {
        u.may_lead_plans = true
    })
    .await;
    user.id
}

/// Stores a new agency (`name`, `kind`) and a user of it, `email` and
/// `name`, neither an administrator nor a strategic lead nor a possible
/// LRO unless `tweak` says so; returns the user.
pub async fn user_in_new_agency<S: AccountStore + ?Sized>(
    store: &S,
    (agency_name, kind): (&str, &str),
    email: &str,
    name: &str,
    tweak: impl FnOnce(&mut User),
) -> User {
    let agency = Agency {
        id: Uuid::new_v4(),
        name: agency_name.into(),
        kind: kind.into(),
    };
    store.insert_agency(&agency).await.unwrap();
    let mut user = User {
        id: Uuid::new_v4(),
        email: email.into(),
        name: name.into(),
        agency_id: agency.id,
        agency: agency.name,
        is_admin: false,
        strategic_lead: false,
        may_lead_plans: false,
        auditor: false,
        disabled: false,
        vetting_officer: false,
        vetting: Default::default(),
    };
    tweak(&mut user);
    store.insert_user(&user, "not a real hash").await.unwrap();
    user
}

/// A new plan about `subject_name`, with no reference and no LRO named.
pub fn new_plan(subject_kind: SubjectKind, subject_name: &str, tier: i64) -> NewPlan {
    NewPlan {
        subject_kind,
        subject_name: subject_name.into(),
        subject_ref: String::new(),
        tier: Tier::new(tier).unwrap(),
        lro: String::new(),
    }
}

/// Creates a new plan with `lro` as its LRO, stored directly; its id.
pub async fn plan_with_lro(store: &dyn Store, lro: Uuid) -> Result<Uuid, StoreError> {
    let new = new_plan(SubjectKind::Pi, "Marcus Reed", 3);
    let id = Uuid::new_v4();
    let doc = PlanDoc::create(&new, "2026-11-23".parse().unwrap());
    let txn = doc.transact();
    let snapshot = Snapshot {
        upto_seq: 0,
        state: txn.encode_state_as_update_v1(&StateVector::default()),
        state_vector: txn.state_vector().encode_v1(),
    };
    let summary = doc.summary(&txn, id, &ReviewIntervals::default());
    store
        .create_plan_with_lro(
            NewStoredPlan {
                id,
                snapshot: &snapshot,
                summary: &summary,
            },
            lro,
        )
        .await
        .map(|()| id)
}
