//! `/my-actions` and the disruption return through the REST API, on real
//! PostgreSQL: exactly the right rows across plans (need-to-know included),
//! edits and "mark submitted" admitted by each plan's gate as the viewer,
//! audited and live, and the return's CSV marked, defused and reproducible.

use chrono::{Duration, NaiveDate, Utc};
use integration_tests::{spawn_app, Client, TestApp};
use plan::{Disruption, NewAction, RagStatus, P};
use serde_json::Value;
use server::collab::room::Access;
use server::collab::server_edit::edit_as;
use uuid::Uuid;

const PAT: &str = "pat@council.gov.uk";
const SAM: &str = "sam@eastshire.police.uk";
const COUNCIL: &str = "Northshire Council";

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
    let dee: Uuid = sqlx::query_scalar("SELECT id FROM users WHERE email = $1")
        .bind(integration_tests::USER_EMAIL)
        .fetch_one(&app.pool)
        .await
        .unwrap();
    let sam_user = app.add_user(SAM, "Sam Lro", "Eastshire Police").await;
    let mut plans = Vec::new();
    for name in ["Alder", "Birch", "Cedar", "Damson"] {
        plans.push(app.create_plan(name).await);
    }
    app.add_member(plans[0], PAT, "Pat Partner", COUNCIL, "partner").await;
    for &plan in &plans[1..] {
        let body = serde_json::json!({ "email": PAT, "role": "partner" });
        assert!(app
            .http
            .put(app.url(&format!("/api/plans/{plan}/members")))
            .json(&body)
            .send()
            .await
            .unwrap()
            .status()
            .is_success());
    }
    let sam = app.client_as(&app.session_for(SAM).await);
    let body = serde_json::json!({ "subject_kind": "OCG", "subject_name": "Elm", "tier": 1 });
    let elm: Uuid = sam
        .post(app.url("/api/plans"))
        .json(&body)
        .send()
        .await
        .unwrap()
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
    let pat = app.client_as(&app.session_for(PAT).await);
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
    let response = client.get(f.app.url(path)).send().await.unwrap();
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
        .send()
        .await
        .unwrap()
}

