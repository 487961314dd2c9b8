//! The discussion notifies: a mention, a reply in a thread you are in, a
//! suggestion for the leads to decide and the decision for its suggester;
//! in the app, and by email without a word of the comment or the plan. A
//! non-member cannot be mentioned.

use super::{app_with_mail, assert_no_plan_content, emailed_ids, ids, kinds, listing, to};
use integration_tests::{PAT, SAM, USER_EMAIL};
use serde_json::{json, Value};

#[tokio::test]
async fn mentions_replies_and_suggestions_are_told_without_their_words() {
    let (app, smtp) = app_with_mail().await;
    let plan = app.create_plan("Operation Dunlin").await;
    let pat_id = app.add_to_plan(plan, &PAT, "partner").await;
    app.add_person(&SAM).await;
    let sam_id = app.user_id(SAM.email).await;
    let pat = app.client_for(PAT.email).await;
    let post = |by: &reqwest::Client, body: Value| {
        by.post(app.url(&format!("/api/plans/{plan}/comments")))
            .json(&body)
            .send()
    };

    // A non-member cannot be mentioned, and nothing is stored.
    let stray = post(&app.http, json!({ "body": "Sam, look", "mentions": [sam_id] }))
        .await
        .unwrap();
    assert_eq!(stray.status(), 422);
    assert!(stray.text().await.unwrap().contains("only the plan's members"));

    let asked: Value = post(
        &app.http,
        json!({ "body": "Pat: is the lock-up let to Kane?", "mentions": [pat_id] }),
    )
    .await
    .unwrap()
    .json()
    .await
    .unwrap();
    post(&pat, json!({ "body": "Yes, since March", "reply_to": asked["id"] }))
        .await
        .unwrap();
    let lro_told = listing(&app, USER_EMAIL).await.1;
    assert_eq!(kinds(&lro_told), ["reply"], "the LRO hears of Pat's reply");
    assert_eq!(
        lro_told[0]["link"],
        format!("/plans/{plan}#comment-{}", lro_told_comment(&app, plan).await)
    );

    let suggested = pat
        .post(app.url(&format!("/api/plans/{plan}/suggestions")))
        .json(&json!({ "section": "aim", "text": "Close the lock-up." }))
        .send()
        .await
        .unwrap();
    assert_eq!(suggested.status(), 201);
    let suggestion: Value = suggested.json().await.unwrap();
    assert_eq!(
        kinds(&listing(&app, USER_EMAIL).await.1),
        ["reply", "suggestion_to_decide"]
    );
    let rejected = app
        .post_json(
            &format!(
                "/api/plans/{plan}/suggestions/{}/reject",
                suggestion["id"].as_str().unwrap()
            ),
            &json!({ "reason": "Not ours to close" }),
        )
        .await;
    assert_eq!(rejected.status(), 204);

    let (_, pats) = listing(&app, PAT.email).await;
    assert_eq!(kinds(&pats), ["added_to_plan", "mentioned", "suggestion_decided"]);
    let want = ids(&pats);
    let messages = smtp
        .wait_for("Pat's emails", |m| emailed_ids(m, PAT.email) == want)
        .await;
    let all: Vec<_> = to(&messages, PAT.email)
        .into_iter()
        .chain(to(&messages, USER_EMAIL))
        .collect();
    assert_no_plan_content(&all, &["Dunlin", "lock-up", "Kane", "March", "Not ours"]);
    assert!(to(&messages, SAM.email).is_empty(), "Sam is told nothing");
}

/// Pat's reply's id (the comment the LRO's notification leads to).
async fn lro_told_comment(app: &integration_tests::TestApp, plan: uuid::Uuid) -> String {
    let id: uuid::Uuid =
        sqlx::query_scalar("SELECT id FROM plan_comments WHERE plan_id = $1 AND thread_id IS NOT NULL")
            .bind(plan)
            .fetch_one(&app.pool)
            .await
            .unwrap();
    id.to_string()
}
