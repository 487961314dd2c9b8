//! Only administrators change the directory: a user who is not one, posting
//! to each of the administration page's server functions by hand, is
//! refused with a clear reason and changes nothing.

use super::server_fn;
use integration_tests::{spawn_app, PAT};
use serde_json::Value;

#[tokio::test]
async fn a_user_who_is_not_an_administrator_changes_nothing_in_the_directory() {
    let app = spawn_app().await;
    let pat = app.add_person(&PAT).await;
    let agency: uuid::Uuid = sqlx::query_scalar("SELECT agency_id FROM users WHERE id = $1")
        .bind(pat.id)
        .fetch_one(&app.pool)
        .await
        .unwrap();
    // The test app's own user is no administrator.
    let before = directory(&app).await;
    let id = pat.id.to_string();
    let attempts: [(&str, Vec<(&str, String)>); 6] = [
        (
            "add_agency",
            vec![("name", "Fake Agency".into()), ("kind", "Charity".into())],
        ),
        (
            "add_user",
            vec![
                ("name", "Mallory".into()),
                ("email", "mallory@example.org".into()),
                ("agency", agency.to_string()),
                ("password", "a long enough secret".into()),
                ("admin", "on".into()),
            ],
        ),
        ("disable_user", vec![("user", id.clone())]),
        ("set_strategic_lead", vec![("user", id.clone()), ("on", "true".into())]),
        ("set_may_lead_plans", vec![("user", id.clone()), ("on", "false".into())]),
        ("issue_reset_link", vec![("user", id.clone())]),
    ];
    for (name, form) in &attempts {
        let response = server_fn(&app, &app.http, name, form).await;
        assert!(!response.status().is_success(), "{name} was refused");
        let said = response.text().await.unwrap();
        assert!(said.contains("Only administrators"), "{name}: {said}");
    }
    assert_eq!(directory(&app).await, before, "nothing in the directory changed");
    let resets: i64 = sqlx::query_scalar("SELECT count(*) FROM password_resets")
        .fetch_one(&app.pool)
        .await
        .unwrap();
    assert_eq!(resets, 0, "no reset link was issued");
}

/// Every agency and user with their flags, as stored.
async fn directory(app: &integration_tests::TestApp) -> Value {
    let rows: Vec<(String, String)> = sqlx::query_as("SELECT name, kind FROM agencies ORDER BY name")
        .fetch_all(&app.pool)
        .await
        .unwrap();
    let users: Vec<(String, bool, bool, bool, bool)> = sqlx::query_as(
        "SELECT email, is_admin, strategic_lead, may_lead_plans, disabled_at IS NOT NULL FROM users ORDER BY email",
    )
    .fetch_all(&app.pool)
    .await
    .unwrap();
    serde_json::json!({ "agencies": rows, "users": users })
}
