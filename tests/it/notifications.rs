//! Notifications end to end, emailed through a real SMTP server (aiosmtpd
//! in a process of its own): each event kind, the digest, the off setting,
//! the mail server away for a while, need-to-know, bad settings, and never
//! any plan content in an email.

mod delivery;
mod discussion;
mod events;

use integration_tests::smtp::{Email, SmtpServer};
use integration_tests::{spawn_app_with, TestApp, PATIENCE, USER_AGENCY, USER_EMAIL};
use plan::access::Role;
use plan::{ModelError, PlanDoc};
use serde_json::{json, Value};
use server::collab::room::Access;
use uuid::Uuid;
use yrs::TransactionMut;

/// The app emailing through a fresh mail server.
async fn app_with_mail() -> (TestApp, SmtpServer) {
    let smtp = SmtpServer::start().await;
    let app = spawn_app_with(|c| smtp.configure(c)).await;
    (app, smtp)
}

/// `email`'s choice of how `kind` is emailed, set through the API.
async fn choose(app: &TestApp, email: &str, kind: &str, delivery: &str) {
    let client = app.client_for(email).await;
    let answer = client
        .put(app.url("/api/notifications/settings"))
        .json(&json!({ "kind": kind, "delivery": delivery }))
        .send()
        .await
        .unwrap();
    assert_eq!(answer.status(), 200, "{email} chooses {delivery} for {kind}");
}

/// `email`'s notifications as the API lists them: (unread, the list).
async fn listing(app: &TestApp, email: &str) -> (u64, Vec<Value>) {
    let client = app.client_for(email).await;
    let answer: Value = client
        .get(app.url("/api/notifications"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let list = answer["notifications"].as_array().cloned().unwrap_or_default();
    (answer["unread"].as_u64().unwrap(), list)
}

fn ids(list: &[Value]) -> Vec<i64> {
    let mut ids: Vec<i64> = list.iter().map(|n| n["id"].as_i64().unwrap()).collect();
    ids.sort();
    ids
}

fn kinds(list: &[Value]) -> Vec<String> {
    list.iter()
        .rev()
        .map(|n| n["kind"].as_str().unwrap().to_string())
        .collect()
}

/// The emails to `address`.
fn to(messages: &[Email], address: &str) -> Vec<Email> {
    messages
        .iter()
        .filter(|m| m.to.iter().any(|t| t == address))
        .cloned()
        .collect()
}

/// Every notification id the emails to `address` told of, in order.
fn emailed_ids(messages: &[Email], address: &str) -> Vec<i64> {
    let mut ids: Vec<i64> = to(messages, address).iter().flat_map(Email::notification_ids).collect();
    ids.sort();
    ids
}

/// No email's subject or body holds any of `secrets` (plan content).
fn assert_no_plan_content(messages: &[Email], secrets: &[&str]) {
    assert!(!messages.is_empty());
    for m in messages {
        for secret in secrets {
            assert!(
                !m.subject().contains(secret) && !m.body().contains(secret),
                "an email carries {secret:?}: {}",
                m.data
            );
        }
    }
}

/// Edits the plan as its LRO (the test app's user), the way a browser
/// does; returns once the edit is committed.
async fn as_lro<T>(
    app: &TestApp,
    plan: Uuid,
    edit: impl FnOnce(&PlanDoc, &mut TransactionMut) -> Result<T, ModelError>,
) -> T {
    let access = Access {
        user: app.user_id(USER_EMAIL).await,
        role: Role::Lro,
        agency: USER_AGENCY.into(),
        shown_as: String::new(),
    };
    server::collab::server_edit::edit_as(&app.state.rooms, plan, access, edit)
        .await
        .expect("the LRO's edit is admitted")
}

/// Waits (bounded) until `query` (one number) reaches `want`. The outbox's
/// state has no event to await; this reads it until it holds.
async fn wait_for_count(app: &TestApp, what: &str, query: &'static str, want: i64) {
    let deadline = tokio::time::Instant::now() + PATIENCE;
    loop {
        let n: i64 = sqlx::query_scalar(query).fetch_one(&app.pool).await.unwrap();
        if n == want {
            return;
        }
        assert!(tokio::time::Instant::now() < deadline, "{what}: {n}, not {want}");
        tokio::time::sleep(std::time::Duration::from_millis(25)).await;
    }
}

#[tokio::test]
async fn bad_settings_are_refused_with_clear_messages_and_nothing_is_stored() {
    let (app, _smtp) = app_with_mail().await;
    let cases = [
        (
            json!({ "kind": "gossip", "delivery": "at_once" }),
            422,
            r#"kind: "gossip" is not a notification kind"#,
        ),
        (
            json!({ "kind": "mentioned", "delivery": "weekly" }),
            422,
            r#"delivery: "weekly" is not a delivery"#,
        ),
        (json!({ "kind": "mentioned" }), 400, "send JSON"),
    ];
    for (body, status, says) in cases {
        let answer = app.put_json("/api/notifications/settings", &body).await;
        assert_eq!(answer.status(), status, "{body}");
        let error: Value = answer.json().await.unwrap();
        let text = error["error"].as_str().unwrap_or_default();
        assert!(text.contains(says), "{body}: {text}");
    }
    let stored: i64 = sqlx::query_scalar("SELECT count(*) FROM notification_settings")
        .fetch_one(&app.pool)
        .await
        .unwrap();
    assert_eq!(stored, 0, "nothing stored");
    let settings: Value = app.get_json("/api/notifications/settings").await;
    assert_eq!(settings["email_on"], true);
    let mentioned = settings["choices"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c[0] == "mentioned")
        .cloned();
    assert_eq!(mentioned, Some(json!(["mentioned", "at_once"])), "the default stands");
    let bad_id = app.post("/api/notifications/not-a-number/read").await;
    assert_eq!(bad_id.status(), 404);
}
