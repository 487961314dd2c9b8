//! Reviews and versions: recording a review moves the next review by the
//! tier's interval and freezes the plan; any version reads back exactly,
//! across compaction and restart; comparing names who changed what; a
//! restore is a new, audited, live edit.

use chrono::{Months, Utc};
use integration_tests::{spawn_app_with, Client, TestApp, USER_EMAIL};
use plan::access::Role;
use plan::{ActionChange, NewAction, RagStatus, Section, P};
use serde_json::{json, Value};
use server::collab::room::Access;
use server::collab::server_edit::edit_as;
use uuid::Uuid;

#[path = "versions/need_to_know.rs"]
mod need_to_know;
#[path = "versions/redaction.rs"]
mod redaction;

async fn dee(app: &TestApp) -> Access {
    let id: Uuid = sqlx::query_scalar("SELECT id FROM users WHERE email = $1")
        .bind(USER_EMAIL)
        .fetch_one(&app.pool)
        .await
        .unwrap();
    Access {
        user: id,
        role: Role::Lro,
        agency: "Northshire Police".into(),
        shown_as: String::new(),
    }
}

async fn get(app: &TestApp, path: &str) -> Value {
    let response = app.http.get(app.url(path)).send().await.unwrap();
    assert_eq!(response.status(), 200, "{path}");
    response.json().await.unwrap()
}

async fn set_aim(app: &TestApp, plan: Uuid, text: &'static str) {
    edit_as(&app.state.rooms, plan, dee(app).await, move |p, t| {
        p.set_section_text(t, Section::Aim, text);
        Ok(())
    })
    .await
    .unwrap();
}

#[tokio::test]
async fn a_review_moves_the_next_review_by_the_tiers_interval_and_is_listed() {
    let app = spawn_app_with(|_| {}).await;
    let today = Utc::now().date_naive();
    for (tier, months) in [(1, 1), (2, 2), (3, 3), (4, 6)] {
        let plan = app
            .create_plan_from(json!({ "subject_kind": "OCG", "subject_name": format!("Tier {tier}"), "tier": tier }))
            .await;
        let review = app
            .http
            .post(app.url(&format!("/api/plans/{plan}/reviews")))
            .send()
            .await
            .unwrap();
        assert_eq!(review.status(), 201);
        let review: Value = review.json().await.unwrap();
        assert_eq!(
            (review["number"].clone(), review["by"].clone()),
            (json!(1), json!("Dee Lro"))
        );
        let export = app.export(plan).await;
        assert_eq!(export["header"]["last_review"], today.to_string());
        assert_eq!(
            export["next_review"],
            (today + Months::new(months)).to_string(),
            "tier {tier}"
        );
    }
    let plan = app.create_plan("Operation Larch").await;
    for _ in 0..3 {
        app.http
            .post(app.url(&format!("/api/plans/{plan}/reviews")))
            .send()
            .await
            .unwrap();
    }
    let reviews = get(&app, &format!("/api/plans/{plan}/reviews")).await;
    assert_eq!(
        reviews
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["number"].as_i64().unwrap())
            .collect::<Vec<_>>(),
        [1, 2, 3]
    );

    // Only the LRO and plan owner record reviews; non-members see no plan.
    app.add_member(
        plan,
        "pat@council.gov.uk",
        "Pat Partner",
        "Northshire Council",
        "partner",
    )
    .await;
    let pat = app.client_as(&app.session_for("pat@council.gov.uk").await);
    assert_eq!(
        pat.post(app.url(&format!("/api/plans/{plan}/reviews")))
            .send()
            .await
            .unwrap()
            .status(),
        403
    );
    assert_eq!(
        pat.get(app.url(&format!("/api/plans/{plan}/reviews")))
            .send()
            .await
            .unwrap()
            .status(),
        200
    );
    app.add_user("sam@eastshire.police.uk", "Sam", "Eastshire Police").await;
    let sam = app.client_as(&app.session_for("sam@eastshire.police.uk").await);
    assert_eq!(
        sam.get(app.url(&format!("/api/plans/{plan}/reviews")))
            .send()
            .await
            .unwrap()
            .status(),
        404
    );
}

