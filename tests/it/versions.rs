//! Reviews and versions: recording a review moves the next review by the
//! tier's interval and freezes the plan; any version reads back exactly,
//! across compaction and restart; comparing names who changed what; a
//! restore is a new, audited, live edit.

use chrono::{Months, Utc};
use integration_tests::{spawn_app_with, Fetch, TestApp, PAT, SAM, USER_EMAIL};
use plan::access::Role;
use plan::Section;
use serde_json::{json, Value};
use server::collab::room::Access;
use server::collab::server_edit::edit_as;
use uuid::Uuid;

#[path = "versions/compare_restore.rs"]
mod compare_restore;
#[path = "versions/need_to_know.rs"]
mod need_to_know;
#[path = "versions/redaction.rs"]
mod redaction;

async fn dee(app: &TestApp) -> Access {
    Access {
        user: app.user_id(USER_EMAIL).await,
        role: Role::Lro,
        agency: "Northshire Police".into(),
        shown_as: String::new(),
    }
}

async fn get(app: &TestApp, path: &str) -> Value {
    let response = app.get(path).await;
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
        let review = app.record_review(plan).await;
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
        app.record_review(plan).await;
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
    app.add_to_plan(plan, &PAT, "partner").await;
    let pat = app.client_for("pat@council.gov.uk").await;
    let reviews = app.url(&format!("/api/plans/{plan}/reviews"));
    assert_eq!(pat.post(&reviews).sent().await.status(), 403);
    assert_eq!(pat.get(&reviews).sent().await.status(), 200);
    app.add_person(&SAM).await;
    let sam = app.client_for("sam@eastshire.police.uk").await;
    assert_eq!(sam.get(&reviews).sent().await.status(), 404);
}

#[tokio::test]
async fn versions_read_back_exactly_across_compaction_and_restart() {
    // Compact every 3 updates, so the history crosses several snapshots.
    let app = spawn_app_with(|c| (c.compact_every_updates, c.compact_min_millis) = (3, 0)).await;
    let plan = app.create_plan("Operation Larch").await;
    set_aim(&app, plan, "Disrupt the Red Kings supply").await;
    app.record_review(plan).await;
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
    let missing = app.get(&format!("/api/plans/{plan}/versions/review-9")).await;
    assert_eq!(missing.status(), 404);
    let bad = app.get(&format!("/api/plans/{plan}/versions/yesterday")).await;
    assert_eq!(bad.status(), 422);
}

#[tokio::test]
async fn the_page_of_a_version_shows_its_exact_old_text_its_banner_and_the_marking() {
    let app = spawn_app_with(|_| {}).await;
    let plan = app.create_plan("Operation Larch").await;
    set_aim(&app, plan, "Disrupt the Red Kings <supply> & more").await;
    app.record_review(plan).await;
    set_aim(&app, plan, "Dismantle the Red Kings").await;
    let page = app.get(&format!("/plans/{plan}/version?at=review-1")).await;
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

    let compare = app.get_text(&format!("/plans/{plan}/compare")).await;
    assert!(
        compare.contains("<del>Disrupt</del>") && compare.contains("<ins>Dismantle</ins>"),
        "{compare}"
    );
    assert!(compare.contains("changed by Dee Lro"));
    let plan_page = app.get_text(&format!("/plans/{plan}")).await;
    assert!(
        plan_page.contains("Reviewed 1 time, last on"),
        "the plan page says when it was reviewed"
    );
}
