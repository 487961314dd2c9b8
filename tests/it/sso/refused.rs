//! Sign-ins that must fail, each leaving no account, session or link
//! behind: forged or stale ID tokens, replayed answers, unknown providers,
//! the uninvited, and an email that belongs to an account not linked.

use super::{admin, app_trusting, kim_invited, left_behind, police_and_kim, KIM, POLICE};
use integration_tests::oidc::{Browser, OidcProvider};
use serde_json::json;

#[tokio::test]
async fn forged_and_stale_id_tokens_are_refused_and_leave_nothing_behind() {
    let (police, app) = kim_invited().await;
    for forgery in [
        "foreign_key",
        "wrong_audience",
        "expired",
        "wrong_nonce",
        "wrong_issuer",
    ] {
        police.forge_next_token(forgery).await;
        let browser = Browser::default();
        let landed = browser.sign_in(&app, "police", KIM).await;
        assert_eq!(landed, "/login?sso=refused", "{forgery}");
        assert_eq!(browser.session(&app), None, "{forgery}: no session cookie");
        assert_eq!(left_behind(&app, KIM).await, (0, 0, 0), "{forgery}");
    }
    // The control: the same sign-in, unforged, gets in.
    let browser = Browser::default();
    assert_eq!(browser.sign_in(&app, "police", KIM).await, "/");
    assert_eq!(left_behind(&app, KIM).await, (1, 1, 1));
}

#[tokio::test]
async fn an_answer_is_good_once_and_only_in_the_browser_that_asked() {
    let (_police, app) = kim_invited().await;

    // Another browser cannot finish a sign-in this one started (login CSRF).
    let (victim, attacker) = (Browser::default(), Browser::default());
    let callback = victim.sign_in_at_provider(&app, "police", KIM).await;
    assert_eq!(attacker.back_to_pillars(&callback).await, "/login?sso=expired");
    assert_eq!(attacker.session(&app), None);
    // ...and the state is spent: not even the browser that started can use it.
    assert_eq!(victim.back_to_pillars(&callback).await, "/login?sso=expired");
    assert_eq!(left_behind(&app, KIM).await, (0, 0, 0));

    // A full sign-in, then its answer replayed: no second session.
    let browser = Browser::default();
    let callback = browser.sign_in_at_provider(&app, "police", KIM).await;
    assert_eq!(browser.back_to_pillars(&callback).await, "/");
    assert_eq!(browser.back_to_pillars(&callback).await, "/login?sso=expired");
    assert_eq!(left_behind(&app, KIM).await, (1, 1, 1));

    // No such provider.
    let unknown = Browser::default()
        .http
        .get(app.url("/auth/oidc/elsewhere/start"))
        .send()
        .await
        .unwrap();
    assert_eq!(unknown.headers()["location"], "/login?sso=unknown");
}

#[tokio::test]
async fn nobody_uninvited_gets_in_and_an_email_never_opens_an_account_not_linked() {
    let police = OidcProvider::start(POLICE).await;
    let app = app_trusting(&[(&police, "police", POLICE)], false).await;
    police
        .add_account(json!({ "sub": "x", "email": "stranger@northshire.police.uk", "name": "Stranger" }))
        .await;
    let stranger = Browser::default();
    assert_eq!(stranger.sign_in(&app, "police", "x").await, "/login?sso=not-invited");
    assert_eq!(left_behind(&app, "stranger@northshire.police.uk").await, (0, 0, 0));

    // Dee has a password account. Someone at the provider with Dee's email
    // (emails are reused) does not become Dee...
    let dee = integration_tests::USER_EMAIL;
    police
        .add_account(json!({ "sub": "d-2", "email": dee, "name": "Not Dee" }))
        .await;
    let before = left_behind(&app, dee).await;
    assert_eq!(
        Browser::default().sign_in(&app, "police", "d-2").await,
        "/login?sso=not-linked"
    );
    assert_eq!(left_behind(&app, dee).await, before, "no session or link for Dee");

    // ...until an administrator links Dee's account: then the next sign-in
    // with that verified email links it for good.
    let admin = admin(&app).await;
    let linked = admin
        .post(app.url("/api/admin/invitations"))
        .json(&json!({ "email": dee }))
        .send()
        .await
        .unwrap();
    assert_eq!(linked.status(), 201);
    let browser = Browser::default();
    assert_eq!(browser.sign_in(&app, "police", "d-2").await, "/");
    assert_eq!(super::who(&app, &browser.session(&app).unwrap()).await["email"], dee);

    // Only administrators invite or link.
    let dee_client = &app.http;
    let refused = dee_client
        .post(app.url("/api/admin/invitations"))
        .json(&json!({ "email": "someone@northshire.police.uk", "agency": POLICE }))
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status(), 403);
    assert_eq!(left_behind(&app, "someone@northshire.police.uk").await, (0, 0, 0));
}

#[tokio::test]
async fn new_sign_ins_still_work_after_the_provider_rotates_its_keys() {
    let (police, app) = police_and_kim(true).await;
    assert_eq!(Browser::default().sign_in(&app, "police", "kim").await, "/");
    let new_key = police.rotate_keys().await;
    let browser = Browser::default();
    assert_eq!(
        browser.sign_in(&app, "police", "kim").await,
        "/",
        "signed with {new_key}"
    );
    assert!(browser.session(&app).is_some());
}
