//! Plan membership through the API: every change is in the plan's history
//! (who, when, to whom, old role → new role), and concurrent changes by two
//! LROs never leave a plan without one.

use integration_tests::{spawn_app, spawn_app_with_plan, Fetch, TestApp, USER_AGENCY};
use plan::SubjectKind;
use reqwest::StatusCode;
use serde_json::{json, Value};
use uuid::Uuid;

async fn put_member(app: &TestApp, as_: &reqwest::Client, plan: Uuid, email: &str, role: &str) -> StatusCode {
    as_.put(app.url(&format!("/api/plans/{plan}/members")))
        .json(&json!({ "email": email, "role": role }))
        .sent()
        .await
        .status()
}

async fn remove_member(app: &TestApp, as_: &reqwest::Client, plan: Uuid, user: Uuid) -> StatusCode {
    as_.delete(app.url(&format!("/api/plans/{plan}/members/{user}")))
        .sent()
        .await
        .status()
}

async fn user_id(app: &TestApp, email: &str) -> Uuid {
    sqlx::query_scalar("SELECT id FROM users WHERE email = $1")
        .bind(email)
        .fetch_one(&app.pool)
        .await
        .unwrap()
}

/// (who, what, old, new) of each membership change in the plan's history.
fn membership_rows(history: &Value) -> Vec<(String, String, String, String)> {
    let mut rows = Vec::new();
    for entry in history["entries"].as_array().unwrap() {
        for change in entry["changes"].as_array().unwrap() {
            if change["field"].as_str().unwrap().starts_with("member:") {
                let text = |v: &Value| v.as_str().unwrap().to_string();
                rows.push((
                    text(&entry["user"]),
                    text(&change["what"]),
                    text(&change["old"]),
                    text(&change["new"]),
                ));
            }
        }
    }
    rows
}

