//! The bell in real Chromium: its count rises without a reload when someone
//! else adds the viewer to a plan; the notification centre leads to the
//! plan, marks read, and passes axe like every page; the email settings
//! say emails carry no plan content.

use integration_tests::browser::{spawn_site, Browser};
use integration_tests::PAT;

#[tokio::test]
async fn the_bell_counts_up_without_a_reload_when_someone_adds_you_to_a_plan() {
    let app = spawn_site().await;
    let plan = app.create_plan("Operation Wren").await;
    app.add_person(&PAT).await;
    let pat = Browser::start().await;
    pat.log_in_as(&app, PAT.email).await;
    pat.client.goto(&app.url("/")).await.unwrap();
    pat.wait_for("body[data-hydrated]").await;
    pat.wait_for("#notifications-count[data-count='0']").await;
    // Gone if the page reloads.
    pat.client
        .execute("window.stillThisPage = true;", vec![])
        .await
        .unwrap();

    // The LRO, elsewhere, adds Pat to the plan.
    app.make_member(plan, PAT.email, "partner").await;
    pat.wait_for("#notifications-count[data-count='1']").await;
    let same_page = pat
        .client
        .execute("return window.stillThisPage === true;", vec![])
        .await
        .unwrap();
    assert_eq!(same_page, serde_json::json!(true), "the count rose without a reload");

    pat.click("#notifications-link").await;
    let link = format!("#notifications li.unread a[href='/plans/{plan}']");
    pat.wait_for_text(&link, "the notification, naming the plan", |t| {
        t.contains("You were added to a plan") && t.contains("Operation Wren")
    })
    .await;
    pat.assert_accessible("/notifications").await;
    pat.click("#mark-all-read button").await;
    pat.wait_for("#notifications-count[data-count='0']").await;
    pat.wait_for("#notifications li.read").await;

    pat.click("#notification-settings-link").await;
    pat.wait_for_text("#no-content-statement", "the no-content statement", |t| {
        t.contains("Emails carry no plan content") && t.contains("OFFICIAL-SENSITIVE")
    })
    .await;
    pat.wait_for("body[data-hydrated]").await;
    pat.assert_accessible("/notifications/settings").await;
    let choice = pat.wait_for("#email-added_to_plan").await;
    choice.select_by_value("digest").await.unwrap();
    pat.click("tr[data-kind='added_to_plan'] button[type='submit']").await;
    pat.wait_for("#settings-saved").await;
    let pat_id = app.user_id(PAT.email).await;
    let stored: String = sqlx::query_scalar("SELECT delivery FROM notification_settings WHERE user_id = $1")
        .bind(pat_id)
        .fetch_one(&app.pool)
        .await
        .unwrap();
    assert_eq!(stored, "digest");
    pat.close().await;
}
