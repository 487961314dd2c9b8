//! Each event that notifies: in the app at once, by email as chosen, and
//! no email carrying any of the plan's content.

use super::*;
use integration_tests::PAT;
use plan::{NewAction, P};

#[tokio::test]
async fn membership_and_assignments_are_told_in_the_app_and_by_email_without_plan_content() {
    let (app, smtp) = app_with_mail().await;
    let plan = app.create_plan("Operation Nightjar").await;
    app.add_to_plan(plan, &PAT, "partner").await;
    app.make_member(plan, PAT.email, "viewer").await;
    app.make_member(plan, PAT.email, "partner").await;
    let action = as_lro(&app, plan, |p, t| {
        let raid = NewAction {
            owner_agency: "northshire council ".into(),
            owner_name: "Pat Partner".into(),
            ..NewAction::new([P::Pursue], "Raid the lock-up at 14 Elm Street")
        };
        p.add_action(t, &raid)
    })
    .await;

    let (unread, list) = listing(&app, PAT.email).await;
    assert_eq!(
        kinds(&list),
        [
            "added_to_plan",
            "role_changed",
            "role_changed",
            "action_assigned_agency",
            "action_assigned_you"
        ]
    );
    assert_eq!(unread, 5);
    assert_eq!(
        list[0]["link"],
        format!("/plans/{plan}#action-{action}"),
        "to the action's row"
    );
    assert_eq!(list[0]["plan_name"], "Operation Nightjar", "the app names the plan");
    let pats = ids(&list);
    let messages = smtp
        .wait_for("every notification of Pat's", |m| emailed_ids(m, PAT.email) == pats)
        .await;
    let bodies: String = to(&messages, PAT.email).iter().map(Email::body).collect();
    for line in [
        "Added to a plan: 1",
        "Your role on a plan changed:",
        "An action assigned to your agency: 1",
        "An action assigned to you by name: 1",
    ] {
        assert!(bodies.contains(line), "{line:?} in {bodies}");
    }
    assert!(
        bodies.contains(&format!("http://{}/notifications", app.addr)),
        "a link to Pillars"
    );
    assert_no_plan_content(
        &messages,
        &["Nightjar", "Elm Street", "lock-up", "Northshire Council", "OCG-1"],
    );
    assert!(
        to(&messages, USER_EMAIL).is_empty(),
        "the LRO is told nothing of what they did"
    );

    // Read state persists.
    let pat = app.client_for(PAT.email).await;
    let read = pat
        .post(app.url(&format!("/api/notifications/{}/read", pats[0])))
        .send()
        .await
        .unwrap();
    assert_eq!(read.status(), 200);
    assert_eq!(listing(&app, PAT.email).await.0, 4);
    let others = app.post(&format!("/api/notifications/{}/read", pats[1])).await;
    assert_eq!(others.status(), 404, "another's notification is not found");
    assert_eq!(
        pat.post(app.url("/api/notifications/read"))
            .send()
            .await
            .unwrap()
            .status(),
        200
    );
    assert_eq!(listing(&app, PAT.email).await.0, 0);
}

