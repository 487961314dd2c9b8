//! The records that make Pillars accountable are append-only in the
//! database itself, whatever code runs against it: the audit trail, the
//! membership history, redactions, recorded reviews, disruption returns,
//! published strategies, the access log, plans' lifecycle records,
//! break-glass grants and the records of people's and plans' vetting each
//! refuse UPDATE, DELETE and TRUNCATE, with their own message, once they
//! hold a row: on PostgreSQL and on SQLite.

use integration_tests::{spawn_app, TestApp, PAT};
use serde_json::json;

/// Each table and what it says when refused.
const TABLES: [(&str, &str); 11] = [
    ("plan_changes", "the audit trail cannot be changed"),
    ("plan_member_changes", "the audit trail cannot be changed"),
    ("plan_redactions", "the audit trail cannot be changed"),
    ("plan_reviews", "a recorded review cannot be changed"),
    ("disruption_returns", "disruption returns are append-only"),
    ("strategy_versions", "a published strategy cannot be changed"),
    ("access_log", "the access log cannot be changed"),
    ("plan_lifecycle_events", "a plan's lifecycle record cannot be changed"),
    ("break_glass_grants", "a break-glass grant cannot be changed"),
    ("vetting_changes", "the vetting record cannot be changed"),
    ("plan_vetting_changes", "a plan's vetting record cannot be changed"),
];

#[tokio::test]
async fn no_accountable_record_can_be_changed_deleted_or_truncated() {
    let app = spawn_app().await;
    fill_every_table(&app).await;
    for (table, message) in TABLES {
        let rows = count(&app, table).await;
        assert!(rows > 0, "{table} holds a row to protect");
        let column: String = sqlx::query_scalar(
            "SELECT column_name::text FROM information_schema.columns WHERE table_name = $1 ORDER BY ordinal_position LIMIT 1",
        )
        .bind(table)
        .fetch_one(&app.pool)
        .await
        .unwrap();
        for tamper in [
            format!("UPDATE {table} SET {column} = {column}"),
            format!("DELETE FROM {table}"),
            format!("TRUNCATE {table} CASCADE"),
        ] {
            let refused = sqlx::query(sqlx::AssertSqlSafe(tamper.clone()))
                .execute(&app.pool)
                .await;
            let error = refused.expect_err(&format!("{tamper} is refused")).to_string();
            assert!(error.contains(message), "{tamper}: {error}");
        }
        assert_eq!(count(&app, table).await, rows, "{table} kept every row");
    }
}

/// One row at least in each table, made the way users make them.
async fn fill_every_table(app: &TestApp) {
    let plan = app.create_plan("Operation Juniper").await;
    app.add_to_plan(plan, &PAT, "partner").await;
    let lro = integration_tests::Client::connect(&app.ws_url(plan)).await;
    lro.edit(|p, t| p.set_section_text(t, plan::Section::Aim, "Dismantle the Red Kings"));
    lro.wait_until("the edit is stored", |s| s.synced).await;
    let stored = |p: &plan::PlanDoc| p.section_text(&p.transact(), plan::Section::Aim) == "Dismantle the Red Kings";
    integration_tests::Client::connect(&app.ws_url(plan))
        .await
        .wait_for_doc("the aim on the server", stored)
        .await;
    let post = |path: String, body: serde_json::Value| {
        let request = app.http.post(app.url(&path)).json(&body);
        async move { request.send().await.unwrap() }
    };
    let review = post(format!("/api/plans/{plan}/reviews"), json!({})).await;
    assert_eq!(review.status(), 201, "a review");
    let redaction = json!({ "at": "now", "field": "aim", "text": "Red Kings", "reason": "Names a group" });
    let redacted = post(format!("/api/plans/{plan}/redactions"), redaction).await;
    assert_eq!(
        redacted.status(),
        201,
        "a redaction: {}",
        redacted.text().await.unwrap()
    );
    let recorded = post("/api/disruptions/returns".into(), json!({ "plan": plan })).await;
    assert_eq!(recorded.status(), 201, "a disruption return");
    let sam = app.add_person(&integration_tests::SAM).await;
    let flag = app::admin::AccountFlag::Auditor;
    app.state.accounts.set_flag(sam.id, flag, true).await.unwrap();
    let auditor = app.client_for(integration_tests::SAM.email).await;
    let glass = auditor
        .post(app.url(&format!("/api/plans/{plan}/break-glass")))
        .json(&json!({ "reason": "Urgent" }))
        .send()
        .await
        .unwrap();
    assert_eq!(glass.status(), 200, "a break-glass grant");
    app.state
        .accounts
        .set_flag(sam.id, app::admin::AccountFlag::VettingOfficer, true)
        .await
        .unwrap();
    let dee = app.user_id(integration_tests::USER_EMAIL).await;
    let vetted = json!({ "level": "NPPV2", "expires": "2030-01-01" });
    let vetted = auditor
        .put(app.url(&format!("/api/users/{dee}/vetting")))
        .json(&vetted)
        .send()
        .await
        .unwrap();
    assert_eq!(vetted.status(), 200, "a change of vetting");
    let raised = app
        .put_json(&format!("/api/plans/{plan}/vetting"), &json!({ "level": "NPPV1" }))
        .await;
    assert_eq!(raised.status(), 200, "a raise of the plan's vetting");
    let closing = json!({ "outcome": "other", "summary": "Done" });
    assert_eq!(
        post(format!("/api/plans/{plan}/close"), closing).await.status(),
        200,
        "closed"
    );
    // The connection's join, written.
    app.state.access_log.flush().await;
}

