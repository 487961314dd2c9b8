//! Plan membership through the API: every change is in the plan's history
//! (who, when, to whom, old role → new role), and concurrent changes by two
//! LROs never leave a plan without one.

use integration_tests::{spawn_app, TestApp, USER_AGENCY};
use plan::{NewPlan, SubjectKind, Tier};
use reqwest::StatusCode;
use serde_json::{json, Value};
use uuid::Uuid;

async fn put_member(app: &TestApp, as_: &reqwest::Client, plan: Uuid, email: &str, role: &str) -> StatusCode {
    as_.put(app.url(&format!("/api/plans/{plan}/members")))
        .json(&json!({ "email": email, "role": role }))
        .send()
        .await
        .unwrap()
        .status()
}

async fn remove_member(app: &TestApp, as_: &reqwest::Client, plan: Uuid, user: Uuid) -> StatusCode {
    as_.delete(app.url(&format!("/api/plans/{plan}/members/{user}")))
        .send()
        .await
        .unwrap()
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
    let app = spawn_app().await;
    let plan = app.create_plan("Operation Holly").await;
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
    let new = NewPlan {
        subject_kind: SubjectKind::Ocg,
        subject_name: "Operation Ivy".into(),
        subject_ref: String::new(),
        tier: Tier::new(2).unwrap(),
        lro: String::new(),
    };
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
    let kim = app.client_as(&app.session_for(kim_email).await);
    let (dee_id, kim_id) = (
        user_id(&app, integration_tests::USER_EMAIL).await,
        user_id(&app, kim_email).await,
    );
    let dee = &app.http;
    for round in 0..20 {
        let plan = app.create_plan(&format!("Operation Race {round}")).await;
        assert_eq!(put_member(&app, dee, plan, kim_email, "lro").await, 200);
        let (a, b) = match round % 3 {
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
        };
        let lros: i64 = sqlx::query_scalar("SELECT count(*) FROM plan_members WHERE plan_id = $1 AND role = 'lro'")
            .bind(plan)
            .fetch_one(&app.pool)
            .await
            .unwrap();
        assert_eq!(lros, 1, "round {round}: {a} and {b}");
        assert_eq!(
            [a, b].iter().filter(|s| s.is_success()).count(),
            1,
            "round {round}: one wins, one is refused: {a} and {b}"
        );
        let recorded: i64 = sqlx::query_scalar("SELECT count(*) FROM plan_member_changes WHERE plan_id = $1")
            .bind(plan)
            .fetch_one(&app.pool)
            .await
            .unwrap();
        assert_eq!(recorded, 3, "round {round}: creation, Kim made LRO, the winning change");
    }
}
