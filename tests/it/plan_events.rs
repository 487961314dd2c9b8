//! `GET /api/plans/changes` tells each user only of their own plans: a
//! plan's id never reaches someone who is not its member, a new member
//! hears of the plan they joined, and a removed member hears no more of it.

use integration_tests::events::PlanChanges;
use integration_tests::{spawn_app, Client, TestApp};
use plan::{NewAction, P};
use uuid::Uuid;

const PAT: &str = "pat@council.gov.uk";

/// Gives Pat `role` on the plan (`None`: removes Pat), as its LRO.
async fn set_pat(app: &TestApp, plan: Uuid, role: Option<&str>) {
    let status = match role {
        Some(role) => {
            let body = serde_json::json!({ "email": PAT, "role": role });
            let url = app.url(&format!("/api/plans/{plan}/members"));
            app.http.put(url).json(&body).send().await.unwrap().status()
        }
        None => {
            let pat: Uuid = sqlx::query_scalar("SELECT id FROM users WHERE email = $1")
                .bind(PAT)
                .fetch_one(&app.pool)
                .await
                .unwrap();
            let url = app.url(&format!("/api/plans/{plan}/members/{pat}"));
            app.http.delete(url).send().await.unwrap().status()
        }
    };
    assert!(status.is_success(), "{status}");
}

/// An edit that changes what the plans list shows (the action counts).
fn add_action(client: &Client, text: &str) {
    client.edit(|p, t| p.add_action(t, &NewAction::new([P::Pursue], text)).unwrap());
}

#[tokio::test]
async fn only_members_hear_of_a_plan_and_membership_changes_reach_the_member() {
    let app = spawn_app().await;
    app.add_user(PAT, "Pat Partner", "Northshire Council").await;
    let pat = app.client_for(PAT).await;
    let changes = app.url("/api/plans/changes");
    let mut dee_hears = PlanChanges::open(&app.http, &changes).await;
    let mut pat_hears = PlanChanges::open(&pat, &changes).await;

    // A plan Pat is not on, created and edited: its LRO hears of both.
    let secret = app.create_plan("Operation Secret").await;
    assert_eq!(dee_hears.next().await, secret.to_string(), "its creator hears of it");
    let on_secret = Client::connect(&app.ws_url(secret)).await;
    add_action(&on_secret, "Arrest");
    assert_eq!(dee_hears.next().await, secret.to_string(), "and of its edits");

    // A plan Pat joins afterwards: the first thing Pat hears of.
    let shared = app.create_plan("Operation Shared").await;
    assert_eq!(dee_hears.next().await, shared.to_string());
    set_pat(&app, shared, Some("partner")).await;
    assert_eq!(
        pat_hears.next().await,
        shared.to_string(),
        "Pat hears first of the plan Pat joined, and never of the other"
    );

    // Added to the secret plan, Pat hears of it and of its changes...
    set_pat(&app, secret, Some("viewer")).await;
    let heard = pat_hears.next().await;
    assert_eq!(heard, secret.to_string(), "a new member's list gains it");
    add_action(&on_secret, "Search");
    assert_eq!(dee_hears.next().await, secret.to_string());
    let heard = pat_hears.next().await;
    assert_eq!(heard, secret.to_string(), "a member hears of its edits");

    // ...until removed: the list drops it, and then Pat hears no more of it.
    set_pat(&app, secret, None).await;
    let heard = pat_hears.next().await;
    assert_eq!(heard, secret.to_string(), "a removed member's list drops it");
    add_action(&on_secret, "Charge");
    assert_eq!(dee_hears.next().await, secret.to_string());
    let on_shared = Client::connect(&app.ws_url(shared)).await;
    add_action(&on_shared, "Visit");
    assert_eq!(dee_hears.next().await, shared.to_string());
    let heard = pat_hears.next().await;
    assert_eq!(
        heard,
        shared.to_string(),
        "the next Pat hears of is the shared plan, not the one Pat left"
    );
}
