//! Signing in through an organisation's identity provider: a real OpenID
//! Provider (npm `oidc-provider`) per agency, real redirects, real tokens.
//! Who gets in, who does not (and then nothing is left behind), keys that
//! rotate, and leaving that is followed.

mod invited_to_plan;
mod leaving;
mod refused;

use integration_tests::oidc::{Browser, OidcProvider};
use integration_tests::{spawn_app_with, TestApp, USER_PASSWORD};
use serde_json::json;
use server::sso::config::Providers;

pub const POLICE: &str = "Northshire Police";
pub const COUNCIL: &str = "Northshire Council";

/// The app trusting `providers` (id, agency), each agency existing, and an
/// administrator.
pub async fn app_trusting(providers: &[(&OidcProvider, &str, &str)], automatic: bool) -> TestApp {
    let configs = providers
        .iter()
        .map(|(p, id, agency)| {
            let mut config = p.config(id, agency);
            config.automatic_accounts = automatic;
            config
        })
        .collect();
    let providers_config = Providers::checked(configs).unwrap();
    let app = spawn_app_with(|c| c.oidc_providers = Some(providers_config)).await;
    for (provider, _, agency) in providers {
        provider.register(&app).await;
        if app.state.accounts.agency_named(agency).await.unwrap().is_none() {
            app.state.accounts.create_agency(agency, "Police force").await.unwrap();
        }
    }
    app
}

/// Kim, an officer at the force's provider.
pub const KIM: &str = "kim@northshire.police.uk";

/// The force's provider, with Kim's account, and the app trusting it.
pub async fn police_and_kim(automatic: bool) -> (OidcProvider, TestApp) {
    let police = OidcProvider::start(POLICE).await;
    let app = app_trusting(&[(&police, "police", POLICE)], automatic).await;
    police
        .add_account(json!({ "sub": "kim", "email": KIM, "name": "Kim" }))
        .await;
    (police, app)
}

/// [`police_and_kim`], Kim invited by an administrator.
pub async fn kim_invited() -> (OidcProvider, TestApp) {
    let (police, app) = police_and_kim(false).await;
    invite(&app, &admin(&app).await, KIM, POLICE).await;
    (police, app)
}

/// A client of a new administrator.
pub async fn admin(app: &TestApp) -> reqwest::Client {
    let police = app.state.accounts.agency_named(POLICE).await.unwrap().unwrap();
    app.state
        .accounts
        .create_user(server::accounts::NewUser {
            email: "ada@northshire.police.uk".into(),
            name: "Ada Admin".into(),
            agency_id: police.id,
            password: USER_PASSWORD.into(),
            is_admin: true,
            strategic_lead: false,
            may_lead_plans: false,
            auditor: false,
        })
        .await
        .unwrap();
    app.client_for("ada@northshire.police.uk").await
}

/// Invites `email` of `agency` through the administrators' API.
pub async fn invite(app: &TestApp, admin: &reqwest::Client, email: &str, agency: &str) {
    let answer = admin
        .post(app.url("/api/admin/invitations"))
        .json(&json!({ "email": email, "agency": agency }))
        .send()
        .await
        .unwrap();
    assert_eq!(answer.status(), 201, "{}", answer.text().await.unwrap());
}

/// Counts of (accounts with `email`, sessions, provider links) in the database.
pub async fn left_behind(app: &TestApp, email: &str) -> (i64, i64, i64) {
    let count = |sql: &'static str| async move {
        sqlx::query_scalar::<_, i64>(sql)
            .bind(email)
            .fetch_one(&app.pool)
            .await
            .unwrap()
    };
    (
        count("SELECT count(*) FROM users WHERE email = $1").await,
        count("SELECT count(*) FROM sessions s JOIN users u ON u.id = s.user_id WHERE u.email = $1").await,
        count("SELECT count(*) FROM sso_identities i JOIN users u ON u.id = i.user_id WHERE u.email = $1").await,
    )
}

/// Who `/api/session` says is signed in with `cookie`.
pub async fn who(app: &TestApp, cookie: &str) -> serde_json::Value {
    let answer = app.client_as(cookie).get(app.url("/api/session")).send().await.unwrap();
    assert_eq!(answer.status(), 200, "signed in");
    answer.json().await.unwrap()
}

#[tokio::test]
async fn an_invited_officer_signs_in_through_the_force_and_stays_the_same_account_whatever_the_email() {
    let police = OidcProvider::start(POLICE).await;
    let app = app_trusting(&[(&police, "northshire-police", POLICE)], false).await;
    let admin = admin(&app).await;
    invite(&app, &admin, "Kim@Northshire.police.uk", POLICE).await;
    let kim = json!({ "sub": "kim-4711", "email": "kim@northshire.police.uk", "name": "Kim Officer" });
    police.add_account(kim).await;

    let browser = Browser::default();
    assert_eq!(
        browser
            .sign_in(&app, "northshire-police", "kim@northshire.police.uk")
            .await,
        "/"
    );
    let cookie = browser.session(&app).expect("a session");
    let me = who(&app, &cookie).await;
    assert_eq!(
        (me["email"].as_str(), me["agency"].as_str()),
        (Some("kim@northshire.police.uk"), Some(POLICE))
    );
    assert_eq!(me["name"], "Kim Officer");

    // The provider changes Kim's email: the account follows `sub`, not email.
    let renamed = json!({ "sub": "kim-4711", "email": "k.officer@northshire.police.uk", "name": "Kim Officer" });
    police.add_account(renamed).await;
    let again = Browser::default();
    assert_eq!(again.sign_in(&app, "northshire-police", "kim-4711").await, "/");
    let me_again = who(&app, &again.session(&app).unwrap()).await;
    assert_eq!(me_again["id"], me["id"], "the same account");
    // An invitation is used once: a second account cannot come of it.
    assert_eq!(left_behind(&app, "kim@northshire.police.uk").await, (1, 2, 1));
}

