//! The notifications' storage on both databases: written with the event
//! that causes them, shown only while their person may open the plan, the
//! daily sweep once per day and once per event, and the outbox's claims.

use chrono::{Duration, NaiveDate, Utc};
use integration_tests::stores::{plan_with_lro, user, user_in_new_agency};
use plan::access::Role;
use plan::notifications::{Delivery, Kind};
use plan::portfolio::{ActionFacts, PlanFacts};
use plan::{RagStatus, P};
use server::membership::MemberChange;
use server::notifications::email_store::{Claim, Outgoing};
use server::notifications::sweep_store::SweepDay;
use server::portfolio::AllFacts;
use server::storage::Store;
use uuid::Uuid;

fn day(n: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2027, 3, n).unwrap()
}

async fn change(store: &dyn Store, plan: Uuid, by: Uuid, user: Uuid, role: Option<Role>) {
    let change = MemberChange { plan, by, user, role };
    store.change_member(&change).await.unwrap().unwrap();
}

async fn kinds(store: &dyn Store, user: Uuid) -> Vec<String> {
    let listed = store.notifications(user, 100).await.unwrap();
    listed.into_iter().rev().map(|n| n.kind).collect()
}

async fn a_member_is_told_in_the_change_that_concerns_them_and_only_while_they_may_open_the_plan(store: &dyn Store) {
    let lro = user(store, "Lee").await;
    let pat = user(store, "Pat").await;
    let plan = plan_with_lro(store, lro).await.unwrap();
    assert!(
        kinds(store, lro).await.is_empty(),
        "creating one's own plan tells nobody"
    );

    change(store, plan, lro, pat, Some(Role::Partner)).await;
    change(store, plan, lro, pat, Some(Role::Viewer)).await;
    change(store, plan, lro, pat, Some(Role::Viewer)).await; // no change: nothing told
    assert_eq!(kinds(store, pat).await, ["added_to_plan", "role_changed"]);
    let listed = store.notifications(pat, 100).await.unwrap();
    assert_eq!(
        listed[0].plan_name.as_deref(),
        Some("Marcus Reed"),
        "the app names the plan"
    );
    assert_eq!(listed[0].link, format!("/plans/{plan}"));
    assert_eq!(store.unread(pat).await.unwrap(), 2);
    assert!(store.mark_read(pat, listed[0].id, Utc::now()).await.unwrap());
    assert!(
        !store.mark_read(lro, listed[1].id, Utc::now()).await.unwrap(),
        "not the LRO's"
    );
    assert_eq!(store.unread(pat).await.unwrap(), 1);

    // Removed: the plan is closed to them, and so is what was said of it.
    change(store, plan, lro, pat, None).await;
    assert!(kinds(store, pat).await.is_empty());
    assert_eq!(store.unread(pat).await.unwrap(), 0);
    assert!(!store.mark_read(pat, listed[1].id, Utc::now()).await.unwrap());
}

async fn settings_are_kept_per_person_and_kind(store: &dyn Store) {
    let pat = user(store, "Pat").await;
    assert!(store.settings(pat).await.unwrap().is_empty());
    store
        .set_settings(
            pat,
            &[(Kind::Mentioned, Delivery::Off), (Kind::Reply, Delivery::Digest)],
        )
        .await
        .unwrap();
    store
        .set_settings(pat, &[(Kind::Mentioned, Delivery::AtOnce)])
        .await
        .unwrap();
    let mut chosen = store.settings(pat).await.unwrap();
    chosen.sort_by_key(|(k, _)| k.key());
    assert_eq!(
        chosen,
        [(Kind::Mentioned, Delivery::AtOnce), (Kind::Reply, Delivery::Digest)]
    );
}

fn facts(next_review: NaiveDate) -> PlanFacts {
    PlanFacts {
        subject_kind: None,
        tier: None,
        next_review: Some(next_review),
        threats: vec![],
    }
}

fn action(id: &str, target: NaiveDate, status: RagStatus, agency: &str, name: &str) -> ActionFacts {
    ActionFacts {
        id: id.into(),
        status: Some(status),
        date: None,
        target_date: Some(target),
        disruption: None,
        owner_agency: agency.into(),
        ps: [P::Pursue].into(),
        submitted: false,
        text: "Warrant at Elm Street".into(),
        owner_name: name.into(),
        update: String::new(),
    }
}

