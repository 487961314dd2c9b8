//! Retention reviews and disposal: an auditor or administrator keeps a
//! closed plan that is due (with a reason and a next review) or disposes of
//! it: every row of it goes from every table the schema has (checked
//! against the schema itself, so a future table cannot be forgotten), a
//! tombstone and the erasure's own log entry stay, and its id is never
//! used again.

use integration_tests::{spawn_app_with, Client, Fetch, TestApp, PAT, SAM};
use plan::Section;
use serde_json::{json, Value};
use uuid::Uuid;

/// An app whose closed plans are due for review the day they close.
async fn app_due_at_once() -> TestApp {
    spawn_app_with(|c| c.retention = plan::lifecycle::Retention::parse("0").unwrap()).await
}

async fn reviewer(app: &TestApp) -> reqwest::Client {
    let sam = app.add_person(&SAM).await;
    let flag = app::admin::AccountFlag::Auditor;
    app.state.accounts.set_flag(sam.id, flag, true).await.unwrap();
    app.client_for(SAM.email).await
}

async fn post(app: &TestApp, client: &reqwest::Client, path: String, body: Value) -> reqwest::Response {
    client.post(app.url(&path)).json(&body).sent().await
}

/// A plan with a row in every table a plan can have rows in, closed.
async fn a_full_closed_plan(app: &TestApp) -> Uuid {
    let plan = app.create_plan("Operation Blackthorn").await;
    app.add_to_plan(plan, &PAT, "partner").await;
    let lro = Client::connect(&app.ws_url(plan)).await;
    lro.edit(|p, t| {
        p.set_section_text(t, Section::Aim, "Dismantle the Blackthorn group");
        p.add_action(t, &plan::NewAction::new([plan::P::Pursue], "Warrant"))
            .unwrap();
        let done = plan::ActionChange::Disruption(Some(plan::Disruption::Major));
        let id = p
            .add_action(t, &plan::NewAction::new([plan::P::Protect], "Closure order"))
            .unwrap();
        p.change_action(t, &id, &done).unwrap();
    });
    let watcher = Client::connect(&app.ws_url(plan)).await;
    watcher
        .wait_for_aim("the edits", "Dismantle the Blackthorn group")
        .await;
    assert_eq!(app.record_review(plan).await.status(), 201);
    let redaction = json!({ "at": "now", "field": "aim", "text": "Blackthorn", "reason": "Names a group" });
    assert_eq!(
        post(app, &app.http, format!("/api/plans/{plan}/redactions"), redaction)
            .await
            .status(),
        201
    );
    assert_eq!(
        post(
            app,
            &app.http,
            "/api/disruptions/returns".into(),
            json!({ "plan": plan })
        )
        .await
        .status(),
        201
    );
    // A return of both plans keeps the other plan's rows.
    assert_eq!(
        post(app, &app.http, "/api/disruptions/returns".into(), json!({}))
            .await
            .status(),
        201
    );
    // Its LRO raised the vetting it needs, and lowered it back.
    sqlx::query("UPDATE users SET vetting_level = 'NPPV1', vetting_expires_at = now() + interval '1 year'")
        .execute(&app.pool)
        .await
        .unwrap();
    for level in ["NPPV1", "none"] {
        let raised = app
            .put_json(&format!("/api/plans/{plan}/vetting"), &json!({ "level": level }))
            .await;
        assert_eq!(raised.status(), 200, "{level}");
    }
    let closing = json!({ "outcome": "dismantled", "summary": "Charged" });
    assert_eq!(
        post(app, &app.http, format!("/api/plans/{plan}/close"), closing)
            .await
            .status(),
        200
    );
    plan
}