#[tokio::test]
async fn versions_read_back_exactly_across_compaction_and_restart() {
    // Compact every 3 updates, so the history crosses several snapshots.
    let app = spawn_app_with(|c| (c.compact_every_updates, c.compact_min_millis) = (3, 0)).await;
    let plan = app.create_plan("Operation Larch").await;
    set_aim(&app, plan, "Disrupt the Red Kings supply").await;
    app.http
        .post(app.url(&format!("/api/plans/{plan}/reviews")))
        .send()
        .await
        .unwrap();
    let first = get(&app, &format!("/api/plans/{plan}/versions")).await;
    let first_seq = first.as_array().unwrap().iter().find(|m| m["by"] == "Dee Lro").unwrap()["seq"]
        .as_i64()
        .unwrap();
    for n in 0..10 {
        let text: &'static str = Box::leak(format!("Aim, draft {n}").into_boxed_str());
        set_aim(&app, plan, text).await;
    }
    let app = app.restart().await;
    let review = get(&app, &format!("/api/plans/{plan}/versions/review-1")).await;
    assert_eq!(review["export"]["sections"]["aim"], "Disrupt the Red Kings supply");
    assert!(review["label"].as_str().unwrap().starts_with("Review 1, recorded"));
    let early = get(&app, &format!("/api/plans/{plan}/versions/seq-{first_seq}")).await;
    assert_eq!(early["export"]["sections"]["aim"], "Disrupt the Red Kings supply");
    let moments = get(&app, &format!("/api/plans/{plan}/versions")).await;
    let seq = moments.as_array().unwrap().last().unwrap()["seq"].as_i64().unwrap();
    let middle = get(&app, &format!("/api/plans/{plan}/versions/seq-{}", seq - 4)).await;
    assert_eq!(middle["export"]["sections"]["aim"], "Aim, draft 5");
    assert_eq!(
        get(&app, &format!("/api/plans/{plan}/versions/now")).await["export"]["sections"]["aim"],
        "Aim, draft 9"
    );
    let missing = app
        .http
        .get(app.url(&format!("/api/plans/{plan}/versions/review-9")))
        .send()
        .await
        .unwrap();
    assert_eq!(missing.status(), 404);
    let bad = app
        .http
        .get(app.url(&format!("/api/plans/{plan}/versions/yesterday")))
        .send()
        .await
        .unwrap();
    assert_eq!(bad.status(), 422);
}

