//! An LRO adds someone who has no account yet, by email and agency: they
//! join the plan, in the role given, at their first sign-in through their
//! agency's provider, and the plan's history says the LRO added them.

use super::{app_trusting, left_behind, COUNCIL, POLICE};
use integration_tests::oidc::{Browser, OidcProvider};
use integration_tests::TestApp;
use serde_json::{json, Value};
use uuid::Uuid;

const CAL: &str = "cal@northshire.gov.uk";

/// The force's and the council's providers (Cal has an account at the
/// council's), and a plan of the test's LRO.
async fn council_and_plan() -> (OidcProvider, OidcProvider, TestApp, Uuid) {
    let (police, council) = tokio::join!(OidcProvider::start(POLICE), OidcProvider::start(COUNCIL));
    let app = app_trusting(&[(&police, "police", POLICE), (&council, "council", COUNCIL)], false).await;
    for provider in [&police, &council] {
        provider
            .add_account(json!({ "sub": "cal-1", "email": CAL, "name": "Cal Council" }))
            .await;
    }
    let plan = app.create_plan("Op Invite").await;
    (police, council, app, plan)
}

async fn add(app: &TestApp, plan: Uuid, body: Value) -> reqwest::Response {
    app.put_json(&format!("/api/plans/{plan}/members"), &body).await
}

async fn invitations(app: &TestApp, plan: Uuid) -> Vec<Value> {
    app.get_json(&format!("/api/plans/{plan}/invitations")).await
}

#[tokio::test]
async fn an_invited_partner_joins_the_plan_at_their_first_sign_in() {
    let (_police, _council, app, plan) = council_and_plan().await;
    let answer = add(
        &app,
        plan,
        json!({ "email": CAL, "role": "partner", "agency": COUNCIL }),
    )
    .await;
    let status = answer.status();
    let answer: Value = answer.json().await.unwrap();
    assert_eq!(status, 200, "{answer}");
    assert_eq!(
        (answer["invited"].as_bool(), answer["role"].as_str()),
        (Some(true), Some("partner"))
    );
    let open = invitations(&app, plan).await;
    assert_eq!((open.len(), open[0]["agency"].as_str()), (1, Some(COUNCIL)));
    assert_eq!(left_behind(&app, CAL).await, (0, 0, 0), "no account until they sign in");

    let browser = Browser::default();
    assert_eq!(browser.sign_in(&app, "council", CAL).await, "/");
    let cal = app.client_as(&browser.session(&app).unwrap());
    let opened = cal.get(app.url(&format!("/api/plans/{plan}"))).send().await.unwrap();
    assert_eq!(opened.status(), 200, "Cal opens the plan invited to");
    let members: Vec<Value> = app.get_json(&format!("/api/plans/{plan}/members")).await;
    let cal_member = members
        .iter()
        .find(|m| m["user"]["email"] == CAL)
        .expect("Cal is a member");
    assert_eq!(cal_member["role"], "partner");
    assert!(invitations(&app, plan).await.is_empty(), "the invitation is taken up");

    // The plan's history says who added Cal: the LRO who invited them.
    let history = app.get_text(&format!("/api/plans/{plan}/history?format=csv")).await;
    let added = history
        .lines()
        .find(|l| l.contains("Cal Council"))
        .expect("the addition is in the history");
    assert!(added.contains("Dee Lro"), "{added}");
}

#[tokio::test]
async fn an_invitation_lets_in_only_through_the_agency_named_and_a_withdrawn_one_lets_nobody_in() {
    let (_police, _council, app, plan) = council_and_plan().await;
    add(&app, plan, json!({ "email": CAL, "role": "viewer", "agency": COUNCIL })).await;

    // The same email at the force's provider is not who was invited.
    let wrong = Browser::default();
    assert_eq!(wrong.sign_in(&app, "police", CAL).await, "/login?sso=not-invited");
    assert_eq!(left_behind(&app, CAL).await, (0, 0, 0));

    let withdrawn = app
        .http
        .delete(app.url(&format!("/api/plans/{plan}/invitations/{CAL}")))
        .send()
        .await
        .unwrap();
    assert_eq!(withdrawn.status(), 204);
    assert!(invitations(&app, plan).await.is_empty());
    let refused = Browser::default();
    assert_eq!(refused.sign_in(&app, "council", CAL).await, "/login?sso=not-invited");
    assert_eq!(left_behind(&app, CAL).await, (0, 0, 0), "nothing is left behind");
}

#[tokio::test]
async fn only_the_lro_invites_and_only_from_an_agency_with_a_provider_onto_a_plan_needing_no_vetting() {
    let (_police, _council, app, plan) = council_and_plan().await;
    // No agency named: the one refusal that says nothing about anyone.
    let unknown = add(&app, plan, json!({ "email": CAL, "role": "partner" })).await;
    assert_eq!(unknown.status(), 422);
    assert!(unknown
        .text()
        .await
        .unwrap()
        .contains("choose their agency to invite them"));

    app.state
        .accounts
        .create_agency("Northshire Housing", "Housing")
        .await
        .unwrap();
    let no_provider = add(
        &app,
        plan,
        json!({ "email": CAL, "role": "partner", "agency": "Northshire Housing" }),
    )
    .await;
    assert_eq!(no_provider.status(), 422);
    assert!(no_provider.text().await.unwrap().contains("has no sign-in provider"));

    // A partner on the plan cannot invite.
    app.add_to_plan(plan, &integration_tests::PAT, "partner").await;
    let partner = app.client_for(integration_tests::PAT.email).await;
    let by_partner = partner
        .put(app.url(&format!("/api/plans/{plan}/members")))
        .json(&json!({ "email": CAL, "role": "partner", "agency": COUNCIL }))
        .send()
        .await
        .unwrap();
    assert_eq!(by_partner.status(), 403);

    // A plan that needs vetting (its LRO vetted first, so as to raise
    // it): a new account would have none.
    let dee = app.user_id(integration_tests::USER_EMAIL).await;
    let expires = (chrono::Utc::now() + chrono::Duration::days(365)).to_rfc3339();
    let vetted_dee = super::admin(&app)
        .await
        .put(app.url(&format!("/api/users/{dee}/vetting")))
        .json(&json!({ "level": "NPPV3", "expires": expires }))
        .send()
        .await
        .unwrap();
    assert_eq!(vetted_dee.status(), 200, "{}", vetted_dee.text().await.unwrap());
    let raised = app
        .put_json(&format!("/api/plans/{plan}/vetting"), &json!({ "level": "NPPV2" }))
        .await;
    assert_eq!(raised.status(), 200, "{}", raised.text().await.unwrap());
    let vetted = add(
        &app,
        plan,
        json!({ "email": CAL, "role": "partner", "agency": COUNCIL }),
    )
    .await;
    assert_eq!(vetted.status(), 422);
    assert!(vetted.text().await.unwrap().contains("needs NPPV2 vetting"));
    assert!(invitations(&app, plan).await.is_empty(), "nothing is stored");
}
