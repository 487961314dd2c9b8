//! The LRO redacts a passage: afterwards no stored row of the plan holds
//! it, in any table, as text or inside a stored yrs update; versions still
//! read back and compare; the history says who redacted which field, when
//! and why, never what; open pages are told to reload; nobody else may.

use super::set_aim;
use integration_tests::{spawn_app_with, Client, Fetch, TestApp, PAT, SAM};
use plan::PlanDoc;
use serde_json::{json, Value};
use sqlx::Row;
use uuid::Uuid;

const SECRET: &str = "The informant is Jo Bloggs of 12 Elm Street";
/// Pieces of it, any one of which found anywhere fails the test.
const PIECES: [&str; 4] = ["informant", "Jo Bloggs", "Elm Street", "Bloggs of"];

fn assert_clean(what: &str, text: &str) {
    for piece in PIECES {
        assert!(!text.contains(piece), "{what} still holds {piece:?}: {text}");
    }
}

fn assert_clean_bytes(what: &str, bytes: &[u8]) {
    for piece in PIECES {
        assert!(
            !bytes.windows(piece.len()).any(|w| w == piece.as_bytes()),
            "{what} still holds {piece:?} in its bytes"
        );
    }
}

/// Every text of a plan's document.
fn texts(doc: &PlanDoc) -> String {
    let export = doc.export(&doc.transact(), Uuid::nil(), &Default::default());
    serde_json::to_string(&export).unwrap()
}

async fn redact(client: &reqwest::Client, app: &TestApp, plan: Uuid, body: Value) -> reqwest::Response {
    client
        .post(app.url(&format!("/api/plans/{plan}/redactions")))
        .json(&body)
        .sent()
        .await
}

/// Scans every row of every table that names the plan: each row as text,
/// each bytea column's raw bytes, and each stored yrs update or state read
/// into a document. Returns how many rows it read.
async fn scan(app: &TestApp, plan: Uuid) -> usize {
    let tables: Vec<(String, String)> = sqlx::query_as(
        "SELECT table_name::text, column_name::text FROM information_schema.columns \
         WHERE table_schema = current_schema() AND column_name IN ('plan_id', 'plan_ids') \
         UNION SELECT 'plans', 'id' ORDER BY 1",
    )
    .fetch_all(&app.pool)
    .await
    .unwrap();
    assert!(tables.len() >= 10, "{tables:?}");
    let mut rows_read = 0;
    for (table, column) in &tables {
        let filter = if column == "plan_ids" {
            format!("{column} LIKE '%' || $1::text || '%'")
        } else {
            format!("{column}::text = $1::text")
        };
        let rows: Vec<String> = sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
            "SELECT t::text FROM {table} t WHERE {filter}"
        )))
        .bind(plan)
        .fetch_all(&app.pool)
        .await
        .unwrap();
        for row in &rows {
            assert_clean(table, row);
        }
        rows_read += rows.len();
        let blobs: Vec<String> = sqlx::query_scalar(
            "SELECT column_name::text FROM information_schema.columns \
             WHERE table_schema = current_schema() AND table_name = $1 AND data_type = 'bytea'",
        )
        .bind(table)
        .fetch_all(&app.pool)
        .await
        .unwrap();
        for blob in blobs {
            let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
                r#"SELECT "{blob}" FROM {table} WHERE {filter}"#
            )))
            .bind(plan)
            .fetch_all(&app.pool)
            .await
            .unwrap();
            for row in rows {
                let bytes: Vec<u8> = row.get(0);
                assert_clean_bytes(&format!("{table}.{blob}"), &bytes);
                if blob == "state" {
                    let doc = PlanDoc::from_state(&bytes).expect("a stored state reads back");
                    assert_clean(&format!("{table}.{blob} read as a document"), &texts(&doc));
                }
            }
        }
    }
    // The whole log, replayed update by update.
    let doc = PlanDoc::new(plan::new_doc());
    let log: Vec<Vec<u8>> = sqlx::query_scalar(r#"SELECT "update" FROM plan_updates WHERE plan_id = $1 ORDER BY seq"#)
        .bind(plan)
        .fetch_all(&app.pool)
        .await
        .unwrap();
    let first: Vec<u8> = sqlx::query_scalar("SELECT state FROM plan_snapshots WHERE plan_id = $1 AND upto_seq = 0")
        .bind(plan)
        .fetch_one(&app.pool)
        .await
        .unwrap();
    for update in std::iter::once(&first).chain(&log) {
        let update = yrs::updates::decoder::Decode::decode_v1(update).unwrap();
        yrs::Transact::transact_mut(doc.doc()).apply_update(update).unwrap();
        assert_clean("the log replayed", &texts(&doc));
    }
    rows_read
}

