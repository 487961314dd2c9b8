//! `/my-actions` and the disruption return through the REST API, on real
//! PostgreSQL: exactly the right rows across plans (need-to-know included),
//! edits and "mark submitted" admitted by each plan's gate as the viewer,
//! audited and live, and the return's CSV marked, defused and reproducible.

use chrono::{Duration, NaiveDate, Utc};
use integration_tests::{spawn_app, Fetch, TestApp};
use plan::{Disruption, NewAction, RagStatus, P};
use serde_json::Value;
use server::collab::room::Access;
use server::collab::server_edit::edit_as;
use uuid::Uuid;

const PAT: &str = "pat@council.gov.uk";
const SAM: &str = "sam@eastshire.police.uk";
const COUNCIL: &str = "Northshire Council";

mod disruption_return;
mod my_actions;
mod pages;

fn day(days: i64) -> Option<NaiveDate> {
    Some(Utc::now().date_naive() + Duration::days(days))
}

struct Fixture {
    app: TestApp,
    /// Alder, Birch, Cedar and Damson: Dee leads, Pat is a partner. Elm:
    /// Sam leads, Pat (a member of nothing there) has an action in it.
    plans: [Uuid; 5],
    /// Action ids by their text.
    ids: std::collections::HashMap<String, (Uuid, String)>,
    pat: reqwest::Client,
    sam: reqwest::Client,
}

async fn add(app: &TestApp, plan: Uuid, lro: Uuid, actions: Vec<NewAction>) -> Vec<String> {
    edit_as(&app.state.rooms, plan, Access::full(lro), move |p, t| {
        actions.iter().map(|a| p.add_action(t, a)).collect()
    })
    .await
    .unwrap()
}

fn action(text: &str, agency: &str, status: RagStatus) -> NewAction {
    NewAction {
        owner_agency: agency.into(),
        status,
        target_date: day(30),
        ..NewAction::new([P::Prevent], text)
    }
}

async fn fixture() -> Fixture {
    let app = spawn_app().await;
    let dee = app.user_id(integration_tests::USER_EMAIL).await;
    let sam_user = app.add_user(SAM, "Sam Lro", "Eastshire Police").await;
    let mut plans = Vec::new();
    for name in ["Alder", "Birch", "Cedar", "Damson"] {
        plans.push(app.create_plan(name).await);
    }
    app.add_member(plans[0], PAT, "Pat Partner", COUNCIL, "partner").await;
    for &plan in &plans[1..] {
        let body = serde_json::json!({ "email": PAT, "role": "partner" });
        assert!(app
            .put_json(&format!("/api/plans/{plan}/members"), &body)
            .await
            .status()
            .is_success());
    }
    let sam = app.client_for(SAM).await;
    let body = serde_json::json!({ "subject_kind": "OCG", "subject_name": "Elm", "tier": 1 });
    let elm: Uuid = sam
        .post(app.url("/api/plans"))
        .json(&body)
        .sent()
        .await
        .json::<Value>()
        .await
        .unwrap()["id"]
        .as_str()
        .unwrap()
        .parse()
        .unwrap();
    plans.push(elm);

    let mut ids = std::collections::HashMap::new();
    let fill: [(usize, Uuid, Vec<NewAction>); 5] = [
        (
            0,
            dee,
            vec![
                action("Alder mentoring", COUNCIL, RagStatus::Amber),
                NewAction {
                    disruption: Some(Disruption::Major),
                    date: day(-3),
                    text: "=cmd|' /C calc'!A0".into(),
                    owner_name: "@Dee".into(),
                    ..action("x", "Northshire Police", RagStatus::Green)
                },
                NewAction {
                    disruption: Some(Disruption::Minor),
                    ..action("Alder licence review", COUNCIL, RagStatus::Green)
                },
            ],
        ),
        (
            1,
            dee,
            vec![
                action("Birch tenancy check", " northshire council ", RagStatus::Red),
                NewAction {
                    owner_name: "pat partner".into(),
                    ..action("Birch warrant", "Northshire Police", RagStatus::Red)
                },
            ],
        ),
        (
            2,
            dee,
            vec![NewAction {
                target_date: day(-5),
                ps: [P::Pursue].into(),
                ..action("Cedar closure order", COUNCIL, RagStatus::Red)
            }],
        ),
        (
            3,
            dee,
            vec![NewAction {
                disruption: Some(Disruption::Moderate),
                ..action("Damson arrest", "Northshire Police", RagStatus::Green)
            }],
        ),
        (
            4,
            sam_user.id,
            vec![action("Elm council visit", COUNCIL, RagStatus::Red)],
        ),
    ];
    for (i, lro, actions) in fill {
        let texts: Vec<String> = actions.iter().map(|a| a.text.clone()).collect();
        for (text, id) in texts.into_iter().zip(add(&app, plans[i], lro, actions).await) {
            ids.insert(text, (plans[i], id));
        }
    }
    let pat = app.client_for(PAT).await;
    let f = Fixture {
        app,
        plans: plans.try_into().unwrap(),
        ids,
        pat,
        sam,
    };
    // Facts are written just after each batch is durable.
    eventually(&f, &f.app.http, "/api/disruptions", |v| {
        v["rows"].as_array().is_some_and(|r| r.len() == 3)
    })
    .await;
    f
}

async fn get(f: &Fixture, client: &reqwest::Client, path: &str) -> (u16, Value) {
    let response = client.get(f.app.url(path)).sent().await;
    let status = response.status().as_u16();
    (status, response.json().await.unwrap_or(Value::Null))
}

/// Reads `path` until `ready` holds (facts follow an edit within moments).
async fn eventually(f: &Fixture, client: &reqwest::Client, path: &str, ready: impl Fn(&Value) -> bool) -> Value {
    for _ in 0..100 {
        let (status, v) = get(f, client, path).await;
        if status == 200 && ready(&v) {
            return v;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    panic!("{path} never became ready: {:?}", get(f, client, path).await);
}

/// A plain form post to a server function, as a browser without JavaScript sends it.
async fn post_form(
    f: &Fixture,
    client: &reqwest::Client,
    function: &str,
    form: &[(&str, String)],
) -> reqwest::Response {
    let url = f.app.url(&format!("/api/fn/{function}"));
    client
        .post(url)
        .header("accept", "application/json")
        .form(form)
        .sent()
        .await
}

/// The plan's latest history entry, as its LRO reads it.
async fn last_history_entry(f: &Fixture, plan: Uuid) -> Value {
    let history: Value = f.app.get_json(&format!("/api/plans/{plan}/history")).await;
    history["entries"].as_array().unwrap().last().unwrap().clone()
}

fn texts(groups: &Value) -> Vec<(String, Vec<String>)> {
    groups
        .as_array()
        .unwrap()
        .iter()
        .map(|g| {
            (
                g["plan_name"].as_str().unwrap().to_string(),
                g["actions"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|a| a["action"]["text"].as_str().unwrap().to_string())
                    .collect(),
            )
        })
        .collect()
}

fn named(list: &[(&str, &[&str])]) -> Vec<(String, Vec<String>)> {
    list.iter()
        .map(|(p, a)| (format!("{p} (OCG-1)"), a.iter().map(|s| s.to_string()).collect()))
        .collect()
}
