//! The `MembershipStore` contract on both stores: a plan and its LRO are
//! created together or not at all, changes race safely, and what is refused
//! is neither written nor recorded. Each body runs on a fresh PostgreSQL
//! database and on a fresh SQLite file.

use integration_tests::stores::{plan_with_lro as create, user};
use plan::access::Role;
use server::membership::{MemberChange, Refusal};
use server::storage::Store;
use uuid::Uuid;

fn change(plan: Uuid, by: Uuid, user: Uuid, role: Option<Role>) -> MemberChange {
    MemberChange { plan, by, user, role }
}

async fn lros(store: &dyn Store, plan: Uuid) -> usize {
    let members = store.members(plan).await.unwrap();
    members.iter().filter(|m| m.role == Role::Lro).count()
}

async fn a_plan_and_its_lro_are_created_together_or_not_at_all(store: &dyn Store) {
    assert!(create(store, Uuid::new_v4()).await.is_err(), "no such user");
    assert!(store.list_plans().await.unwrap().is_empty(), "nothing was stored");

    let dee = user(store, "Dee").await;
    let plan = create(store, dee).await.unwrap();
    assert_eq!(store.member_role(plan, dee).await.unwrap(), Some(Role::Lro));
    let recorded = store.member_changes(plan).await.unwrap();
    assert_eq!(recorded.len(), 1);
    assert_eq!((recorded[0].by.id, recorded[0].member.id), (dee, dee));
    assert_eq!((recorded[0].old, recorded[0].new), (None, Some(Role::Lro)));
}

async fn refused_changes_are_neither_written_nor_recorded(store: &dyn Store) {
    let (dee, pat) = (user(store, "Dee").await, user(store, "Pat").await);
    let plan = create(store, dee).await.unwrap();
    let refusals = [
        (change(plan, pat, pat, Some(Role::Lro)), Refusal::PlanNotFound),
        (change(plan, dee, dee, Some(Role::Viewer)), Refusal::LastLro),
        (change(plan, dee, dee, None), Refusal::LastLro),
        (change(plan, dee, pat, None), Refusal::NoSuchMember),
    ];
    for (asked, refusal) in refusals {
        assert_eq!(store.change_member(&asked).await.unwrap(), Err(refusal), "{asked:?}");
    }
    let added = change(plan, dee, pat, Some(Role::Partner));
    assert_eq!(store.change_member(&added).await.unwrap(), Ok(None));
    let by_partner = change(plan, pat, pat, Some(Role::Lro));
    assert_eq!(store.change_member(&by_partner).await.unwrap(), Err(Refusal::NotLro));
    assert_eq!(
        store.change_member(&added).await.unwrap(),
        Ok(Some(Role::Partner)),
        "unchanged"
    );

    let recorded = store.member_changes(plan).await.unwrap();
    let roles: Vec<_> = recorded.iter().map(|r| (r.member.id, r.old, r.new)).collect();
    assert_eq!(roles, [(dee, None, Some(Role::Lro)), (pat, None, Some(Role::Partner))]);
    assert_eq!(recorded[1].member.name, "Pat");
    assert_eq!(recorded[1].by.agency, "Dee's agency");
}

async fn concurrent_changes_by_two_lros_leave_exactly_one(store: &dyn Store) {
    let (dee, kim) = (user(store, "Dee").await, user(store, "Kim").await);
    for round in 0..20 {
        let plan = create(store, dee).await.unwrap();
        let made_lro = change(plan, dee, kim, Some(Role::Lro));
        assert_eq!(store.change_member(&made_lro).await.unwrap(), Ok(None));
        let (first, second) = match round % 3 {
            0 => (
                change(plan, dee, kim, Some(Role::Partner)),
                change(plan, kim, dee, Some(Role::Viewer)),
            ),
            1 => (change(plan, dee, kim, None), change(plan, kim, dee, None)),
            _ => (change(plan, dee, dee, Some(Role::Sio)), change(plan, dee, kim, None)),
        };
        // On PostgreSQL the race is forced: both changes wait on the member
        // rows until both have reached the database. SQLite serialises
        // writers (BEGIN IMMEDIATE), so there they take turns.
        let gate = match store.shared_with_nodes() {
            Some((pool, _)) => Some((integration_tests::db::hold_writes(&pool, "plan_members").await, pool)),
            None => None,
        };
        let release = async move {
            if let Some((gate, pool)) = gate {
                integration_tests::db::release_when_waiting(&pool, gate, 2).await;
            }
        };
        let ((a, b), ()) = tokio::join!(
            async { tokio::join!(store.change_member(&first), store.change_member(&second)) },
            release
        );
        let (a, b) = (a.unwrap(), b.unwrap());
        assert_eq!(lros(store, plan).await, 1, "round {round}: {a:?} and {b:?}");
        assert_eq!([&a, &b].iter().filter(|r| r.is_ok()).count(), 1, "round {round}");
        assert_eq!(store.member_changes(plan).await.unwrap().len(), 3, "round {round}");
    }
}

integration_tests::on_both_stores!(
    a_plan_and_its_lro_are_created_together_or_not_at_all,
    refused_changes_are_neither_written_nor_recorded,
    concurrent_changes_by_two_lros_leave_exactly_one,
);