#[tokio::test]
async fn two_providers_stand_for_two_agencies() {
    let (police, council) = tokio::join!(OidcProvider::start(POLICE), OidcProvider::start(COUNCIL));
    let app = app_trusting(&[(&police, "police", POLICE), (&council, "council", COUNCIL)], false).await;
    let admin = admin(&app).await;
    invite(&app, &admin, "cal@council.gov.uk", COUNCIL).await;
    let cal = json!({ "sub": "c-1", "email": "cal@council.gov.uk", "name": "Cal Council" });
    council.add_account(cal.clone()).await;
    police.add_account(cal).await;

    // Invited into the council: the police's provider does not let Cal in.
    let wrong = Browser::default();
    assert_eq!(
        wrong.sign_in(&app, "police", "cal@council.gov.uk").await,
        "/login?sso=not-invited"
    );
    assert_eq!(left_behind(&app, "cal@council.gov.uk").await, (0, 0, 0));

    let browser = Browser::default();
    assert_eq!(browser.sign_in(&app, "council", "cal@council.gov.uk").await, "/");
    let me = who(&app, &browser.session(&app).unwrap()).await;
    assert_eq!(me["agency"], COUNCIL);
    let plans: Vec<serde_json::Value> = app
        .client_as(&browser.session(&app).unwrap())
        .get(app.url("/api/plans"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert!(plans.is_empty(), "a new account lands with no plans");
}

#[tokio::test]
async fn a_deployment_may_let_a_providers_people_in_without_invitation() {
    let council = OidcProvider::start(COUNCIL).await;
    let app = app_trusting(&[(&council, "council", COUNCIL)], true).await;
    council
        .add_account(json!({ "sub": "n-1", "email": "new@council.gov.uk", "name": "Nia New" }))
        .await;
    let browser = Browser::default();
    assert_eq!(browser.sign_in(&app, "council", "new@council.gov.uk").await, "/");
    assert_eq!(left_behind(&app, "new@council.gov.uk").await, (1, 1, 1));
    // A password never opens an account made by a provider.
    let by_password = app.state.accounts.log_in("new@council.gov.uk", "!sso").await;
    assert!(by_password.is_err());
}

#[tokio::test]
async fn the_log_in_page_offers_each_provider_and_passwords_can_be_switched_off() {
    let police = OidcProvider::start(POLICE).await;
    let providers = Providers::checked(vec![police.config("northshire-police", POLICE)]).unwrap();
    let app = integration_tests::spawn_app_signed_out(|c| {
        c.oidc_providers = Some(providers);
        c.password_login = false;
    })
    .await;
    app.add_user(integration_tests::USER_EMAIL, "Dee", POLICE).await;
    let page = reqwest::get(app.url("/login")).await.unwrap().text().await.unwrap();
    assert!(page.contains("href=\"/auth/oidc/northshire-police/start\""), "{page}");
    assert!(page.contains("Sign in with Northshire Police"));
    assert!(
        !page.contains("id=\"password\""),
        "no password field when passwords are off"
    );
    let by_password = reqwest::Client::new()
        .post(app.url("/api/session"))
        .header("origin", app.url(""))
        .json(&json!({ "email": integration_tests::USER_EMAIL, "password": USER_PASSWORD }))
        .send()
        .await
        .unwrap();
    assert_eq!(by_password.status(), 403);
}

#[tokio::test]
async fn an_entra_account_is_the_tenant_and_object_id_whatever_sub_each_app_is_given() {
    let entra = OidcProvider::start(POLICE).await;
    let mut config = entra.config("entra", POLICE);
    config.kind = server::sso::config::ProviderKind::Entra;
    let providers = Providers::checked(vec![config]).unwrap();
    let app = spawn_app_with(|c| c.oidc_providers = Some(providers)).await;
    entra.register(&app).await;
    invite(&app, &admin(&app).await, "kim@northshire.police.uk", POLICE).await;
    // As Entra sends it: no email_verified, the UPN as preferred_username.
    let kim = |sub: &str| {
        json!({ "sub": sub, "email": "kim@northshire.police.uk", "email_verified": null, "name": "Kim",
                "tid": "tenant-1", "oid": "object-9", "preferred_username": "kim@northshire.police.uk" })
    };
    entra.add_account(kim("pairwise-a")).await;
    let browser = Browser::default();
    assert_eq!(browser.sign_in(&app, "entra", "pairwise-a").await, "/");
    let subject: String = sqlx::query_scalar("SELECT subject FROM sso_identities")
        .fetch_one(&app.pool)
        .await
        .unwrap();
    assert_eq!(subject, "tenant-1:object-9");
    // The same person, another `sub` (Entra's are per application): the same account.
    entra.add_account(kim("pairwise-b")).await;
    let again = Browser::default();
    assert_eq!(again.sign_in(&app, "entra", "pairwise-b").await, "/");
    assert_eq!(left_behind(&app, KIM).await, (1, 2, 1));
}