#[tokio::test]
async fn disposal_erases_every_row_of_the_plan_in_every_table_and_leaves_a_tombstone() {
    let app = app_due_at_once().await;
    let other = app.create_plan("Operation Willow").await;
    let keep = Client::connect(&app.ws_url(other)).await;
    keep.edit(|p, t| {
        let id = p
            .add_action(t, &plan::NewAction::new([plan::P::Prepare], "Other plan's work"))
            .unwrap();
        p.change_action(t, &id, &plan::ActionChange::Disruption(Some(plan::Disruption::Minor)))
            .unwrap();
    });
    let stored = |p: &plan::PlanDoc| p.actions(&p.transact()).len() == 1;
    Client::connect(&app.ws_url(other))
        .await
        .wait_for_doc("the other plan's action on the server", stored)
        .await;
    let plan = a_full_closed_plan(&app).await;
    let sam = reviewer(&app).await;
    let glass = post(
        &app,
        &sam,
        format!("/api/plans/{plan}/break-glass"),
        json!({ "reason": "Urgent" }),
    )
    .await;
    assert_eq!(glass.status(), 200);
    assert_eq!(
        sam.get(app.url(&format!("/api/plans/{plan}"))).sent().await.status(),
        200
    );

    let due: Vec<Value> = sam.get(app.url("/api/retention/due")).json_body().await;
    assert!(due.iter().any(|d| d["plan"] == plan.to_string()), "{due:?}");
    let pat = app.client_for(PAT.email).await;
    let dispose = json!({ "decision": "dispose", "reason": "No policing purpose left (MoPI review)" });
    let refused = post(&app, &pat, format!("/api/plans/{plan}/retention"), dispose.clone()).await;
    assert_eq!(refused.status(), 403, "only auditors and administrators");

    let disposed = post(&app, &sam, format!("/api/plans/{plan}/retention"), dispose).await;
    assert_eq!(disposed.status(), 200);
    let tombstone: Value = disposed.json().await.unwrap();
    assert_eq!(tombstone["plan"], plan.to_string());
    app.state.access_log.flush().await;

    // Every table of the schema with a plan_id column, whatever it is.
    let tables: Vec<String> = sqlx::query_scalar(
        "SELECT table_name::text FROM information_schema.columns \
         WHERE table_schema = 'public' AND column_name = 'plan_id' ORDER BY 1",
    )
    .fetch_all(&app.pool)
    .await
    .unwrap();
    assert!(tables.len() >= 15, "{tables:?}");
    for table in &tables {
        // The table names come from the schema itself.
        let sql = format!("SELECT count(*) FROM {table} WHERE plan_id = $1");
        let left: i64 = sqlx::query_scalar(sqlx::AssertSqlSafe(sql))
            .bind(plan)
            .fetch_one(&app.pool)
            .await
            .unwrap();
        let expected = match table.as_str() {
            "plan_tombstones" => 1,
            "access_log" => 1,
            _ => 0,
        };
        assert_eq!(left, expected, "{table} keeps {left} row(s) of the disposed plan");
    }
    let erasure: (String, String) = sqlx::query_as("SELECT kind, basis FROM access_log WHERE plan_id = $1")
        .bind(plan)
        .fetch_one(&app.pool)
        .await
        .unwrap();
    assert_eq!(erasure, ("erased".into(), "auditor".into()));
    let in_returns: i64 =
        sqlx::query_scalar("SELECT count(*) FROM disruption_returns WHERE plan_ids LIKE $1 OR rows_json LIKE $1")
            .bind(format!("%{plan}%"))
            .fetch_one(&app.pool)
            .await
            .unwrap();
    assert_eq!(in_returns, 0, "no disruption return names it");
    let others: i64 =
        sqlx::query_scalar("SELECT count(*) FROM disruption_returns WHERE rows_json LIKE '%Other plan''s work%'")
            .fetch_one(&app.pool)
            .await
            .unwrap();
    assert_eq!(others, 1, "the other plan's rows stay in the return they shared");
    assert!(
        app.state.plans.load(other).await.unwrap().is_some(),
        "the other plan stays"
    );

    assert_eq!(app.get(&format!("/api/plans/{plan}")).await.status(), 404);
    let reuse = sqlx::query("INSERT INTO plans (id, summary) VALUES ($1, '{}')")
        .bind(plan)
        .execute(&app.pool)
        .await
        .unwrap_err()
        .to_string();
    assert!(reuse.contains("cannot be used again"), "{reuse}");
    let tamper = sqlx::query("DELETE FROM plan_tombstones")
        .execute(&app.pool)
        .await
        .unwrap_err()
        .to_string();
    assert!(tamper.contains("a tombstone cannot be changed"), "{tamper}");
}

#[tokio::test]
async fn a_retained_plan_is_kept_until_its_next_review_and_only_a_due_plan_is_decided() {
    let app = app_due_at_once().await;
    let plan = app.create_plan("Operation Blackthorn").await;
    let sam = reviewer(&app).await;
    let dispose = json!({ "decision": "dispose", "reason": "Done" });
    let open = post(&app, &sam, format!("/api/plans/{plan}/retention"), dispose.clone()).await;
    assert_eq!(open.status(), 422, "an open plan is not reviewed");
    let closing = json!({ "outcome": "disrupted", "summary": "No longer a priority" });
    assert_eq!(
        post(&app, &app.http, format!("/api/plans/{plan}/close"), closing)
            .await
            .status(),
        200
    );

    // Kept through the page's form (its server function), as a reviewer does.
    let listed = sam.post(app.url("/api/fn/retention_due")).sent().await;
    assert!(listed.status().is_success(), "the page lists what is due");
    let next = (chrono::Utc::now().date_naive() + chrono::Days::new(730)).to_string();
    let form = [
        ("plan", plan.to_string()),
        ("decision", "retain".to_string()),
        ("reason", "Linked to a live inquiry".to_string()),
        ("next_review", next.clone()),
    ];
    let kept = sam.post(app.url("/api/fn/decide_retention")).form(&form).sent().await;
    assert!(kept.status().is_success(), "{}", kept.text().await.unwrap());
    let due: Vec<Value> = sam.get(app.url("/api/retention/due")).json_body().await;
    assert!(due.is_empty(), "not due until {next}: {due:?}");
    let early = post(&app, &sam, format!("/api/plans/{plan}/retention"), dispose).await;
    assert_eq!(early.status(), 422, "not due yet");
    assert_eq!(app.get(&format!("/api/plans/{plan}")).await.status(), 200, "kept");
}
