//! Vetting in the browser: the LRO raises the plan's level from its
//! members panel and sees who it shuts out and why; an administrator
//! renews that member's vetting on `/admin`, the change is listed, and the
//! member is in again.

use integration_tests::browser::{spawn_site_with_plan, Browser};
use integration_tests::PAT;

#[tokio::test]
async fn the_lro_raises_the_plans_vetting_sees_who_it_shuts_out_and_an_administrator_vets_them() {
    let (app, plan) = spawn_site_with_plan("Operation Yew").await;
    // Dee, the LRO, holds NPPV3 and is an administrator.
    app.sql(
        "UPDATE users SET vetting_level = 'NPPV3', vetting_expires_at = now() + interval '1 year', is_admin = true",
    )
    .await;
    app.add_to_plan(plan, &PAT, "partner").await;
    let browser = Browser::logged_in_at(&app, &format!("/plans/{plan}")).await;
    browser.wait_for("#connection-state[data-state='live']").await;
    browser
        .wait_for_text("#plan-vetting", "what the plan needs", |t| t.contains("needs: none"))
        .await;

    let level = browser.wait_for("#plan-vetting-level").await;
    level.select_by_value("NPPV2").await.unwrap();
    browser.click("#raise-vetting button[type='submit']").await;
    let pat_row = format!("#members tr.member[data-email='{}']", PAT.email);
    browser
        .wait_for_text(&pat_row, "why Pat is shut out", |t| t.contains("needs NPPV2"))
        .await;
    browser
        .wait_for_text("#plan-vetting", "the raised level", |t| {
            t.contains("needs: NPPV2") && t.contains("raised by its LRO")
        })
        .await;

    browser.client.goto(&app.url("/admin")).await.unwrap();
    browser.wait_for("body[data-hydrated]").await;
    let row = format!("#vetting-people tr.person-vetting[data-email='{}']", PAT.email);
    let select = browser.wait_for(&format!("{row} select[name='level']")).await;
    select.select_by_value("NPPV2").await.unwrap();
    // A date field is typed in the browser's locale: set its value as the
    // date picker would.
    let script = format!("document.querySelector(\"{row} input[name='expires']\").value = '2030-01-01'");
    browser.client.execute(&script, vec![]).await.unwrap();
    browser.click(&format!("{row} button[type='submit']")).await;
    browser
        .wait_for_text(&row, "Pat's new vetting", |t| {
            t.contains("NPPV2, expires on 1 January 2030")
        })
        .await;
    browser
        .wait_for_text("#vetting-changes", "the change listed", |t| {
            t.contains("Dee Lro (Northshire Police)")
                && t.contains("Pat Partner")
                && t.contains("NPPV2 until 2030-01-01")
        })
        .await;

    browser.client.goto(&app.url(&format!("/plans/{plan}"))).await.unwrap();
    browser
        .wait_for_text(&pat_row, "Pat in again", |t| {
            t.contains("Partner") && !t.contains("needs")
        })
        .await;
    browser.close().await;
}
