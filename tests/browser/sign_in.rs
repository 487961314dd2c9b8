//! Signing in through each organisation's identity provider in a real
//! browser, with real redirects between Pillars and two real OpenID
//! Providers, and out again (which signs out at the provider too).

use fantoccini::Locator;
use integration_tests::browser::{site_root, Browser};
use integration_tests::oidc::OidcProvider;
use integration_tests::spawn_app_with;
use serde_json::json;
use server::sso::config::Providers;
use std::time::Instant;

const POLICE: &str = "Northshire Police";
const COUNCIL: &str = "Northshire Council";

#[tokio::test]
async fn officers_and_partners_sign_in_through_their_own_providers_and_out_again() {
    let (police, council) = tokio::join!(OidcProvider::start(POLICE), OidcProvider::start(COUNCIL));
    let mut configs = vec![police.config("police", POLICE), council.config("council", COUNCIL)];
    for config in &mut configs {
        config.automatic_accounts = true;
    }
    let providers = Providers::checked(configs).unwrap();
    let app = spawn_app_with(|c| {
        c.site_root = Some(site_root());
        c.oidc_providers = Some(providers);
    })
    .await;
    app.state
        .accounts
        .create_agency(COUNCIL, "Local authority")
        .await
        .unwrap();
    for (provider, sub, email, name) in [
        (&police, "kim", "kim@northshire.police.uk", "Kim Officer"),
        (&council, "cal", "cal@council.gov.uk", "Cal Partner"),
    ] {
        provider.register(&app).await;
        provider
            .add_account(json!({ "sub": sub, "email": email, "name": name }))
            .await;
    }

    for (provider, id, email, name) in [
        (&police, "police", "kim@northshire.police.uk", "Kim Officer"),
        (&council, "council", "cal@council.gov.uk", "Cal Partner"),
    ] {
        let browser = Browser::start().await;
        browser.client.goto(&app.url("/login")).await.unwrap();
        let button = format!("a[data-provider='{id}']");
        browser.wait_for(&button).await;
        browser.assert_accessible("/login with two identity providers").await;

        let started = Instant::now();
        browser.click(&button).await;
        browser.wait_for("#login").await;
        browser.fill("login", email).await;
        browser.click("form button[type=submit]").await;
        let viewer = browser.wait_for("#viewer-name").await;
        let round_trip = started.elapsed();
        eprintln!("sign-in round trip through {id} (click → plans list): {round_trip:?}");
        assert!(viewer.text().await.unwrap().contains(name));

        // Logging out here signs out at the provider too, and comes back.
        browser.wait_for("body[data-hydrated]").await;
        browser.click("#log-out").await;
        let login_page: reqwest::Url = app.url("/login").parse().unwrap();
        let back = browser
            .client
            .wait()
            .at_most(integration_tests::PATIENCE)
            .for_url(&login_page)
            .await;
        assert!(back.is_ok(), "back at /login: {:?}", browser.client.current_url().await);
        assert!(provider.signed_out().await, "signed out at {id} too");
        browser.client.goto(&app.url("/")).await.unwrap();
        browser.wait_for(&button).await;
        assert!(
            browser.client.find(Locator::Id("viewer-name")).await.is_err(),
            "signed out here"
        );
        browser.close().await;
    }
}

#[tokio::test]
async fn an_administrator_invites_someone_to_sign_in_through_their_organisation() {
    let police = OidcProvider::start(POLICE).await;
    let providers = Providers::checked(vec![police.config("police", POLICE)]).unwrap();
    let app = spawn_app_with(|c| {
        c.site_root = Some(site_root());
        c.oidc_providers = Some(providers);
    })
    .await;
    let police_agency = app.state.accounts.agency_named(POLICE).await.unwrap().unwrap();
    let admin = server::accounts::NewUser {
        email: "ada@northshire.police.uk".into(),
        name: "Ada Admin".into(),
        agency_id: police_agency.id,
        password: integration_tests::USER_PASSWORD.into(),
        is_admin: true,
        strategic_lead: false,
        may_lead_plans: false,
        auditor: false,
    };
    app.state.accounts.create_user(admin).await.unwrap();
    let browser = Browser::start().await;
    browser.log_in_as(&app, "ada@northshire.police.uk").await;
    browser.client.goto(&app.url("/admin")).await.unwrap();
    browser.wait_for("#invite-email").await;
    browser.wait_for("body[data-hydrated]").await;
    browser.assert_accessible("/admin with sign-in invitations").await;
    browser.fill("invite-email", "new.officer@northshire.police.uk").await;
    browser.click("#invite button[type=submit]").await;
    let done = browser.wait_for("#invite-done").await.text().await.unwrap();
    assert!(
        done.contains("new.officer@northshire.police.uk may now sign in"),
        "{done}"
    );
    let invited: i64 = sqlx::query_scalar("SELECT count(*) FROM sso_invitations WHERE email = $1")
        .bind("new.officer@northshire.police.uk")
        .fetch_one(&app.pool)
        .await
        .unwrap();
    assert_eq!(invited, 1);
    browser.close().await;
}
