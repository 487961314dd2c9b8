//! The REST API against a real PostgreSQL.

use integration_tests::Fetch;
use integration_tests::{spawn_app, spawn_app_with_plan};
use serde_json::json;
use tokio_tungstenite::tungstenite;

mod who_may;

#[tokio::test]
async fn health_check_answers() {
    let app = spawn_app().await;
    let response = app.get("/healthz").await;
    assert_eq!(response.status(), 200);
}

#[tokio::test]
async fn a_created_plan_is_listed_and_exported_whole() {
    let app = spawn_app().await;
    let response = app.post_json("/api/plans", &json!({"subject_kind": "PI", "subject_name": " Marcus Reed ", "subject_ref": "PI-77", "tier": 1, "lro": "DI Okafor"})).await;
    assert_eq!(response.status(), 201);
    let created: serde_json::Value = response.json().await.unwrap();
    let id = created["id"].as_str().expect("an id").to_string();
    assert_eq!(created["header"]["subject_name"], "Marcus Reed", "names are trimmed");
    assert_eq!(created["header"]["subject_kind"], "PI");
    assert_eq!(created["marking"], "OFFICIAL-SENSITIVE", "the default marking");
    let today = chrono::Utc::now().date_naive().to_string();
    assert_eq!(created["header"]["created"], today);
    assert!(created["next_review"].is_string(), "tier 1 sets a review date");

    let list = app.list_plans().await;
    let listed = list.as_array().unwrap();
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0]["id"], id);
    assert_eq!(listed[0]["subject_name"], "Marcus Reed");
    assert_eq!(listed[0]["tier"], 1);

    let export = app.export(id.parse().unwrap()).await;
    assert_eq!(export, created);
    assert_eq!(export["sections"].as_object().unwrap().len(), 9);
    assert_eq!(export["objectives"]["pursue"].as_array().unwrap().len(), 4);
}

#[tokio::test]
async fn bad_bodies_are_refused_with_a_message_naming_the_field() {
    let app = spawn_app().await;
    let cases = [
        (json!({"subject_name": "X", "tier": 1}), 422, "subject_kind"),
        (
            json!({"subject_kind": "GANG", "subject_name": "X", "tier": 1}),
            422,
            "subject_kind",
        ),
        (
            json!({"subject_kind": "OCG", "subject_name": "X", "tier": 9}),
            422,
            "tier",
        ),
        (
            json!({"subject_kind": "OCG", "subject_name": "X", "tier": "high"}),
            422,
            "tier",
        ),
        (
            json!({"subject_kind": "OCG", "subject_name": "   ", "tier": 2}),
            422,
            "subject_name",
        ),
        (json!({"subject_kind": "OCG", "tier": 2}), 422, "subject_name"),
    ];
    for (body, status, field) in cases {
        let response = app.post_json("/api/plans", &body).await;
        assert_eq!(response.status(), status, "{body}");
        let error: serde_json::Value = response.json().await.unwrap();
        let message = error["error"].as_str().unwrap();
        assert!(message.contains(field), "{body}: {message:?} should name {field}");
    }
    let response = app
        .http
        .post(app.url("/api/plans"))
        .header("content-type", "application/json")
        .body("{not json")
        .sent()
        .await;
    assert_eq!(response.status(), 400);
    let list = app.list_plans().await;
    assert_eq!(list, json!([]), "nothing was created");
}

#[tokio::test]
async fn unknown_plans_are_404_on_the_api_and_before_the_websocket_upgrade() {
    let app = spawn_app().await;
    for path in [
        "/api/plans/8d5bd7cc-4a8c-4f43-9d38-4c4bd8a7c6a1",
        "/api/plans/not-a-uuid",
    ] {
        let response = app.get(path).await;
        assert_eq!(response.status(), 404, "{path}");
    }
    let unknown = "8d5bd7cc-4a8c-4f43-9d38-4c4bd8a7c6a1".parse().unwrap();
    match tokio_tungstenite::connect_async(app.ws_url(unknown)).await {
        Err(tungstenite::Error::Http(response)) => assert_eq!(response.status(), 404),
        other => panic!("expected a 404 before the upgrade, got {other:?}"),
    }
}