#[tokio::test]
async fn overdue_actions_and_reviews_are_found_by_the_daily_sweep_once() {
    let (app, smtp) = app_with_mail().await;
    let plan = app.create_plan("Operation Kestrel").await;
    app.add_to_plan(plan, &PAT, "partner").await;
    choose(&app, PAT.email, "action_overdue", "at_once").await;
    choose(&app, USER_EMAIL, "review_due", "at_once").await;
    choose(&app, USER_EMAIL, "review_overdue", "at_once").await;
    let today = chrono::Utc::now().date_naive();
    let mut changed = app.state.plans.events().watch();
    as_lro(&app, plan, |p, t| {
        let late = NewAction {
            owner_agency: PAT.agency.into(),
            target_date: Some(today + chrono::Days::new(2)),
            ..NewAction::new([P::Protect], "Visit the safe house on Mill Lane")
        };
        p.add_action(t, &late)
    })
    .await;
    // Its facts, which the sweep reads, are kept once the room says so.
    while changed.next().await != Some(server::plan_events::Notice::Changed(plan)) {}
    let next_review: chrono::NaiveDate =
        sqlx::query_scalar("SELECT next_review FROM portfolio_plans WHERE plan_id = $1")
            .bind(plan)
            .fetch_one(&app.pool)
            .await
            .unwrap();
    let notifications = &app.state.notifications;
    let swept = notifications
        .sweep(today + chrono::Days::new(3))
        .await
        .unwrap()
        .expect("the day's sweep");
    assert_eq!(swept.notified, 1, "the overdue action, told to its agency");
    assert!(
        notifications
            .sweep(today + chrono::Days::new(3))
            .await
            .unwrap()
            .is_none(),
        "once a day"
    );
    let again = notifications
        .sweep(today + chrono::Days::new(4))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(again.notified, 0, "never the same overdue twice");
    notifications
        .sweep(next_review - chrono::Days::new(3))
        .await
        .unwrap()
        .unwrap();
    notifications
        .sweep(next_review + chrono::Days::new(1))
        .await
        .unwrap()
        .unwrap();

    let (_, pats) = listing(&app, PAT.email).await;
    assert_eq!(
        kinds(&pats),
        ["added_to_plan", "action_assigned_agency", "action_overdue"]
    );
    let (_, lros) = listing(&app, USER_EMAIL).await;
    assert_eq!(kinds(&lros), ["review_due", "review_overdue"]);
    let (pat_ids, lro_ids) = (ids(&pats), ids(&lros));
    let messages = smtp
        .wait_for("the sweep's notifications", |m| {
            emailed_ids(m, PAT.email) == pat_ids && emailed_ids(m, USER_EMAIL) == lro_ids
        })
        .await;
    let bodies: String = messages.iter().map(Email::body).collect();
    for line in [
        "An action assigned to your agency: 1",
        "Your or your agency's action overdue: 1",
        "A review due within 7 days (LRO and plan owner): 1",
        "A review overdue (LRO and plan owner): 1",
    ] {
        assert!(bodies.contains(line), "{line:?} in {bodies}");
    }
    assert_no_plan_content(&messages, &["Kestrel", "Mill Lane", "safe house"]);
}

#[tokio::test]
async fn the_daily_digest_counts_by_kind_in_one_email_and_off_is_never_emailed() {
    let (app, smtp) = app_with_mail().await;
    app.add_person(&PAT).await;
    choose(&app, PAT.email, "added_to_plan", "digest").await;
    let first = app.create_plan("Operation Heron").await;
    let second = app.create_plan("Operation Egret").await;
    app.make_member(first, PAT.email, "partner").await;
    app.make_member(second, PAT.email, "viewer").await;
    // Sam chooses no email for being added, but at once for a new role.
    let sam = integration_tests::SAM;
    app.add_person(&sam).await;
    choose(&app, sam.email, "added_to_plan", "off").await;
    app.make_member(first, sam.email, "viewer").await;
    app.make_member(first, sam.email, "partner").await;
    let (_, sams) = listing(&app, sam.email).await;
    assert_eq!(
        kinds(&sams),
        ["added_to_plan", "role_changed"],
        "off is still shown in the app"
    );
    let role_changed = sams[0]["id"].as_i64().unwrap();
    let messages = smtp
        .wait_for("Sam's new role", |m| emailed_ids(m, sam.email).contains(&role_changed))
        .await;
    assert_eq!(
        emailed_ids(&messages, sam.email),
        [role_changed],
        "being added is not emailed"
    );

    let day = chrono::Utc::now().date_naive() + chrono::Days::new(1);
    let swept = app.state.notifications.sweep(day).await.unwrap().unwrap();
    assert_eq!(swept.digests, 1, "Pat's");
    let messages = smtp.wait_for("Pat's digest", |m| !to(m, PAT.email).is_empty()).await;
    let pats = to(&messages, PAT.email);
    assert_eq!(pats.len(), 1, "one email: the digest");
    assert!(pats[0].is_digest(), "{}", pats[0].data);
    assert!(pats[0].body().contains("Added to a plan: 2"), "{}", pats[0].body());
    assert!(
        pats[0].subject().contains("daily digest, 2 notifications"),
        "{}",
        pats[0].subject()
    );
    assert_no_plan_content(&messages, &["Heron", "Egret", "OCG-1"]);
    let next = app
        .state
        .notifications
        .sweep(day + chrono::Days::new(1))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(next.digests, 0, "nothing waits for the next day's digest");
    wait_for_count(
        &app,
        "the digest marked sent",
        "SELECT count(*) FROM notification_digests WHERE email = 'sent'",
        1,
    )
    .await;
}