/// The plan's latest history entry, as its LRO reads it.
async fn last_history_entry(f: &Fixture, plan: Uuid) -> Value {
    let url = f.app.url(&format!("/api/plans/{plan}/history"));
    let history: Value = f.app.http.get(url).send().await.unwrap().json().await.unwrap();
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

#[tokio::test]
async fn my_actions_lists_a_partners_rows_in_three_plans_and_none_of_a_fourth_or_of_plans_they_are_not_in() {
    let f = fixture().await;
    let (status, v) = get(&f, &f.pat, "/api/my-actions").await;
    assert_eq!(status, 200);
    // Cedar first: it has an overdue action. Damson (no council action) and Elm (not a member) are absent.
    assert_eq!(
        texts(&v["by_agency"]),
        named(&[
            ("Cedar", &["Cedar closure order"]),
            ("Alder", &["Alder licence review", "Alder mentoring"]),
            ("Birch", &["Birch tenancy check"])
        ])
    );
    assert_eq!(texts(&v["by_name"]), named(&[("Birch", &["Birch warrant"])]));
    assert_eq!(v["overdue"], 1);
    assert_eq!(v["by_agency"][0]["actions"][0]["overdue"], true);
    assert_eq!(v["by_agency"][0]["actions"][0]["editable"], true);
    assert_eq!(
        v["by_name"][0]["actions"][0]["editable"], false,
        "a partner cannot edit the police's action, though named on it"
    );

    let (_, overdue) = get(&f, &f.pat, "/api/my-actions?overdue=true").await;
    assert_eq!(
        texts(&overdue["by_agency"]),
        named(&[("Cedar", &["Cedar closure order"])])
    );
    let (_, green) = get(&f, &f.pat, "/api/my-actions?status=GREEN").await;
    assert_eq!(
        texts(&green["by_agency"]),
        named(&[("Alder", &["Alder licence review"])])
    );
    let (_, pursue) = get(&f, &f.pat, "/api/my-actions?p=pursue").await;
    assert_eq!(
        texts(&pursue["by_agency"]),
        named(&[("Cedar", &["Cedar closure order"])])
    );
    assert!(texts(&pursue["by_name"]).is_empty());
    let (status, error) = get(&f, &f.pat, "/api/my-actions?status=BLUE").await;
    assert_eq!(status, 422, "{error}");
    assert_eq!(
        f.app
            .anonymous()
            .get(f.app.url("/api/my-actions"))
            .send()
            .await
            .unwrap()
            .status(),
        401
    );
}

#[tokio::test]
async fn edits_from_my_actions_go_through_the_plans_gate_audited_and_live() {
    let f = fixture().await;
    let (alder, mentoring) = f.ids["Alder mentoring"].clone();
    let watcher = Client::connect(&f.app.ws_url(alder)).await;
    let edit = |plan: Uuid, action: &str, status: &str| serde_json::json!({ "plan": plan, "action": action, "update": "Two sessions held", "status": status, "disruption": "MINOR" });
    let post = |body: Value| f.pat.post(f.app.url("/api/my-actions")).json(&body).send();

    assert_eq!(post(edit(alder, &mentoring, "GREEN")).await.unwrap().status(), 204);
    let id = mentoring.clone();
    watcher
        .wait_for_doc("Pat's edit, live", move |p| {
            let a = p.action(&p.transact(), &id).unwrap();
            a.status == Some(RagStatus::Green)
                && a.update == "Two sessions held"
                && a.disruption == Some(Disruption::Minor)
        })
        .await;
    let last = last_history_entry(&f, alder).await;
    assert_eq!(last["user"], "Pat Partner", "{last}");
    let fields: Vec<&str> = last["changes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["field"].as_str().unwrap())
        .collect();
    for field in ["update", "status", "disruption"] {
        assert!(
            fields.contains(&format!("action:{mentoring}:{field}").as_str()),
            "{fields:?}"
        );
    }
    eventually(&f, &f.pat, "/api/my-actions", |v| {
        v["by_agency"].to_string().contains("Two sessions held")
    })
    .await;

    // The police's action Pat is named on: the gate refuses, with its reason; nothing changes.
    let (birch, warrant) = f.ids["Birch warrant"].clone();
    let refused = post(edit(birch, &warrant, "GREEN")).await.unwrap();
    assert_eq!(refused.status(), 403);
    assert!(refused.text().await.unwrap().contains("partner"));
    // Need-to-know: Elm (not a member) and an unknown plan look alike.
    let (elm, visit) = f.ids["Elm council visit"].clone();
    assert_eq!(post(edit(elm, &visit, "GREEN")).await.unwrap().status(), 404);
    assert_eq!(post(edit(Uuid::new_v4(), &visit, "GREEN")).await.unwrap().status(), 404);
    assert_eq!(
        post(edit(alder, "no-such-action", "GREEN")).await.unwrap().status(),
        404
    );
    assert_eq!(post(edit(alder, &mentoring, "BLUE")).await.unwrap().status(), 422);
}

#[tokio::test]
async fn the_disruption_return_is_for_lros_marked_defused_recorded_and_reproducible() {
    let f = fixture().await;
    let [alder, ..] = f.plans;
    // Dee's plans: assessed and not submitted, Elm's never.
    let (status, all) = get(&f, &f.app.http, "/api/disruptions").await;
    assert_eq!(status, 200);
    let rows: Vec<&str> = all["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["action"]["text"].as_str().unwrap())
        .collect();
    assert_eq!(rows, ["=cmd|' /C calc'!A0", "Alder licence review", "Damson arrest"]);
    assert_eq!(all["marking"], "OFFICIAL-SENSITIVE");
    let (_, one) = get(&f, &f.app.http, &format!("/api/plans/{alder}/disruptions")).await;
    assert_eq!(one["rows"].as_array().unwrap().len(), 2);
    // Need-to-know: a partner is refused; a non-member and an unknown plan are not found.
    assert_eq!(get(&f, &f.pat, &format!("/api/plans/{alder}/disruptions")).await.0, 403);
    assert_eq!(get(&f, &f.sam, &format!("/api/plans/{alder}/disruptions")).await.0, 404);
    assert_eq!(
        get(&f, &f.app.http, &format!("/api/plans/{}/disruptions", Uuid::new_v4()))
            .await
            .0,
        404
    );
    assert!(
        get(&f, &f.pat, "/api/disruptions").await.1["rows"]
            .as_array()
            .unwrap()
            .is_empty(),
        "a partner leads no plan"
    );

    // A GET never records a return (a link, a prefetch, an <img>).
    let get_csv = f
        .app
        .http
        .get(f.app.url("/api/disruptions?format=csv"))
        .send()
        .await
        .unwrap();
    assert_eq!(get_csv.status(), 422);
    let response = f
        .app
        .http
        .post(f.app.url("/api/disruptions/returns?format=csv"))
        .json(&serde_json::json!({}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 201);
    assert!(response.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/csv"));
    let csv = response.text().await.unwrap();
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(
        (lines[0], *lines.last().unwrap()),
        ("\"OFFICIAL-SENSITIVE\"", "\"OFFICIAL-SENSITIVE\"")
    );
    assert!(
        lines[1].contains("by Dee Lro") && lines[1].contains("3 action(s)"),
        "{}",
        lines[1]
    );
    assert_eq!(lines.len(), 3 + 3 + 1);
    assert!(
        lines[3].contains("\"'=cmd|' /C calc'!A0\"")
            && lines[3].contains("\"'@Dee\"")
            && lines[3].contains("\"MAJOR\""),
        "{}",
        lines[3]
    );
    assert!(
        lines[4].contains("\"Alder licence review\"")
            && lines[4].contains("\"Northshire Council\"")
            && lines[4].contains("\"PREVENT\""),
        "{}",
        lines[4]
    );

    // Recorded: produced again exactly, even once submitted; only for its maker.
    let id = lines[1]
        .split(';')
        .next()
        .unwrap()
        .trim_start_matches("\"Disruption return ")
        .to_string();
    assert_eq!(
        f.app
            .http
            .post(f.app.url("/api/disruptions/submit"))
            .json(&serde_json::json!({}))
            .send()
            .await
            .unwrap()
            .status(),
        200
    );
    let again = f
        .app
        .http
        .get(f.app.url(&format!("/api/disruptions/returns/{id}?format=csv")))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert_eq!(again, csv);
    let (status, recorded) = get(&f, &f.app.http, &format!("/api/disruptions/returns/{id}")).await;
    assert_eq!((status, recorded["rows"].as_array().unwrap().len()), (200, 3));
    assert_eq!(get(&f, &f.pat, &format!("/api/disruptions/returns/{id}")).await.0, 404);
    assert_eq!(
        get(&f, &f.app.http, &format!("/api/disruptions/returns/{}", Uuid::new_v4()))
            .await
            .0,
        404
    );
}

#[tokio::test]
async fn mark_submitted_passes_the_gate_a_partner_marks_only_their_agencys_actions() {
    let f = fixture().await;
    let submit =
        |client: &reqwest::Client, body: Value| client.post(f.app.url("/api/disruptions/submit")).json(&body).send();
    let (alder, licence) = f.ids["Alder licence review"].clone();
    let (_, police) = f.ids["=cmd|' /C calc'!A0"].clone();
    let watcher = Client::connect(&f.app.ws_url(alder)).await;

    // Pat's own agency's action: admitted, live, audited as Pat.
    let marked = submit(&f.pat, serde_json::json!({ "plan": alder, "action": licence }))
        .await
        .unwrap();
    assert_eq!(marked.status(), 200);
    assert_eq!(marked.json::<Value>().await.unwrap()["marked"], 1);
    let id = licence.clone();
    watcher
        .wait_for_doc("submitted, live", move |p| {
            p.action(&p.transact(), &id).unwrap().submitted
        })
        .await;
    let last = last_history_entry(&f, alder).await;
    assert_eq!(
        (last["user"].as_str(), last["changes"][0]["field"].as_str()),
        (
            Some("Pat Partner"),
            Some(format!("action:{licence}:submitted").as_str())
        )
    );
    // The police's action: refused by the gate; a plan's whole return is the LRO's.
    let refused = submit(&f.pat, serde_json::json!({ "plan": alder, "action": police }))
        .await
        .unwrap();
    assert_eq!(refused.status(), 403);
    assert!(refused.text().await.unwrap().contains("partner"));
    assert_eq!(
        submit(&f.pat, serde_json::json!({ "plan": alder }))
            .await
            .unwrap()
            .status(),
        403
    );
    assert_eq!(
        submit(&f.sam, serde_json::json!({ "plan": alder, "action": licence }))
            .await
            .unwrap()
            .status(),
        404
    );

    // The LRO marks the rest at once: one edit per plan; the return empties.
    eventually(&f, &f.app.http, "/api/disruptions", |v| {
        v["rows"].as_array().unwrap().len() == 2
    })
    .await;
    let all = submit(&f.app.http, serde_json::json!({})).await.unwrap();
    assert_eq!(all.json::<Value>().await.unwrap()["marked"], 2);
    eventually(&f, &f.app.http, "/api/disruptions", |v| {
        v["rows"].as_array().unwrap().is_empty()
    })
    .await;
    let export = f.app.export(alder).await;
    assert!(export["actions"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|a| a["disruption"].is_string())
        .all(|a| a["submitted"] == true));
}

#[tokio::test]
async fn the_pages_render_marked_and_their_plain_forms_edit_through_the_gate() {
    let f = fixture().await;
    let page = |client: &reqwest::Client, path: &str| {
        let request = client.get(f.app.url(path));
        async move {
            let response = request.send().await.unwrap();
            (response.status().as_u16(), response.text().await.unwrap())
        }
    };
    let (status, html) = page(&f.pat, "/my-actions").await;
    assert_eq!(status, 200);
    for text in [
        "Owned by my agency (Northshire Council)",
        "Cedar closure order",
        "Birch warrant",
        "id=\"my-overdue-count\"",
        "marking-bottom",
    ] {
        assert!(html.contains(text), "{text} in /my-actions");
    }
    assert!(!html.contains("Damson arrest") && !html.contains("Elm council visit"));
    assert!(
        html.contains("data-count=\"1\""),
        "the top bar counts Pat's one overdue action"
    );
    let (_, filtered) = page(&f.pat, "/my-actions?overdue=true").await;
    assert!(filtered.contains("Cedar closure order") && !filtered.contains("Alder mentoring"));

    // A plain form post (no JavaScript) to the page's server function.
    let (alder, mentoring) = f.ids["Alder mentoring"].clone();
    let form = [
        ("edit[plan]", alder.to_string()),
        ("edit[action]", mentoring.clone()),
        ("edit[update]", "Met the family".into()),
        ("edit[status]", "GREEN".into()),
        ("edit[disruption]", "".into()),
    ];
    let response = post_form(&f, &f.pat, "edit_my_action", &form).await;
    assert!(response.status().is_success(), "{}", response.text().await.unwrap());
    let export = f.app.export(alder).await;
    let stored = export["actions"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["id"] == mentoring.as_str())
        .unwrap()
        .clone();
    assert_eq!(
        (stored["update"].as_str(), stored["status"].as_str()),
        (Some("Met the family"), Some("GREEN"))
    );
    let (birch, warrant) = f.ids["Birch warrant"].clone();
    let form = [
        ("edit[plan]", birch.to_string()),
        ("edit[action]", warrant),
        ("edit[status]", "GREEN".into()),
    ];
    let refused = post_form(&f, &f.pat, "edit_my_action", &form).await;
    assert!(!refused.status().is_success());
    assert!(refused.text().await.unwrap().contains("partner"));

    // The return's page: the LRO's, with the rows; a partner is told no.
    let (status, html) = page(&f.app.http, "/disruptions").await;
    assert_eq!(status, 200);
    assert!(
        html.contains("Damson arrest")
            && html.contains("Mark all submitted")
            && html.contains("action=\"/api/fn/record_disruption_return\"")
    );
    let (_, refused) = page(&f.pat, &format!("/disruptions?plan={alder}")).await;
    assert!(
        refused.contains("id=\"disruptions-error\""),
        "a partner's view of a plan's return is refused"
    );
    let marked = post_form(&f, &f.app.http, "mark_submitted", &[("plan", alder.to_string())]).await;
    assert_eq!(integration_tests::fn_answer::<usize>(marked).await, 2);
    // "Mark all submitted" across plans posts no plan at all.
    let all = post_form(&f, &f.app.http, "mark_submitted", &[]).await;
    assert_eq!(integration_tests::fn_answer::<usize>(all).await, 1, "Damson's");
}
