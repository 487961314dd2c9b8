//! The plan's history follows need-to-know: earlier versions, comparisons
//! and moments are for the LRO, plan owner and SIO; partners and viewers
//! read the plan now and the reviews recorded while they were members;
//! anyone else learns nothing.

use super::set_aim;
use app::versions::ReviewsData;
use integration_tests::{fn_answer, spawn_app_with, Fetch, TestApp, SAM};
use serde_json::Value;
use uuid::Uuid;

async fn status(client: &reqwest::Client, app: &TestApp, path: &str) -> u16 {
    client.get(app.url(path)).sent().await.status().as_u16()
}

async fn client(app: &TestApp, email: &str) -> reqwest::Client {
    app.client_for(email).await
}

async fn review(app: &TestApp, plan: Uuid) {
    let response = app.record_review(plan).await;
    assert_eq!(response.status(), 201);
}

async fn review_numbers(client: &reqwest::Client, app: &TestApp, plan: Uuid) -> Vec<i64> {
    let response = client.get(app.url(&format!("/api/plans/{plan}/reviews"))).sent().await;
    assert_eq!(response.status(), 200);
    let reviews: Value = response.json().await.unwrap();
    reviews
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["number"].as_i64().unwrap())
        .collect()
}

#[tokio::test]
async fn partners_and_viewers_get_no_history_and_only_the_reviews_recorded_since_they_joined() {
    let app = spawn_app_with(|_| {}).await;
    let plan = app.create_plan("Operation Larch").await;
    set_aim(&app, plan, "Disrupt the Red Kings supply").await;
    review(&app, plan).await;
    let members = [
        ("pat@council.gov.uk", "Pat Partner", "Northshire Council", "partner"),
        ("vic@council.gov.uk", "Vic Viewer", "Northshire Council", "viewer"),
        ("sid@northshire.police.uk", "Sid Sio", "Northshire Police", "sio"),
        (
            "owen@northshire.police.uk",
            "Owen Owner",
            "Northshire Police",
            "plan_owner",
        ),
    ];
    for (email, name, agency, role) in members {
        app.add_member(plan, email, name, agency, role).await;
    }
    set_aim(&app, plan, "Dismantle the Red Kings").await;
    review(&app, plan).await;
    app.add_person(&SAM).await;
    let app = &app;

    let history_urls = [
        format!("/api/plans/{plan}/versions"),
        format!("/api/plans/{plan}/versions/seq-1"),
        format!("/api/plans/{plan}/compare"),
        format!("/api/plans/{plan}/compare?from=review-1&to=review-2"),
    ];
    for url in &history_urls {
        assert_eq!(status(&app.http, &app, url).await, 200, "the LRO: {url}");
        for email in ["sid@northshire.police.uk", "owen@northshire.police.uk"] {
            assert_eq!(
                status(&client(app, email).await, &app, url).await,
                200,
                "{email}: {url}"
            );
        }
        for email in ["pat@council.gov.uk", "vic@council.gov.uk"] {
            let response = client(app, email).await.get(app.url(url)).sent().await;
            assert_eq!(response.status(), 403, "{email}: {url}");
            let body = response.text().await.unwrap();
            assert!(body.contains("LRO, plan owner and SIO"), "a clear reason: {body}");
            assert!(!body.contains("Red Kings"), "{body}");
        }
        assert_eq!(
            status(&client(app, "sam@eastshire.police.uk").await, &app, url).await,
            404,
            "a non-member: {url}"
        );
    }

    // The reviews: all for the LRO; for a partner or viewer only the one
    // recorded after they joined, listed and opened alike.
    assert_eq!(review_numbers(&app.http, &app, plan).await, [1, 2]);
    for email in ["pat@council.gov.uk", "vic@council.gov.uk"] {
        let them = client(app, email).await;
        assert_eq!(review_numbers(&them, &app, plan).await, [2], "{email}");
        let before = format!("/api/plans/{plan}/versions/review-1");
        assert_eq!(
            status(&them, &app, &before).await,
            404,
            "{email}: a review from before they joined"
        );
        let since: Value = them
            .get(app.url(&format!("/api/plans/{plan}/versions/review-2")))
            .json_body()
            .await;
        assert_eq!(since["export"]["sections"]["aim"], "Dismantle the Red Kings");
        assert_eq!(
            status(&them, &app, &format!("/api/plans/{plan}/versions/now")).await,
            200
        );

        // The pages' server function says the same, without moments.
        let data: ReviewsData = fn_answer(
            them.post(app.url("/api/fn/plan_reviews"))
                .form(&[("plan", plan.to_string())])
                .sent()
                .await,
        )
        .await;
        assert!(!data.sees_history && !data.can_redact && data.moments.is_empty());
        assert_eq!(data.reviews.iter().map(|r| r.number).collect::<Vec<_>>(), [2]);

        // No page offers them earlier versions.
        for page in [format!("/plans/{plan}"), format!("/plans/{plan}/versions")] {
            let html = them.get(app.url(&page)).text_body().await;
            assert!(
                !html.contains(&format!("/plans/{plan}/compare"))
                    && !html.contains("version?at=seq-")
                    && !html.contains("at=review-1"),
                "{email} on {page}"
            );
        }
        let html = them.get(app.url(&format!("/plans/{plan}/versions"))).text_body().await;
        assert!(
            html.contains("version?at=review-2"),
            "the review since they joined is offered"
        );
    }
    assert_eq!(
        status(
            &client(app, "sam@eastshire.police.uk").await,
            &app,
            &format!("/api/plans/{plan}/reviews")
        )
        .await,
        404
    );
    let lro_page = app.get_text(&format!("/plans/{plan}")).await;
    assert!(
        lro_page.contains("changes-since-review"),
        "the LRO is offered the history"
    );
}