async fn count(app: &TestApp, table: &str) -> i64 {
    // The table names are this file's own constants.
    sqlx::query_scalar(sqlx::AssertSqlSafe(format!("SELECT count(*) FROM {table}")))
        .fetch_one(&app.pool)
        .await
        .unwrap()
}

/// The same records on SQLite, whose triggers refuse UPDATE and DELETE
/// (SQLite has no TRUNCATE: `DELETE FROM` is how a table is emptied). A
/// row is put in each table behind the app's back (foreign keys and checks
/// off), so the triggers alone are what is tested.
#[tokio::test]
async fn on_sqlite_no_accountable_record_can_be_changed_or_deleted() {
    use sqlx::sqlite::{SqliteConnectOptions, SqlitePoolOptions};
    let (_dir, path) = integration_tests::db::fresh_sqlite_path();
    server::store::SqliteStore::open(&path)
        .await
        .expect("the schema is made");
    let options = SqliteConnectOptions::new().filename(&path).foreign_keys(false);
    let pool = SqlitePoolOptions::new()
        .max_connections(1)
        .connect_with(options)
        .await
        .unwrap();
    sqlx::query("PRAGMA ignore_check_constraints = ON")
        .execute(&pool)
        .await
        .unwrap();
    for (table, message) in TABLES {
        // The table names are this file's own constants.
        let columns: Vec<(String, String)> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "SELECT name, type FROM pragma_table_info('{table}')"
        )))
        .fetch_all(&pool)
        .await
        .unwrap();
        let values: Vec<&str> = columns
            .iter()
            .map(|(_, kind)| match kind.to_uppercase().as_str() {
                k if k.contains("INT") => "1",
                k if k.contains("BLOB") => "x'00'",
                k if k.contains("REAL") => "1.0",
                _ => "'x'",
            })
            .collect();
        let names: Vec<&str> = columns.iter().map(|(name, _)| name.as_str()).collect();
        let insert = format!(
            "INSERT INTO {table} ({}) VALUES ({})",
            names.join(", "),
            values.join(", ")
        );
        sqlx::query(sqlx::AssertSqlSafe(insert)).execute(&pool).await.unwrap();
        let column = &columns[0].0;
        for tamper in [
            format!("UPDATE {table} SET {column} = {column}"),
            format!("DELETE FROM {table}"),
        ] {
            let refused = sqlx::query(sqlx::AssertSqlSafe(tamper.clone())).execute(&pool).await;
            let error = refused.expect_err(&format!("{tamper} is refused")).to_string();
            assert!(error.contains(message), "{tamper}: {error}");
        }
        let rows: i64 = sqlx::query_scalar(sqlx::AssertSqlSafe(format!("SELECT count(*) FROM {table}")))
            .fetch_one(&pool)
            .await
            .unwrap();
        assert_eq!(rows, 1, "{table} kept its row");
    }
}
