//! A thread's life: the author edits (every wording kept), the author or a
//! lead resolves and reopens, the LRO hides with a reason; each change is
//! in the plan's comment record and nobody deletes another's comment.

use super::{comments, plan_with_aim, post};
use integration_tests::{TestApp, PAT};
use serde_json::{json, Value};
use uuid::Uuid;

async fn act(app: &TestApp, by: &reqwest::Client, plan: Uuid, comment: &Value, what: &str, body: Value) -> u16 {
    let url = app.url(&format!(
        "/api/plans/{plan}/comments/{}{what}",
        comment["id"].as_str().unwrap()
    ));
    let request = if what.is_empty() { by.patch(url) } else { by.post(url) };
    request.json(&body).send().await.unwrap().status().as_u16()
}

async fn record(app: &TestApp, plan: Uuid) -> Vec<(String, Option<String>)> {
    sqlx::query_as("SELECT kind, body FROM plan_comment_events WHERE plan_id = $1 ORDER BY id")
        .bind(plan)
        .fetch_all(&app.pool)
        .await
        .unwrap()
}

#[tokio::test]
async fn the_author_edits_and_every_wording_stays_in_the_record() {
    let (app, plan, _lro) = plan_with_aim("Disrupt", "partner").await;
    let pat = app.client_for(PAT.email).await;
    let asked: Value = post(&app, &pat, plan, json!({ "body": "Who owns action 3?" }))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        act(&app, &app.http, plan, &asked, "", json!({ "body": "Mine now" })).await,
        403
    );
    assert_eq!(
        act(&app, &pat, plan, &asked, "", json!({ "body": "Who owns action 4?" })).await,
        204
    );
    let seen = comments(&app, &app.http, plan).await;
    assert_eq!(
        (seen[0]["body"].as_str(), seen[0]["edited"].as_bool()),
        (Some("Who owns action 4?"), Some(true))
    );
    let kept = record(&app, plan).await;
    assert_eq!(
        kept,
        vec![
            ("posted".to_string(), Some("Who owns action 3?".to_string())),
            ("edited".to_string(), Some("Who owns action 4?".to_string())),
        ]
    );
    // The record cannot be rewritten, even from inside the database.
    let rewrite = sqlx::query("UPDATE plan_comment_events SET body = 'nothing' WHERE plan_id = $1")
        .bind(plan)
        .execute(&app.pool)
        .await;
    assert!(rewrite.is_err());
}

#[tokio::test]
async fn the_author_or_a_lead_resolves_and_reopens_a_thread_and_others_cannot() {
    let (app, plan, _lro) = plan_with_aim("Disrupt", "partner").await;
    let pat = app.client_for(PAT.email).await;
    let lros: Value = post(
        &app,
        &app.http,
        plan,
        json!({ "body": "Partners: update your actions" }),
    )
    .await
    .json()
    .await
    .unwrap();
    let reply: Value = post(&app, &pat, plan, json!({ "body": "Done", "reply_to": lros["id"] }))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        act(&app, &pat, plan, &lros, "/resolve", json!({})).await,
        403,
        "a partner, not the author"
    );
    assert_eq!(
        act(&app, &app.http, plan, &reply, "/resolve", json!({})).await,
        422,
        "a reply is not a thread"
    );
    assert_eq!(act(&app, &app.http, plan, &lros, "/resolve", json!({})).await, 204);
    let seen = comments(&app, &pat, plan).await;
    assert_eq!(seen[0]["resolved_by"], "Dee Lro");
    assert_eq!(act(&app, &app.http, plan, &lros, "/reopen", json!({})).await, 204);
    assert!(comments(&app, &pat, plan).await[0]["resolved_by"].is_null());

    let pats: Value = post(&app, &pat, plan, json!({ "body": "My own question" }))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        act(&app, &pat, plan, &pats, "/resolve", json!({})).await,
        204,
        "the author resolves their own"
    );
    let kinds: Vec<String> = record(&app, plan).await.into_iter().map(|(k, _)| k).collect();
    assert_eq!(
        kinds,
        ["posted", "posted", "resolved", "reopened", "posted", "resolved"]
    );
}

#[tokio::test]
async fn only_the_lro_hides_a_comment_with_a_reason_and_its_words_are_gone_from_every_page() {
    let (app, plan, _lro) = plan_with_aim("Disrupt", "partner").await;
    let pat = app.client_for(PAT.email).await;
    let said: Value = post(&app, &pat, plan, json!({ "body": "The informant is J. Smith" }))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        act(&app, &pat, plan, &said, "/hide", json!({ "reason": "mine" })).await,
        403
    );
    assert_eq!(
        act(&app, &app.http, plan, &said, "/hide", json!({ "reason": "  " })).await,
        422
    );
    assert_eq!(
        act(
            &app,
            &app.http,
            plan,
            &said,
            "/hide",
            json!({ "reason": "Names a source" })
        )
        .await,
        204
    );
    for by in [&pat, &app.http] {
        let seen = comments(&app, by, plan).await;
        assert!(seen[0]["body"].is_null(), "{seen:?}");
        assert_eq!(seen[0]["hidden"], json!(["Dee Lro", "Names a source"]));
        assert!(!serde_json::to_string(&seen).unwrap().contains("J. Smith"));
    }
    assert_eq!(
        act(&app, &pat, plan, &said, "", json!({ "body": "edited back" })).await,
        422
    );
    let kinds: Vec<(String, Option<String>)> = record(&app, plan).await;
    assert_eq!(kinds[1], ("hidden".to_string(), Some("Names a source".to_string())));
    // The plan's history, which only its LRO reads, shows both.
    let history = app.get_text(&format!("/api/plans/{plan}/history?format=csv")).await;
    let posted = history
        .lines()
        .find(|l| l.contains("J. Smith"))
        .expect("the comment in the history");
    assert!(posted.contains("Pat Partner") && posted.contains("Comment"), "{posted}");
    let hidden = history
        .lines()
        .find(|l| l.contains("Comment hidden"))
        .expect("the hiding in the history");
    assert!(
        hidden.contains("Dee Lro") && hidden.contains("Names a source"),
        "{hidden}"
    );
}
