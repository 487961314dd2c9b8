//! The `LifecycleStore` and the access log's store on both databases: a
//! plan closes and reopens once each way, every step recorded; a closed
//! plan's updates are refused by the database; entries are searched by
//! each filter.

use integration_tests::stores::{plan_with_lro as create, user};
use plan::access_log::{AccessKind, Basis};
use plan::lifecycle::Closing;
use server::access_log::store::Filter;
use server::access_log::Access;
use server::lifecycle::disposal::Review;
use server::lifecycle::store::Close;
use server::storage::Store;

async fn a_plan_closes_and_reopens_once_each_way_and_every_step_is_recorded(store: &dyn Store) {
    let dee = user(store, "Dee").await;
    let plan = create(store, dee).await.unwrap();
    let closing = Closing::parse("merged", "Merged into Operation Ash", "2 moderate").unwrap();
    let review = chrono::NaiveDate::from_ymd_opt(2032, 12, 7).unwrap();
    assert!(store
        .close_plan(Close {
            plan,
            by: dee,
            closing: &closing,
            review_on: review
        })
        .await
        .unwrap());
    assert!(
        !store
            .close_plan(Close {
                plan,
                by: dee,
                closing: &closing,
                review_on: review
            })
            .await
            .unwrap(),
        "closed already"
    );
    let life = store.plan_life(plan).await.unwrap().unwrap();
    assert!(life.closed && life.closed_at.is_some());
    assert_eq!(life.review_on, Some(review));
    assert_eq!(life.closing().unwrap().summary, "Merged into Operation Ash");
    assert!(store.load(plan).await.unwrap().closed, "a room loads it closed");

    assert!(store.reopen_plan(plan, dee, "Re-formed").await.unwrap());
    assert!(!store.reopen_plan(plan, dee, "Again").await.unwrap(), "open already");
    let life = store.plan_life(plan).await.unwrap().unwrap();
    assert!(!life.closed && life.review_on.is_none() && life.closing().is_none());
    let steps: Vec<&str> = life.events.iter().map(|e| e.event.as_str()).collect();
    assert_eq!(steps, ["closed", "reopened"]);
    assert_eq!(life.events[1].by, "Dee");
    assert!(!store.load(plan).await.unwrap().closed);
}

async fn access_entries_are_found_by_each_filter_newest_first(store: &dyn Store) {
    let (dee, pat) = (user(store, "Dee").await, user(store, "Pat").await);
    let plan = create(store, dee).await.unwrap();
    let who = |id, name: &str| app::session::ssr::Requester {
        viewer: app::session::Viewer {
            id,
            name: name.into(),
            email: format!("{name}@example.org"),
            agency: format!("{name}'s agency"),
            is_admin: false,
            strategic_lead: false,
            may_lead_plans: false,
            auditor: false,
            vetting_officer: false,
            vetting_notice: None,
        },
        session: "ab".into(),
        address: Some("10.0.0.1".parse().unwrap()),
        user_agent: None,
    };
    let entries = [
        Access::by(
            &who(dee, "Dee"),
            AccessKind::Opened,
            Basis::Member(plan::access::Role::Lro),
        )
        .on(plan),
        Access::by(&who(pat, "Pat"), AccessKind::ReadByApi, Basis::NotMember).on(plan),
        Access::by(&who(pat, "Pat"), AccessKind::PortfolioExported, Basis::OwnPlans).for_whom("Council"),
    ];
    store.append_accesses(&entries).await.unwrap();
    let all = store.accesses(&Filter::default(), 10).await.unwrap();
    assert_eq!(all.len(), 3);
    assert_eq!(all[0].kind, AccessKind::PortfolioExported, "newest first");
    assert_eq!(all[0].recipients, "Council");
    let filter = |set: &dyn Fn(&mut Filter)| {
        let mut filter = Filter::default();
        set(&mut filter);
        filter
    };
    let pats = store.accesses(&filter(&|f| f.user = Some(pat)), 10).await.unwrap();
    assert_eq!(pats.len(), 2);
    assert!(!pats[1].granted && pats[1].basis == "refused: not a member");
    let on_plan = store.accesses(&filter(&|f| f.plan = Some(plan)), 10).await.unwrap();
    assert_eq!(on_plan.len(), 2);
    let agency = filter(&|f| f.agency = Some("Dee's agency".into()));
    assert_eq!(store.accesses(&agency, 10).await.unwrap().len(), 1);
    let later = Filter {
        from: Some(chrono::Utc::now() + chrono::Duration::hours(1)),
        ..Filter::default()
    };
    assert!(store.accesses(&later, 10).await.unwrap().is_empty());
    assert_eq!(
        store.accesses(&Filter::default(), 1).await.unwrap().len(),
        1,
        "the limit holds"
    );
}

async fn a_due_plan_is_disposed_of_whole_and_its_id_is_never_used_again(store: &dyn Store) {
    let dee = user(store, "Dee").await;
    let plan = create(store, dee).await.unwrap();
    let today = chrono::Utc::now().date_naive();
    let review = |reason, today| Review {
        plan,
        by: dee,
        reason,
        today,
    };
    assert!(
        store.dispose_plan(review("x", today)).await.unwrap().is_none(),
        "an open plan stays"
    );
    let closing = Closing::parse("dismantled", "Charged", "").unwrap();
    let later = today + chrono::Days::new(1);
    assert!(store
        .close_plan(Close {
            plan,
            by: dee,
            closing: &closing,
            review_on: later
        })
        .await
        .unwrap());
    assert!(
        store.dispose_plan(review("x", today)).await.unwrap().is_none(),
        "not due yet"
    );
    assert!(store.retention_due(later).await.unwrap().iter().any(|d| d.plan == plan));
    let tombstone = store
        .dispose_plan(review("No purpose left", later))
        .await
        .unwrap()
        .expect("disposed");
    assert_eq!((tombstone.plan, tombstone.reason.as_str()), (plan, "No purpose left"));
    assert!(matches!(
        store.load(plan).await,
        Err(server::store::StoreError::NotFound(_))
    ));
    assert!(store.members(plan).await.unwrap().is_empty());
    assert!(
        store.member_changes(plan).await.unwrap().is_empty(),
        "its history goes too"
    );
    assert!(store.plan_life(plan).await.unwrap().is_none());
    let snapshot = server::store::Snapshot {
        upto_seq: 0,
        state: Vec::new(),
        state_vector: Vec::new(),
    };
    let summary = plan::PlanSummary {
        id: plan,
        marking: Default::default(),
        subject_kind: None,
        subject_name: "Again".into(),
        subject_ref: String::new(),
        tier: None,
        lro: String::new(),
        next_review: None,
        actions: Default::default(),
    };
    assert!(
        store.create_plan(plan, &snapshot, &summary).await.is_err(),
        "its id is never used again"
    );
}

integration_tests::on_both_stores!(
    a_due_plan_is_disposed_of_whole_and_its_id_is_never_used_again,
    a_plan_closes_and_reopens_once_each_way_and_every_step_is_recorded,
    access_entries_are_found_by_each_filter_newest_first,
);