#[tokio::test]
async fn the_plans_page_is_server_rendered_with_every_plan_and_the_marking() {
    let (app, id) = spawn_app_with_plan("Operation <Hawthorn>").await;
    let response = app.get("/").await;
    assert_eq!(response.status(), 200);
    let html = response.text().await.unwrap();
    assert!(
        html.contains("Operation &lt;Hawthorn&gt;"),
        "the plan is in the HTML, escaped"
    );
    assert!(html.contains(&format!("data-plan-id=\"{id}\"")));
    assert_eq!(
        html.matches("OFFICIAL-SENSITIVE</").count(),
        2,
        "marking banner at top and bottom"
    );
    assert!(
        html.contains("/pkg/pillars.wasm"),
        "the page loads the hydration bundle"
    );

    let page = app.get(&format!("/plans/{id}")).await;
    assert_eq!(page.status(), 200);
    let html = page.text().await.unwrap();
    assert!(
        html.contains("Summary of SOC threats being tackled") && html.contains("Tactical"),
        "the template's sections"
    );
    let editor = html.split("id=\"text-aim\"").nth(1).expect("the aim's live editor");
    let editor = editor.split('>').next().unwrap_or_default();
    assert!(
        editor.contains("disabled"),
        "editors are disabled until the page is live in a browser: {editor}"
    );
    let missing = app.get("/plans/8d5bd7cc-4a8c-4f43-9d38-4c4bd8a7c6a1").await;
    assert_eq!(missing.status(), 404);
}

#[tokio::test]
async fn responses_are_not_cached_sniffed_framed_or_referred() {
    let (app, id) = spawn_app_with_plan("Operation Alder").await;
    for path in [
        "/".to_string(),
        "/api/plans".to_string(),
        format!("/api/plans/{id}"),
        format!("/plans/{id}"),
    ] {
        let response = app.get(&path).await;
        let h = response.headers();
        assert_eq!(h["cache-control"], "no-store", "{path}");
        assert_eq!(h["x-content-type-options"], "nosniff", "{path}");
        assert_eq!(h["referrer-policy"], "same-origin", "{path}");
        assert_eq!(h["x-frame-options"], "DENY", "{path}");
    }
}

/// Reads a server-sent event stream until an event carries `data`.
async fn wait_for_event(stream: &mut reqwest::Response, seen: &mut String, data: &str) {
    let wanted = format!("event: plan\ndata: {data}\n");
    tokio::time::timeout(integration_tests::PATIENCE, async {
        while !seen.contains(&wanted) {
            let chunk = stream
                .chunk()
                .await
                .expect("the stream stays open")
                .expect("more events");
            seen.push_str(&String::from_utf8_lossy(&chunk));
        }
        seen.clear();
    })
    .await
    .unwrap_or_else(|_| panic!("no event for {data}"));
}

#[tokio::test]
async fn the_plans_list_hears_of_new_plans_and_changed_summaries_and_the_stream_ends_on_stop() {
    let mut app = spawn_app().await;
    let mut stream = app.get("/api/plans/changes").await;
    assert_eq!(stream.status(), 200);
    assert_eq!(stream.headers()["content-type"], "text/event-stream");
    let mut seen = String::new();

    let plan = app.create_plan("Operation Hazel").await;
    wait_for_event(&mut stream, &mut seen, &plan.to_string()).await;

    // An edit that changes what the list shows (the counts by status).
    let client = integration_tests::Client::connect(&app.ws_url(plan)).await;
    client.edit(|p, txn| {
        p.add_action(txn, &plan::NewAction::new([plan::P::Pursue], "Arrest"))
            .unwrap()
    });
    wait_for_event(&mut stream, &mut seen, &plan.to_string()).await;
    assert_eq!(app.list_plans().await[0]["actions"]["red"], 1);

    // Stopping does not wait for watchers to hang up.
    tokio::time::timeout(integration_tests::PATIENCE, app.stop())
        .await
        .expect("the server stops with a watcher connected");
    // ...and the watcher's stream ends rather than hanging on.
    let ended = tokio::time::timeout(integration_tests::PATIENCE, async {
        while let Ok(Some(_)) = stream.chunk().await {}
    })
    .await;
    assert!(ended.is_ok(), "the stream ends when the server stops");
}