async fn the_daily_sweep_runs_once_a_day_and_tells_each_event_once(store: &dyn Store) {
    let lro = user(store, "Lee").await;
    let pat = user_in_new_agency(store, ("Council", "Local authority"), "pat@council", "Pat", |_| {}).await;
    let plan = plan_with_lro(store, lro).await.unwrap();
    change(store, plan, lro, pat.id, Some(Role::Partner)).await;
    let actions = [
        action("late", day(5), RagStatus::Amber, " council ", ""),
        action("done", day(5), RagStatus::Green, "Council", ""),
        action("named", day(5), RagStatus::Red, "", "PAT"),
        action("future", day(20), RagStatus::Red, "Council", ""),
    ];
    let all = AllFacts {
        plan,
        seq: 1,
        facts: &facts(day(12)),
        actions: &actions,
    };
    store.replace_facts(all, false).await.unwrap();
    let node = Uuid::new_v4();
    let sweep = |d| SweepDay {
        day: d,
        node,
        now: Utc::now(),
    };

    let first = store
        .sweep_day(sweep(day(8)))
        .await
        .unwrap()
        .expect("the first sweep of the day runs");
    assert_eq!(
        first.notified, 3,
        "two actions overdue for Pat, a review due for the LRO"
    );
    assert_eq!(first.told, {
        let mut both = vec![lro, pat.id];
        both.sort();
        both
    });
    assert!(store.sweep_day(sweep(day(8))).await.unwrap().is_none(), "once a day");
    let second = store.sweep_day(sweep(day(9))).await.unwrap().unwrap();
    assert_eq!(second.notified, 0, "the same events are not told again");
    let overdue = store.sweep_day(sweep(day(13))).await.unwrap().unwrap();
    assert_eq!(overdue.notified, 1, "the review is now overdue");

    let mut told = kinds(store, pat.id).await;
    told.retain(|k| k != "added_to_plan");
    assert_eq!(told, ["action_overdue", "action_overdue"]);
    assert_eq!(kinds(store, lro).await, ["review_due", "review_overdue"]);
    let links: Vec<String> = store
        .notifications(pat.id, 10)
        .await
        .unwrap()
        .into_iter()
        .map(|n| n.link)
        .collect();
    assert!(links.contains(&format!("/plans/{plan}#action-late")), "{links:?}");
    // Each was for the digest (their default): queued in that day's.
    assert!(first.digests >= 1);
}

async fn a_claim_holds_until_it_expires_and_a_sent_email_is_never_claimed_again(store: &dyn Store) {
    let lro = user(store, "Lee").await;
    let pat = user(store, "Pat").await;
    let plan = plan_with_lro(store, lro).await.unwrap();
    change(store, plan, lro, pat, Some(Role::Partner)).await;
    let now = Utc::now() + Duration::seconds(1);
    let claim = |at, secs| Claim {
        id: Uuid::new_v4(),
        now: at,
        until: at + Duration::seconds(secs),
        limit: 10,
    };
    let first = claim(now, 60);
    let rows = store.claim_at_once(first).await.unwrap();
    assert_eq!(rows.len(), 1);
    assert_eq!(
        (rows[0].user_id, rows[0].address.as_str(), rows[0].attempts),
        (pat, "pat@example.org", 1)
    );
    assert!(rows[0].visible);
    assert!(
        store.claim_at_once(claim(now, 60)).await.unwrap().is_empty(),
        "held by the first claim"
    );

    // Its sender died: the claim expires, and another takes the row.
    let later = now + Duration::seconds(61);
    let second = claim(later, 60);
    assert_eq!(store.claim_at_once(second).await.unwrap().len(), 1);
    assert_eq!(
        store.sent(Outgoing::AtOnce, first.id, pat, later).await.unwrap(),
        0,
        "not the first's any more"
    );
    // A failure gives it back, due again after a back-off.
    assert_eq!(
        store
            .retry(Outgoing::AtOnce, second.id, pat, later + Duration::seconds(2))
            .await
            .unwrap(),
        1
    );
    assert!(
        store.claim_at_once(claim(later, 60)).await.unwrap().is_empty(),
        "not due yet"
    );
    let third = claim(later + Duration::seconds(3), 60);
    assert_eq!(store.claim_at_once(third).await.unwrap()[0].attempts, 3);
    assert_eq!(store.sent(Outgoing::AtOnce, third.id, pat, later).await.unwrap(), 1);
    let much_later = claim(later + Duration::days(1), 60);
    assert!(
        store.claim_at_once(much_later).await.unwrap().is_empty(),
        "sent: never again"
    );
}

/// An update that assigns an action tells, in its commit, the members of
/// the agency or the member so named: once per action and assignee.
async fn an_assignment_is_told_in_the_commit_of_the_update_that_made_it(store: &dyn Store) {
    use plan::notifications::{Assignee, Assignment};
    use server::audit::AuditedUpdate;
    let lro = user(store, "Lee").await;
    let pat = user(store, "Pat").await;
    let plan = plan_with_lro(store, lro).await.unwrap();
    change(store, plan, lro, pat, Some(Role::Partner)).await;
    let assigned = [
        Assignment {
            action: "a1".into(),
            to: Assignee::Agency(" PAT'S AGENCY".into()),
        },
        Assignment {
            action: "a1".into(),
            to: Assignee::Name("pat".into()),
        },
        Assignment {
            action: "a2".into(),
            to: Assignee::Agency("Nobody's agency".into()),
        },
    ];
    let update = |seq: usize| AuditedUpdate {
        update: if seq == 1 { b"first" } else { b"second" },
        user: lro,
        changes: &[],
        claimed: &[],
        assigned: &assigned,
    };
    store.append_audited(plan, 1, &[update(1)]).await.unwrap();
    store.append_audited(plan, 2, &[update(2)]).await.unwrap();
    let mut told = kinds(store, pat).await;
    told.retain(|k| k != "added_to_plan");
    assert_eq!(told, ["action_assigned_agency", "action_assigned_you"], "once each");
    let listed = store.notifications(pat, 10).await.unwrap();
    assert_eq!(listed[0].link, format!("/plans/{plan}#action-a1"));
    assert!(kinds(store, lro).await.is_empty(), "not the one who assigned it");
}

integration_tests::on_both_stores!(
    an_assignment_is_told_in_the_commit_of_the_update_that_made_it,
    a_member_is_told_in_the_change_that_concerns_them_and_only_while_they_may_open_the_plan,
    settings_are_kept_per_person_and_kind,
    the_daily_sweep_runs_once_a_day_and_tells_each_event_once,
    a_claim_holds_until_it_expires_and_a_sent_email_is_never_claimed_again,
);