#[tokio::test]
async fn membership_changes_are_in_the_history_as_who_did_what_to_whom() {
    let (app, plan) = spawn_app_with_plan("Operation Holly").await;
    let alice_email = "alice@council.gov.uk";
    app.add_member(plan, alice_email, "Alice Smith", "Northshire Council", "partner")
        .await;
    let alice = user_id(&app, alice_email).await;
    let dee = user_id(&app, integration_tests::USER_EMAIL).await;
    assert_eq!(put_member(&app, &app.http, plan, alice_email, "viewer").await, 200);
    assert_eq!(
        put_member(&app, &app.http, plan, alice_email, "viewer").await,
        200,
        "no change"
    );
    let refused = put_member(&app, &app.http, plan, integration_tests::USER_EMAIL, "viewer").await;
    assert_eq!(refused, 422, "the last LRO stays");
    assert_eq!(remove_member(&app, &app.http, plan, alice).await, 204);

    let url = app.url(&format!("/api/plans/{plan}/history"));
    let history: Value = app.http.get(&url).send().await.unwrap().json().await.unwrap();
    let row = |what: &str, old: &str, new: &str| ("Dee Lro".to_string(), what.into(), old.into(), new.into());
    let alice_shown = "Member Alice Smith (Northshire Council)";
    assert_eq!(
        membership_rows(&history),
        [
            row(&format!("Member Dee Lro ({USER_AGENCY})"), "", "lro"),
            row(alice_shown, "", "partner"),
            row(alice_shown, "partner", "viewer"),
            row(alice_shown, "viewer", ""),
        ],
        "the creator becoming LRO, then each change made, and nothing refused or unchanged: {history}"
    );
    let first = &history["entries"][0];
    assert_eq!(first["user_id"], dee.to_string());
    assert_eq!(first["changes"][0]["field"], format!("member:{dee}"));
    assert!(first["at"].is_string());

    let csv = app
        .http
        .get(format!("{url}?format=csv"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let line = format!(r#""Dee Lro","{USER_AGENCY}","{alice_shown}","member:{alice}","partner","viewer""#);
    assert!(csv.contains(&line), "{line} in {csv}");

    for tamper in [
        "UPDATE plan_member_changes SET new_role = 'lro'",
        "DELETE FROM plan_member_changes",
        "TRUNCATE plan_member_changes",
    ] {
        let refused = sqlx::query(tamper).execute(&app.pool).await;
        assert!(refused.is_err(), "{tamper} is refused");
    }
}

#[tokio::test]
async fn a_plan_is_never_stored_without_its_lro() {
    let app = spawn_app().await;
    let new = integration_tests::stores::new_plan(SubjectKind::Ocg, "Operation Ivy", 2);
    // No such user: making them LRO fails, and so does the whole creation.
    let created = app.state.plans.create(&new, Uuid::new_v4()).await;
    assert!(created.is_err());
    let plans: i64 = sqlx::query_scalar("SELECT count(*) FROM plans")
        .fetch_one(&app.pool)
        .await
        .unwrap();
    assert_eq!(plans, 0, "no plan without an LRO");
}

/// Each round, the plan's two LROs race: they demote or remove each
/// other, or one demotes themself while removing the other. Whatever the
/// interleaving, one change wins and the other is refused.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_lros_changing_each_other_at_once_leave_exactly_one_lro() {
    let app = spawn_app().await;
    let kim_email = "kim@northshire.police.uk";
    app.add_user(kim_email, "Kim Lro", USER_AGENCY).await;
    let kim = app.client_for(kim_email).await;
    let (dee_id, kim_id) = (
        user_id(&app, integration_tests::USER_EMAIL).await,
        user_id(&app, kim_email).await,
    );
    let dee = &app.http;
    for round in 0..20 {
        let plan = app.create_plan(&format!("Operation Race {round}")).await;
        assert_eq!(put_member(&app, dee, plan, kim_email, "lro").await, 200);
        // Forced to overlap: both wait on the members' rows together.
        let gate = integration_tests::db::hold_writes(&app.pool, "plan_members").await;
        let release = integration_tests::db::release_when_waiting(&app.pool, gate, 2);
        let race = async {
            match round % 3 {
                0 => tokio::join!(
                    put_member(&app, dee, plan, kim_email, "partner"),
                    put_member(&app, &kim, plan, integration_tests::USER_EMAIL, "viewer"),
                ),
                1 => tokio::join!(
                    remove_member(&app, dee, plan, kim_id),
                    remove_member(&app, &kim, plan, dee_id),
                ),
                _ => tokio::join!(
                    put_member(&app, dee, plan, integration_tests::USER_EMAIL, "sio"),
                    remove_member(&app, dee, plan, kim_id),
                ),
            }
        };
        let ((a, b), ()) = tokio::join!(race, release);
        let lros = app
            .count_for(
                "SELECT count(*) FROM plan_members WHERE plan_id = $1 AND role = 'lro'",
                plan,
            )
            .await;
        assert_eq!(lros, 1, "round {round}: {a} and {b}");
        assert_eq!(
            [a, b].iter().filter(|s| s.is_success()).count(),
            1,
            "round {round}: one wins, one is refused: {a} and {b}"
        );
        let recorded = app
            .count_for("SELECT count(*) FROM plan_member_changes WHERE plan_id = $1", plan)
            .await;
        assert_eq!(recorded, 3, "round {round}: creation, Kim made LRO, the winning change");
    }
}

/// (status, body) of the LRO's `PUT` of `email` as `role`.
async fn put_member_answer(app: &TestApp, plan: Uuid, email: &str, role: &str) -> (StatusCode, Vec<u8>) {
    let response = app
        .put_json(
            &format!("/api/plans/{plan}/members"),
            &json!({ "email": email, "role": role }),
        )
        .await;
    (response.status(), response.bytes().await.unwrap().to_vec())
}

/// (status, body) of the team panel's server function adding `email`.
async fn set_plan_member_answer(app: &TestApp, plan: Uuid, email: &str, role: &str) -> (StatusCode, Vec<u8>) {
    let form = [
        ("plan", plan.to_string()),
        ("email", email.to_string()),
        ("role", role.to_string()),
    ];
    let response = app
        .http
        .post(app.url("/api/fn/set_plan_member"))
        .form(&form)
        .sent()
        .await;
    (response.status(), response.bytes().await.unwrap().to_vec())
}

/// An LRO guessing emails learns only "added" or the one refusal: an
/// unknown email and a disabled account answer byte for byte alike, and
/// neither answer, nor that for someone added, names anyone, their agency
/// or their flags. Members are listed by name, as colleagues on the plan.
#[tokio::test]
async fn adding_a_member_by_email_reveals_nothing_about_a_non_colleague() {
    let (app, plan) = spawn_app_with_plan("Operation Oak").await;
    let ada = "ada@northshire.police.uk";
    app.add_user(ada, "Ada Admin", USER_AGENCY).await;
    sqlx::query("UPDATE users SET is_admin = true WHERE email = $1")
        .bind(ada)
        .execute(&app.pool)
        .await
        .unwrap();
    let gone = "gone@council.gov.uk";
    let gone_user = app.add_user(gone, "Gone Away", "Eastshire Council").await;
    app.state.accounts.disable_user(gone_user.id).await.unwrap();

    let unknown = put_member_answer(&app, plan, "nobody@council.gov.uk", "partner").await;
    let disabled = put_member_answer(&app, plan, gone, "partner").await;
    let other_unknown = put_member_answer(&app, plan, "someone.else@example.org", "viewer").await;
    assert_eq!(unknown.0, 422);
    assert_eq!(disabled, unknown, "a disabled account answers as no account does");
    assert_eq!(other_unknown, unknown, "the refusal does not depend on the email");
    let refusal = String::from_utf8(unknown.1.clone()).unwrap();
    assert!(refusal.contains("no such colleague can be added"), "{refusal}");
    for hidden in ["nobody", "gone", "Gone Away", "Eastshire", "is_admin"] {
        assert!(!refusal.contains(hidden), "{hidden} in {refusal}");
    }

    let (status, added) = put_member_answer(&app, plan, ada, "viewer").await;
    assert_eq!(status, 200);
    let added: Value = serde_json::from_slice(&added).unwrap();
    assert_eq!(added["role"], "viewer");
    let text = added.to_string();
    for hidden in [
        "Ada Admin",
        USER_AGENCY,
        "is_admin",
        "strategic_lead",
        "may_lead_plans",
        "disabled",
    ] {
        assert!(!text.contains(hidden), "{hidden} in {text}");
    }

    // The team panel's server function answers alike.
    let unknown_fn = set_plan_member_answer(&app, plan, "nobody@council.gov.uk", "partner").await;
    let disabled_fn = set_plan_member_answer(&app, plan, gone, "partner").await;
    assert!(!unknown_fn.0.is_success());
    assert_eq!(disabled_fn, unknown_fn, "the page's refusal is the same for both");
    let refusal_fn = String::from_utf8_lossy(&unknown_fn.1).to_string();
    assert!(refusal_fn.contains("no such colleague can be added"), "{refusal_fn}");
    assert!(
        !refusal_fn.contains("Gone") && !refusal_fn.contains("nobody"),
        "{refusal_fn}"
    );
    let pat = "pat@council.gov.uk";
    app.add_user(pat, "Pat Partner", "Northshire Council").await;
    let (status, body) = set_plan_member_answer(&app, plan, pat, "partner").await;
    assert!(status.is_success(), "{status}: {}", String::from_utf8_lossy(&body));
    let body = String::from_utf8_lossy(&body);
    assert!(
        !body.contains("Pat Partner") && !body.contains("Northshire Council"),
        "{body}"
    );

    // Members, colleagues now, are listed by name and agency, without flags.
    let members = app.get_text(&format!("/api/plans/{plan}/members")).await;
    let listed: Value = serde_json::from_str(&members).unwrap();
    let names: Vec<&str> = listed
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["user"]["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["Ada Admin", "Dee Lro", "Pat Partner"], "{members}");
    assert!(listed[0]["user"]["agency"] == USER_AGENCY, "{members}");
    for flag in ["is_admin", "strategic_lead", "may_lead_plans", "disabled"] {
        assert!(!members.contains(flag), "{flag} in {members}");
    }
}