#[tokio::test]
async fn changes_since_the_last_review_name_who_made_them_and_a_restore_is_audited_and_relayed() {
    let app = spawn_app_with(|_| {}).await;
    let plan = app.create_plan("Operation Larch").await;
    app.add_member(
        plan,
        "pat@council.gov.uk",
        "Pat Partner",
        "Northshire Council",
        "partner",
    )
    .await;
    let pat: Uuid = sqlx::query_scalar("SELECT id FROM users WHERE email = 'pat@council.gov.uk'")
        .fetch_one(&app.pool)
        .await
        .unwrap();
    let rooms = &app.state.rooms;
    let (ours, gone) = edit_as(rooms, plan, dee(&app).await, |p, t| {
        p.set_section_text(t, Section::Aim, "Disrupt the Red Kings supply");
        let ours = NewAction {
            owner_agency: "Northshire Council".into(),
            ..NewAction::new([P::Prevent], "Mentoring")
        };
        Ok((
            p.add_action(t, &ours)?,
            p.add_action(t, &NewAction::new([P::Pursue], "Leaflet drop"))?,
        ))
    })
    .await
    .unwrap();
    app.http
        .post(app.url(&format!("/api/plans/{plan}/reviews")))
        .send()
        .await
        .unwrap();
    set_aim(&app, plan, "Dismantle the Red Kings county lines").await;
    let id = ours.clone();
    let as_pat = Access {
        user: pat,
        role: Role::Partner,
        agency: "Northshire Council".into(),
        shown_as: String::new(),
    };
    edit_as(rooms, plan, as_pat, move |p, t| {
        p.change_action(t, &id, &ActionChange::Status(RagStatus::Green))
    })
    .await
    .unwrap();
    let id = gone.clone();
    edit_as(rooms, plan, dee(&app).await, move |p, t| p.delete_action(t, &id))
        .await
        .unwrap();

    let c = get(&app, &format!("/api/plans/{plan}/compare")).await;
    assert_eq!(
        (c["from"].clone(), c["to"].clone()),
        (json!({ "Review": 1 }), json!("Now"))
    );
    let aim = &c["comparison"]["sections"][0];
    assert_eq!(
        (aim["field"].as_str(), aim["by"].clone()),
        (Some("aim"), json!(["Dee Lro"]))
    );
    assert!(
        aim["pieces"]
            .as_array()
            .unwrap()
            .contains(&json!({ "Deleted": "Disrupt" })),
        "{aim}"
    );
    assert!(
        aim["pieces"]
            .as_array()
            .unwrap()
            .contains(&json!({ "Inserted": "Dismantle" })),
        "{aim}"
    );
    let actions = c["comparison"]["actions"].as_array().unwrap();
    let changed = actions.iter().find(|a| a["id"] == ours.as_str()).unwrap();
    assert_eq!(changed["fields"][0]["field"], format!("action:{ours}:status"));
    assert_eq!(
        (
            changed["fields"][0]["old"].as_str(),
            changed["fields"][0]["new"].as_str(),
            changed["fields"][0]["by"].clone()
        ),
        (Some("RED"), Some("GREEN"), json!(["Pat Partner"]))
    );
    let removed = actions.iter().find(|a| a["id"] == gone.as_str()).unwrap();
    assert_eq!(
        (removed["kind"].as_str(), removed["by"].clone()),
        (Some("Removed"), json!(["Dee Lro"]))
    );

    // Restoring the deleted action and the old aim: new edits, live and audited.
    let watcher = Client::connect(&app.ws_url(plan)).await;
    for body in [
        json!({ "from": "review-1", "kind": "action", "id": gone }),
        json!({ "from": "review-1", "kind": "section", "key": "aim" }),
    ] {
        let response = app
            .http
            .post(app.url(&format!("/api/plans/{plan}/restore")))
            .json(&body)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 204, "{body}");
    }
    watcher
        .wait_for_doc("the restored action and aim", |p| {
            let t = p.transact();
            p.actions(&t).iter().any(|a| a.text == "Leaflet drop")
                && p.section_text(&t, Section::Aim) == "Disrupt the Red Kings supply"
        })
        .await;
    let history: Value = get(&app, &format!("/api/plans/{plan}/history")).await;
    let last_two: Vec<String> = history["entries"]
        .as_array()
        .unwrap()
        .iter()
        .rev()
        .take(2)
        .flat_map(|e| {
            e["changes"]
                .as_array()
                .unwrap()
                .iter()
                .map(|c| c["field"].as_str().unwrap().to_string())
        })
        .collect();
    assert!(
        last_two.contains(&"aim".to_string())
            && last_two.iter().any(|f| f.starts_with("action:") && !f.contains(&gone)),
        "{last_two:?}"
    );
    // Pat cannot restore.
    let pat_client = app.client_as(&app.session_for("pat@council.gov.uk").await);
    let refused = pat_client
        .post(app.url(&format!("/api/plans/{plan}/restore")))
        .json(&json!({ "from": "review-1", "kind": "section", "key": "aim" }))
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status(), 403);
}

#[tokio::test]
async fn the_page_of_a_version_shows_its_exact_old_text_its_banner_and_the_marking() {
    let app = spawn_app_with(|_| {}).await;
    let plan = app.create_plan("Operation Larch").await;
    set_aim(&app, plan, "Disrupt the Red Kings <supply> & more").await;
    app.http
        .post(app.url(&format!("/api/plans/{plan}/reviews")))
        .send()
        .await
        .unwrap();
    set_aim(&app, plan, "Dismantle the Red Kings").await;
    let page = app
        .http
        .get(app.url(&format!("/plans/{plan}/version?at=review-1")))
        .send()
        .await
        .unwrap();
    assert_eq!(page.status(), 200);
    let html = page.text().await.unwrap();
    assert!(
        html.contains("Disrupt the Red Kings &lt;supply&gt; &amp; more"),
        "the old aim, escaped"
    );
    assert!(!html.contains("Dismantle"), "not the live text");
    assert!(html.contains("Read-only: Review 1, recorded"), "the banner");
    assert!(
        html.matches("OFFICIAL-SENSITIVE").count() >= 2,
        "the marking, top and bottom"
    );
    assert!(html.contains("Restore this section"), "the LRO may restore from it");

    let compare = app
        .http
        .get(app.url(&format!("/plans/{plan}/compare")))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        compare.contains("<del>Disrupt</del>") && compare.contains("<ins>Dismantle</ins>"),
        "{compare}"
    );
    assert!(compare.contains("changed by Dee Lro"));
    let plan_page = app
        .http
        .get(app.url(&format!("/plans/{plan}")))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        plan_page.contains("Reviewed 1 time, last on"),
        "the plan page says when it was reviewed"
    );
}
