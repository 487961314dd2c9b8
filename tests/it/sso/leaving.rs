//! Leaving is followed: the provider's back-channel logout ends the
//! person's sessions here at once, open websockets included; logging out
//! here signs out at the provider too; a disabled account cannot sign in.

use super::{police_and_kim, KIM};
use integration_tests::oidc::Browser;
use integration_tests::{Client, Fetch};
use std::time::Duration;

#[tokio::test]
async fn the_providers_logout_closes_open_plans_at_once_and_the_next_request_is_401() {
    let (police, app) = police_and_kim(true).await;
    let browser = Browser::default();
    assert_eq!(browser.sign_in(&app, "police", "kim").await, "/");
    let cookie = browser.session(&app).unwrap();
    let plan = app.create_plan("Operation Hazel").await;
    app.make_member(plan, KIM, "partner").await;
    let live = Client::connect(&app.ws_as(plan, &cookie)).await;
    live.wait_until("joined", |s| s.synced).await;

    let answered = police.back_channel_logout("kim").await;
    assert_eq!(answered, 200);
    let (code, reason) = tokio::time::timeout(Duration::from_secs(1), live.closed())
        .await
        .expect("the socket closes within a second");
    assert_eq!(code, 4401, "{reason}");
    let after = app.client_as(&cookie).get(app.url("/api/plans")).sent().await;
    assert_eq!(after.status(), 401);

    // A forged token (no signature of the provider's): refused.
    let forged = reqwest::Client::new()
        .post(app.url("/auth/oidc/backchannel-logout"))
        .form(&[("logout_token", "e30.e30.c2ln")])
        .send()
        .await
        .unwrap();
    assert_eq!(forged.status(), 400);
}

#[tokio::test]
async fn someone_disabled_at_their_provider_cannot_start_a_session() {
    let (police, app) = police_and_kim(true).await;
    assert_eq!(Browser::default().sign_in(&app, "police", "kim").await, "/");
    police
        .add_account(serde_json::json!({ "sub": "kim", "email": KIM, "disabled": true }))
        .await;
    let browser = Browser::default();
    let page = browser.refused_at_provider(&app, "police", "kim").await;
    assert!(page.contains("This account is disabled."), "{page}");
    assert_eq!(browser.session(&app), None);
    assert_eq!(super::left_behind(&app, KIM).await.1, 1, "only the session from before");
}

#[tokio::test]
async fn a_disabled_account_cannot_sign_in_again() {
    let (_police, app) = police_and_kim(true).await;
    assert_eq!(Browser::default().sign_in(&app, "police", "kim").await, "/");
    let kim = app.user_id(KIM).await;
    app.state.accounts.disable_user(kim).await.unwrap();
    let browser = Browser::default();
    assert_eq!(browser.sign_in(&app, "police", "kim").await, "/login?sso=disabled");
    assert_eq!(browser.session(&app), None);
}
