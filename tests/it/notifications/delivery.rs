//! Delivery: the mail server away for a while loses nothing and sends
//! nothing twice; one that refuses is tried again; a notification of a plan
//! closed to its person meanwhile is withheld.

use super::*;
use integration_tests::{PAT, SAM};

const UNSENT: &str = "SELECT count(*) FROM notifications WHERE email = 'queued'";

#[tokio::test]
async fn the_mail_server_away_for_a_while_delays_every_email_and_none_is_lost_or_sent_twice() {
    let (app, mut smtp) = app_with_mail().await;
    smtp.stop().await;
    let mut plans = Vec::new();
    for subject in ["Operation Alder", "Operation Birch", "Operation Cedar"] {
        plans.push(app.create_plan(subject).await);
    }
    app.add_to_plan(plans[0], &PAT, "partner").await;
    app.add_to_plan(plans[1], &SAM, "viewer").await;
    for plan in &plans[1..] {
        app.make_member(*plan, PAT.email, "viewer").await;
    }
    app.make_member(plans[2], SAM.email, "partner").await;
    // The sender has tried, and failed, at least once.
    wait_for_count(
        &app,
        "notifications tried while the server is away",
        "SELECT count(*) FROM notifications WHERE email_attempts = 0",
        0,
    )
    .await;
    assert_eq!(smtp.messages().len(), 0);

    let smtp = smtp.restart().await;
    let (pat, sam) = (
        ids(&listing(&app, PAT.email).await.1),
        ids(&listing(&app, SAM.email).await.1),
    );
    assert_eq!((pat.len(), sam.len()), (3, 2));
    smtp.wait_for("every notification, once the server is back", |m| {
        emailed_ids(m, PAT.email) == pat && emailed_ids(m, SAM.email) == sam
    })
    .await;
    wait_for_count(&app, "every notification marked sent", UNSENT, 0).await;
    // Marked sent: none is sent again (each id above is in one email only).
    let messages = smtp.messages();
    assert_eq!(emailed_ids(&messages, PAT.email), pat, "Pat's, once each");
    assert_eq!(emailed_ids(&messages, SAM.email), sam, "Sam's, once each");
}

#[tokio::test]
async fn a_server_that_refuses_is_tried_again_and_a_plan_closed_meanwhile_is_withheld() {
    let (app, mut smtp) = app_with_mail().await;
    smtp.set("refuse").await;
    let kept = app.create_plan("Operation Linden").await;
    let left = app.create_plan("Operation Rowan").await;
    let pat = app.add_to_plan(kept, &PAT, "partner").await;
    app.make_member(left, PAT.email, "partner").await;
    wait_for_count(
        &app,
        "both refused once",
        "SELECT count(*) FROM notifications WHERE email_attempts = 0",
        0,
    )
    .await;
    // Removed from one plan while its email waits: it is not sent.
    let path = format!("/api/plans/{left}/members/{pat}");
    let removed = app.http.delete(app.url(&path)).send().await.unwrap();
    assert_eq!(removed.status(), 204);
    let (_, visible) = listing(&app, PAT.email).await;
    assert_eq!(visible.len(), 1, "the other plan's notification is hidden");
    smtp.set("accept").await;
    let kept_id = ids(&visible);
    smtp.wait_for("the kept plan's notification", |m| emailed_ids(m, PAT.email) == kept_id)
        .await;
    wait_for_count(
        &app,
        "the removed plan's notification withheld",
        "SELECT count(*) FROM notifications WHERE email = 'withheld'",
        1,
    )
    .await;
    assert_eq!(emailed_ids(&smtp.messages(), PAT.email), kept_id);
}
