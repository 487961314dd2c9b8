//! Comments on a plan: any member comments (viewers too), on the plan, a
//! section, words in a section or an action, in threads; need-to-know
//! holds; bad input is refused with nothing stored; every change is in the
//! plan's comment record; pages hear of comments live.

mod bad_input;
mod suggestions;
mod threads;

use integration_tests::{spawn_app_with_pat_as, Client, TestApp, PAT, SAM};
use plan::Section;
use serde_json::{json, Value};
use uuid::Uuid;

/// A plan whose aim reads `aim`, Pat on it as `role`, Sam on no plan.
pub async fn plan_with_aim(aim: &str, role: &str) -> (TestApp, Uuid, Client) {
    let (app, plan) = spawn_app_with_pat_as("Operation Quill", role).await;
    let lro = Client::connect(&app.ws_url(plan)).await;
    lro.edit(|p, t| p.set_section_text(t, Section::Aim, aim));
    // A second replica proves the aim is in the room, not only local.
    let check = Client::connect(&app.ws_url(plan)).await;
    check.wait_for_aim("the aim in the room", aim).await;
    (app, plan, lro)
}

/// `POST /api/plans/{plan}/comments` as `by`.
pub async fn post(app: &TestApp, by: &reqwest::Client, plan: Uuid, body: Value) -> reqwest::Response {
    by.post(app.url(&format!("/api/plans/{plan}/comments")))
        .json(&body)
        .send()
        .await
        .unwrap()
}

/// The plan's comments as `by` sees them.
pub async fn comments(app: &TestApp, by: &reqwest::Client, plan: Uuid) -> Vec<Value> {
    let answer = by
        .get(app.url(&format!("/api/plans/{plan}/comments")))
        .send()
        .await
        .unwrap();
    assert_eq!(answer.status(), 200);
    answer.json().await.unwrap()
}

/// Rows of the plan's comments and comment record.
pub async fn stored(app: &TestApp, plan: Uuid) -> (i64, i64) {
    (
        app.count_for("SELECT count(*) FROM plan_comments WHERE plan_id = $1", plan)
            .await,
        app.count_for("SELECT count(*) FROM plan_comment_events WHERE plan_id = $1", plan)
            .await,
    )
}

#[tokio::test]
async fn a_viewer_asks_on_words_of_the_aim_and_the_lro_replies_and_the_words_are_quoted() {
    let (app, plan, lro) = plan_with_aim("Disrupt the supply of drugs", "viewer").await;
    let pat = app.client_for(PAT.email).await;
    let anchor = lro.edit(|p, t| plan::comments::Anchor::range(p, t, Section::Aim, 8, 18).unwrap());
    let asked = post(&app, &pat, plan, json!({ "body": "Which supply?", "anchor": anchor })).await;
    assert_eq!(asked.status(), 201);
    let asked: Value = asked.json().await.unwrap();
    let replied = post(
        &app,
        &app.http,
        plan,
        json!({ "body": "Crack, via the M6", "reply_to": asked["id"] }),
    )
    .await;
    assert_eq!(replied.status(), 201);

    let seen = comments(&app, &app.http, plan).await;
    assert_eq!(seen.len(), 2);
    assert_eq!(
        (
            seen[0]["author"].as_str(),
            seen[0]["agency"].as_str(),
            seen[0]["quote"].as_str()
        ),
        (Some(PAT.name), Some(PAT.agency), Some("the supply"))
    );
    assert_eq!(seen[0]["anchor"]["kind"], "range");
    assert_eq!(seen[1]["thread"], asked["id"], "the reply is in the thread");
    assert_eq!(seen[1]["body"], "Crack, via the M6");
    // Commenting is not editing: the plan is unchanged.
    assert_eq!(app.export(plan).await["sections"]["aim"], "Disrupt the supply of drugs");
    // Pat sees the same thread, and may edit only their own comment.
    let as_pat = comments(&app, &pat, plan).await;
    assert_eq!(
        (as_pat[0]["can_edit"].as_bool(), as_pat[1]["can_edit"].as_bool()),
        (Some(true), Some(false))
    );
}

#[tokio::test]
async fn comments_are_for_the_plans_members_only() {
    let (app, plan, _lro) = plan_with_aim("Disrupt", "partner").await;
    post(&app, &app.http, plan, json!({ "body": "For members" })).await;
    let sam = app.client_for(SAM.email).await;
    let read = sam
        .get(app.url(&format!("/api/plans/{plan}/comments")))
        .send()
        .await
        .unwrap();
    assert_eq!(read.status(), 404);
    let posted = post(&app, &sam, plan, json!({ "body": "Let me in" })).await;
    assert_eq!(posted.status(), 404);
    let listen = sam
        .get(app.url(&format!("/api/plans/{plan}/comments/changes")))
        .send()
        .await
        .unwrap();
    assert_eq!(listen.status(), 404);
    // The page's server function says the same.
    let by_page = sam
        .post(app.url("/api/fn/plan_comments"))
        .form(&[("plan", plan.to_string())])
        .send()
        .await
        .unwrap();
    assert!(!by_page.status().is_success());
    assert!(!by_page.text().await.unwrap().contains("For members"));
    assert_eq!(stored(&app, plan).await, (1, 1), "Sam stored nothing");
}

#[tokio::test]
async fn an_open_page_hears_of_a_comment_at_once() {
    let (app, plan, _lro) = plan_with_aim("Disrupt", "partner").await;
    let pat = app.client_for(PAT.email).await;
    let mut stream = pat
        .get(app.url(&format!("/api/plans/{plan}/comments/changes")))
        .send()
        .await
        .unwrap();
    assert_eq!(stream.status(), 200);
    let posted: Value = post(&app, &app.http, plan, json!({ "body": "Who has the warrant?" }))
        .await
        .json()
        .await
        .unwrap();
    let id = posted["id"].as_str().unwrap().to_string();
    let mut heard = String::new();
    while !heard.contains(&id) {
        let chunk = tokio::time::timeout(std::time::Duration::from_secs(10), stream.chunk())
            .await
            .expect("the comment heard within 10 s")
            .unwrap()
            .expect("the stream stays open");
        heard.push_str(&String::from_utf8_lossy(&chunk));
    }
    assert!(heard.contains("event: comment"), "{heard}");
}