#[tokio::test]
async fn a_redacted_passage_is_in_no_stored_row_and_versions_still_read() {
    // Compact every 3 updates, so the passage sits in snapshots too.
    let app = spawn_app_with(|c| (c.compact_every_updates, c.compact_min_millis) = (3, 0)).await;
    let plan = app.create_plan("Operation Larch").await;
    app.add_to_plan(plan, &PAT, "partner").await;
    let aim: &'static str = Box::leak(format!("Keep watch. {SECRET}. Then act.").into_boxed_str());
    set_aim(&app, plan, aim).await;
    for n in 0..3 {
        let with: &'static str = Box::leak(format!("{aim} Draft {n}.").into_boxed_str());
        set_aim(&app, plan, with).await;
    }
    let review = app.record_review(plan).await;
    assert_eq!(review.status(), 201);
    set_aim(&app, plan, "Keep watch. Act on it.").await;
    for n in 0..4 {
        let text: &'static str = Box::leak(format!("Keep watch. Act on it. Step {n}.").into_boxed_str());
        set_aim(&app, plan, text).await;
    }
    let snapshots = app
        .count_for("SELECT count(*) FROM plan_snapshots WHERE plan_id = $1", plan)
        .await;
    assert!(snapshots >= 3, "compacted along the way: {snapshots}");
    let watcher = Client::connect(&app.ws_url(plan)).await;

    // Only the LRO may redact; a non-member learns nothing.
    let request = json!({ "at": "review-1", "field": "aim", "text": SECRET, "reason": "Names a covert source" });
    let pat = app.client_for("pat@council.gov.uk").await;
    assert_eq!(redact(&pat, &app, plan, request.clone()).await.status(), 403);
    app.add_person(&SAM).await;
    let sam = app.client_for("sam@eastshire.police.uk").await;
    assert_eq!(redact(&sam, &app, plan, request.clone()).await.status(), 404);
    let quoting = json!({ "at": "review-1", "field": "aim", "text": SECRET, "reason": SECRET });
    assert_eq!(redact(&app.http, &app, plan, quoting).await.status(), 422);
    let elsewhere = json!({ "at": "now", "field": "aim", "text": SECRET, "reason": "Names a covert source" });
    assert_eq!(
        redact(&app.http, &app, plan, elsewhere).await.status(),
        422,
        "not in the plan now"
    );

    let done = redact(&app.http, &app, plan, request).await;
    assert_eq!(done.status(), 201);
    let done: Value = done.json().await.unwrap();
    assert_eq!(done["masked"], SECRET.encode_utf16().count());
    assert_clean("the answer", &done.to_string());
    assert_eq!(watcher.closed().await.0, 4409, "open pages are told to reload");

    let rows = scan(&app, plan).await;
    assert!(rows > 20, "{rows} rows read");

    // Versions still read and compare; the passage is masked in them.
    let at_review: Value = app.get_json(&format!("/api/plans/{plan}/versions/review-1")).await;
    let masked = "█".repeat(SECRET.encode_utf16().count());
    assert_eq!(
        at_review["export"]["sections"]["aim"],
        format!("Keep watch. {masked}. Then act. Draft 2.")
    );
    for path in [
        format!("/api/plans/{plan}/versions"),
        format!("/api/plans/{plan}/versions/now"),
        format!("/api/plans/{plan}/versions/seq-2"),
        format!("/api/plans/{plan}/compare?from=review-1&to=now"),
        format!("/api/plans/{plan}/compare?from=seq-1&to=seq-3"),
    ] {
        let response = app.get(&path).await;
        assert_eq!(response.status(), 200, "{path}");
        assert_clean(&path, &response.text().await.unwrap());
    }
    let now: Value = app.get_json(&format!("/api/plans/{plan}/versions/now")).await;
    assert_eq!(now["export"]["sections"]["aim"], "Keep watch. Act on it. Step 3.");

    // The history names the redaction, its author and reason, not the text.
    let history = app.get(&format!("/api/plans/{plan}/history")).await;
    assert_eq!(history.status(), 200);
    let history: Value = history.json().await.unwrap();
    assert_clean("the history", &history.to_string());
    let entry = history["entries"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["changes"][0]["field"] == "redaction:aim")
        .expect("the redaction is in the history");
    assert_eq!(entry["user"], "Dee Lro");
    assert_eq!(entry["changes"][0]["what"], "Redaction in Aim");
    assert!(entry["changes"][0]["new"]
        .as_str()
        .unwrap()
        .contains("Names a covert source"));

    // A page opened afterwards gets the masked plan, and edits go on.
    let fresh = Client::connect(&app.ws_url(plan)).await;
    fresh
        .wait_for_aim("the plan now", "Keep watch. Act on it. Step 3.")
        .await;
    set_aim(&app, plan, "Keep watch. Act on it. Done.").await;
    scan(&app, plan).await;
}
