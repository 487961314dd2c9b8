//! Notifications' emails on several nodes and one real SMTP server: each
//! notification is emailed exactly once however many senders claim, and a
//! node killed mid-send loses none (its claim expires and another node
//! sends it).

use integration_tests::db::database_url;
use integration_tests::node::NodeProcess;
use integration_tests::smtp::{Email, SmtpServer};
use integration_tests::{spawn_app, spawn_app_with, TestApp, PAT};
use std::time::Duration;

const NODE: &str = env!("CARGO_BIN_EXE_pillars-node");

/// Every notification id emailed so far, with repeats, sorted.
fn emailed(messages: &[Email]) -> Vec<i64> {
    let mut ids: Vec<i64> = messages.iter().flat_map(Email::notification_ids).collect();
    ids.sort();
    ids
}

async fn all_ids(app: &TestApp) -> Vec<i64> {
    sqlx::query_scalar("SELECT id FROM notifications ORDER BY id")
        .fetch_all(&app.pool)
        .await
        .unwrap()
}

/// Waits (bounded) until no notification waits to be emailed. The outbox
/// has no event to await: it is read until it holds.
async fn wait_until_all_sent(app: &TestApp) {
    let deadline = tokio::time::Instant::now() + Duration::from_secs(30);
    loop {
        let left: i64 = sqlx::query_scalar("SELECT count(*) FROM notifications WHERE email = 'queued'")
            .fetch_one(&app.pool)
            .await
            .unwrap();
        if left == 0 {
            return;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "{left} notifications never marked sent"
        );
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
}

#[tokio::test]
async fn two_nodes_and_one_mail_server_email_each_notification_exactly_once() {
    let _machine = integration_tests::machine::share().await;
    let smtp = SmtpServer::start().await;
    let a = spawn_app_with(|c| smtp.configure(c)).await;
    let b = a.another_node().await;
    let plan = a.create_plan("Operation Osprey").await;
    // Forty people added, alternately through each node: both senders
    // wake for each and claim at once.
    for n in 0..40 {
        let email = format!("member{n}@council.gov.uk");
        a.add_user(&email, &format!("Member {n}"), PAT.agency).await;
        let node = if n % 2 == 0 { &a } else { &b };
        let body = serde_json::json!({ "email": email, "role": "viewer" });
        let answer = node.put_json(&format!("/api/plans/{plan}/members"), &body).await;
        assert_eq!(answer.status(), 200);
    }
    let ids = all_ids(&a).await;
    assert_eq!(ids.len(), 40);
    smtp.wait_within(Duration::from_secs(30), "all forty", |m| {
        let mut seen = emailed(m);
        seen.dedup();
        seen == ids
    })
    .await;
    wait_until_all_sent(&a).await;
    assert_eq!(emailed(&smtp.messages()), ids, "each exactly once");
}

#[tokio::test]
async fn a_node_killed_mid_send_loses_no_notification() {
    let _machine = integration_tests::machine::share().await;
    let mut smtp = SmtpServer::start().await;
    // The setup node sends no email: the nodes in processes do.
    let setup = spawn_app().await;
    let url = database_url(&setup.pool);
    let plan = setup.create_plan("Operation Merlin").await;
    smtp.set("hold").await;
    let mut doomed = NodeProcess::start_with_env(NODE, &url, &smtp.env());
    setup.add_to_plan(plan, &PAT, "partner").await;
    // The doomed node is mid-send: the server has the message and has not
    // answered. It dies there, its claim held.
    smtp.wait_holding().await;
    doomed.kill();
    smtp.set("release").await;
    let ids = all_ids(&setup).await;
    assert_eq!(ids.len(), 1);
    assert!(
        emailed(&smtp.messages()).is_empty(),
        "nothing accepted from the dead node"
    );

    let _survivor = NodeProcess::start_with_env(NODE, &url, &smtp.env());
    smtp.wait_within(Duration::from_secs(30), "the notification, from the survivor", |m| {
        emailed(m) == ids
    })
    .await;
    wait_until_all_sent(&setup).await;
    assert_eq!(emailed(&smtp.messages()), ids, "once");
}
