//! The vetting store and the database's judgement of clearances (the views
//! `plan_vetting`, `vetting_clearances`, `cleared_members`) on both
//! databases: what a plan needs, who is cleared (expiry included), every
//! change recorded once, and the member rows kept throughout.

use chrono::{Duration, SubsecRound, Utc};
use integration_tests::stores::{plan_with_lro, user};
use plan::access::Role;
use plan::vetting::{HeldVetting, VettingByMarking, VettingLevels, VettingPolicy};
use server::membership::MemberChange;
use server::storage::Store;
use server::vetting::store::{NoSuchPlan, PlanRaise, VettingChange};
use uuid::Uuid;

/// `level` until `days` from now (to the second, as the service sets it).
fn held(level: &str, days: i64) -> HeldVetting {
    HeldVetting {
        level: Some(level.into()),
        expires_at: Some((Utc::now() + Duration::days(days)).trunc_subsecs(0)),
    }
}

async fn vet(store: &dyn Store, by: Uuid, user: Uuid, new: &HeldVetting) -> Option<HeldVetting> {
    store.set_vetting(VettingChange { by, user, new }).await.unwrap()
}

async fn shut_out(store: &dyn Store, plan: Uuid) -> Vec<Uuid> {
    let mut users: Vec<Uuid> = store
        .shut_out(Some(plan), None)
        .await
        .unwrap()
        .into_iter()
        .map(|(_, u)| u)
        .collect();
    users.sort();
    users
}

async fn access_follows_vetting_as_the_database_judges_it(store: &dyn Store) {
    let levels = VettingLevels::default();
    // The plans made here are OFFICIAL-SENSITIVE: configured to need NPPV2.
    let policy = VettingPolicy {
        by_marking: VettingByMarking::parse("OFFICIAL-SENSITIVE=NPPV2", &levels).unwrap(),
        levels,
    };
    store.configure(&policy).await.unwrap();
    store.configure(&policy).await.unwrap();
    let (dee, pat, ada) = (
        user(store, "Dee").await,
        user(store, "Pat").await,
        user(store, "Ada").await,
    );
    let plan = plan_with_lro(store, dee).await.unwrap();

    // Nobody vetted: even the LRO is shut out, and stays a member.
    assert_eq!(store.member_role(plan, dee).await.unwrap(), None);
    assert_eq!(store.member_plans(dee).await.unwrap(), Vec::<Uuid>::new());
    let members = store.members(plan).await.unwrap();
    assert_eq!(members.len(), 1);
    assert_eq!(
        members[0].lapse.as_ref().and_then(|l| l.needs.as_deref()),
        Some("NPPV2")
    );

    let year = held("NPPV2", 365);
    assert_eq!(vet(store, ada, dee, &year).await, Some(HeldVetting::default()));
    assert_eq!(
        vet(store, ada, dee, &year).await,
        Some(year.clone()),
        "the same again: no change"
    );
    assert_eq!(store.member_role(plan, dee).await.unwrap(), Some(Role::Lro));
    assert_eq!(store.member_plans(dee).await.unwrap(), vec![plan]);
    assert!(store.members(plan).await.unwrap()[0].lapse.is_none());
    assert_eq!(
        vet(store, ada, Uuid::new_v4(), &held("NPPV2", 1)).await,
        None,
        "no such person"
    );

    // Pat: a member below the level, then expired, then in date.
    let add = MemberChange {
        plan,
        by: dee,
        user: pat,
        role: Some(Role::Partner),
    };
    store.change_member(&add).await.unwrap().unwrap();
    assert_eq!(shut_out(store, plan).await, vec![pat]);
    let clearance = store.clearance(plan, pat).await.unwrap().unwrap();
    assert_eq!((clearance.cleared, clearance.needs.as_deref()), (false, Some("NPPV2")));
    vet(store, ada, pat, &held("NPPV3", -1)).await;
    assert_eq!(store.member_role(plan, pat).await.unwrap(), None, "expired");
    let lapse = store
        .members(plan)
        .await
        .unwrap()
        .into_iter()
        .find(|m| m.user.id == pat)
        .unwrap()
        .lapse
        .unwrap();
    assert_eq!((lapse.expired_on.is_some(), lapse.needs), (true, None));
    vet(store, ada, pat, &held("NPPV3", 1)).await;
    assert_eq!(store.member_role(plan, pat).await.unwrap(), Some(Role::Partner));
    assert!(shut_out(store, plan).await.is_empty());

    // Raised to NPPV3: Dee (NPPV2) is shut out, Pat is not; lowered back.
    let raise = |level| PlanRaise { plan, by: dee, level };
    assert_eq!(store.raise_plan(raise(Some("NPPV3"))).await.unwrap(), Ok(None));
    assert_eq!(
        store.raise_plan(raise(Some("NPPV3"))).await.unwrap(),
        Ok(Some("NPPV3".into()))
    );
    let needs = store.plan_needs(plan).await.unwrap().unwrap();
    assert_eq!(needs.marking.as_deref(), Some("OFFICIAL-SENSITIVE"));
    assert_eq!(
        (needs.raised.as_deref(), needs.needs.as_deref()),
        (Some("NPPV3"), Some("NPPV3"))
    );
    assert_eq!(shut_out(store, plan).await, vec![dee]);
    assert_eq!(store.member_role(plan, pat).await.unwrap(), Some(Role::Partner));
    store.raise_plan(raise(None)).await.unwrap().unwrap();
    assert_eq!(
        store.plan_needs(plan).await.unwrap().unwrap().needs.as_deref(),
        Some("NPPV2")
    );
    let other = PlanRaise {
        plan: Uuid::new_v4(),
        by: dee,
        level: None,
    };
    assert_eq!(store.raise_plan(other).await.unwrap(), Err(NoSuchPlan));

    // Recorded once per change: Dee's, Pat's two; the plan's two raises.
    assert_eq!(store.vetting_changes(None, 100).await.unwrap().len(), 3);
    let pats = store.vetting_changes(Some(pat), 100).await.unwrap();
    assert_eq!(pats.len(), 2);
    assert_eq!(pats[0].new.level.as_deref(), Some("NPPV3"));
    assert!(pats[0].at >= pats[1].at, "newest first");
    assert_eq!(pats[1].old, HeldVetting::default());
    let raises = store.plan_vetting_changes(plan).await.unwrap();
    let levels: Vec<_> = raises
        .iter()
        .map(|r| (r.old_level.as_deref(), r.new_level.as_deref()))
        .collect();
    assert_eq!(levels, [(None, Some("NPPV3")), (Some("NPPV3"), None)]);

    // Settings that no longer ask for vetting clear everyone.
    store.configure(&VettingPolicy::default()).await.unwrap();
    assert!(shut_out(store, plan).await.is_empty());
    assert_eq!(store.member_role(plan, dee).await.unwrap(), Some(Role::Lro));
}

integration_tests::on_both_stores!(access_follows_vetting_as_the_database_judges_it);
