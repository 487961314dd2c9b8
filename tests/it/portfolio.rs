//! The regional portfolio against a fixture of plans with known counts:
//! figures per threat, disruption periods, overdue dates, need-to-know (in
//! the page, the API and the CSV), the SVG's bars, and figures following
//! edits without re-reading documents.

use chrono::{Duration, NaiveDate, Utc};
use integration_tests::events::PlanChanges;
use integration_tests::{spawn_app, Client, TestApp};
use plan::{Disruption, NewAction, RagStatus, P};
use serde_json::Value;
use uuid::Uuid;

const LEAD: &str = "lead@rocu.police.uk";
const PAT: &str = "pat@council.gov.uk";
const SAM: &str = "sam@eastshire.police.uk";

fn key(k: &str) -> plan::strategy::ThreatKey {
    plan::strategy::ThreatKey::parse(k).unwrap()
}

fn today() -> NaiveDate {
    Utc::now().date_naive()
}

struct Fixture {
    app: TestApp,
    red_kings: Uuid,
    blue_ring: Uuid,
    closed: Uuid,
    lead: reqwest::Client,
    pat: reqwest::Client,
}

fn action(ps: &[P], text: &str, status: RagStatus) -> NewAction {
    NewAction {
        status,
        ..NewAction::new(ps.iter().copied(), text)
    }
}

async fn plan_as(app: &TestApp, client: &reqwest::Client, name: &str, kind: &str, tier: u8) -> Uuid {
    let body = serde_json::json!({ "subject_kind": kind, "subject_name": name, "subject_ref": "", "tier": tier, "lro": "DI Okafor" });
    let response = client.post(app.url("/api/plans")).json(&body).send().await.unwrap();
    assert_eq!(response.status(), 201);
    response.json::<Value>().await.unwrap()["id"]
        .as_str()
        .unwrap()
        .parse()
        .unwrap()
}

/// Four plans. Lee is a strategic lead. Dee (the default user) leads Red Kings (Pat a partner, the
/// lead a viewer), Blue Ring and Untagged One; Sam leads Operation Closed,
/// which neither Dee nor Pat nor the lead is a member of.
async fn fixture() -> Fixture {
    let app = spawn_app().await;
    for (email, name, agency) in [
        (LEAD, "Lee Lead", "ROCU"),
        (PAT, "Pat Partner", "Northshire Council"),
        (SAM, "Sam Lro", "Eastshire Police"),
    ] {
        app.add_user(email, name, agency).await;
    }
    sqlx::query("UPDATE users SET strategic_lead = true WHERE email = $1")
        .bind(LEAD)
        .execute(&app.pool)
        .await
        .unwrap();
    let lead = app.client_as(&app.session_for(LEAD).await);
    let pat = app.client_as(&app.session_for(PAT).await);
    let sam_cookie = app.session_for(SAM).await;
    let sam = app.client_as(&sam_cookie);
    let dee = app.http.clone();

    let red_kings = plan_as(&app, &dee, "Red Kings", "OCG", 1).await;
    let blue_ring = plan_as(&app, &dee, "Blue Ring", "PI", 3).await;
    plan_as(&app, &dee, "Untagged One", "OCG", 2).await;
    let closed = plan_as(&app, &sam, "Operation Closed", "OCG", 1).await;
    for (email, role) in [(PAT, "partner"), (LEAD, "viewer")] {
        let body = serde_json::json!({ "email": email, "role": role });
        let url = app.url(&format!("/api/plans/{red_kings}/members"));
        assert!(dee.put(url).json(&body).send().await.unwrap().status().is_success());
    }

    let mut feed = PlanChanges::open_for(&lead, &app.url("/api/portfolio/changes"), "portfolio").await;
    let day = |days: i64| Some(today() - Duration::days(days));
    let rk = Client::connect(&app.ws_url(red_kings)).await;
    rk.edit(|p, t| {
        p.tag_threat(t, &key("county-lines"), true);
        p.tag_threat(t, &key("drug-supply"), true);
        let overdue = NewAction {
            target_date: day(10),
            date: day(60),
            disruption: Some(Disruption::Major),
            owner_agency: "Northshire Council".into(),
            ..action(&[P::Pursue], "Warrant", RagStatus::Red)
        };
        p.add_action(t, &overdue).unwrap();
        let done = NewAction {
            target_date: day(10),
            date: day(0),
            disruption: Some(Disruption::Minor),
            ..action(&[P::Protect, P::Prevent], "Safeguard", RagStatus::Green)
        };
        p.add_action(t, &done).unwrap();
        let old = NewAction {
            date: day(800),
            disruption: Some(Disruption::None),
            ..action(&[P::Prepare], "Briefing", RagStatus::Amber)
        };
        p.add_action(t, &old).unwrap();
    });
    let br = Client::connect(&app.ws_url(blue_ring)).await;
    br.edit(|p, t| {
        p.tag_threat(t, &key("fraud"), true);
        p.add_action(
            t,
            &NewAction {
                owner_agency: "Northshire Police".into(),
                ..action(&[P::Pursue], "Interview", RagStatus::Amber)
            },
        )
        .unwrap();
    });
    let cl = Client::connect(&app.ws_as(closed, &sam_cookie)).await;
    cl.edit(|p, t| {
        p.tag_threat(t, &key("county-lines"), true);
        p.set_last_review(t, day(400));
        p.add_action(
            t,
            &NewAction {
                target_date: day(1),
                ..action(&[P::Pursue], "Closure order", RagStatus::Red)
            },
        )
        .unwrap();
    });
    let fixture = Fixture {
        app,
        red_kings,
        blue_ring,
        closed,
        lead,
        pat,
    };
    // Each room writes facts after its edits are durable, then tells the feed.
    wait_for(&fixture, &mut feed, |v| {
        v["portfolio"]["total"]["rag"]["red"] == 2 && v["portfolio"]["total"]["rag"]["amber"] == 2
    })
    .await;
    fixture
}

async fn view(app: &TestApp, client: &reqwest::Client, query: &str) -> Value {
    let response = client
        .get(app.url(&format!("/api/portfolio?{query}")))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200, "{query}");
    response.json().await.unwrap()
}

/// Reads the portfolio again after each change the feed reports, until
/// `ready` holds (bounded by the feed's patience).
async fn wait_for(f: &Fixture, feed: &mut PlanChanges, ready: impl Fn(&Value) -> bool) -> Value {
    loop {
        let v = view(&f.app, &f.lead, "").await;
        if ready(&v) {
            return v;
        }
        feed.next().await;
    }
}

fn threat<'a>(v: &'a Value, key: &str) -> &'a Value {
    v["portfolio"]["areas"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|a| a["threats"].as_array().unwrap())
        .find(|t| t["key"] == key)
        .unwrap_or_else(|| panic!("a row for {key}"))
}

#[tokio::test]
async fn figures_per_threat_follow_the_fixture_and_the_period() {
    let f = fixture().await;
    let v = view(&f.app, &f.lead, "").await;
    assert_eq!(v["portfolio"]["whole_region"], true);
    let cl = &threat(&v, "county-lines")["figures"];
    assert_eq!(cl["plans"], 2);
    assert_eq!(cl["tiers"], serde_json::json!([0, 2, 0, 0, 0]));
    assert_eq!((cl["ocg"].clone(), cl["pi"].clone()), (2.into(), 0.into()));
    assert_eq!(
        cl["rag"],
        serde_json::json!({ "red": 2, "amber": 1, "green": 1, "unset": 0 })
    );
    assert_eq!(
        cl["overdue_actions"], 2,
        "two RED actions past their target date; the GREEN one is done"
    );
    assert_eq!(
        cl["overdue_reviews"], 1,
        "Operation Closed was last reviewed 400 days ago"
    );
    // MAJOR and MINOR in the last twelve months; the NONE one is 800 days old.
    assert_eq!(cl["disruptions"], serde_json::json!([1, 0, 1, 0, 0]));
    assert_eq!(threat(&v, "fraud")["figures"]["pi"], 1);
    assert_eq!(v["portfolio"]["total"]["plans"], 4);
    assert_eq!(v["portfolio"]["untagged"]["plans"], 1);
    let idle: Vec<&str> = v["portfolio"]["idle_threats"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t[0].as_str().unwrap())
        .collect();
    assert_eq!(
        idle,
        ["soc-consistency", "prison-soc", "csae", "msht", "oic", "cyber-crime"]
    );

    // A period covering only the old assessment.
    let from = (today() - Duration::days(900)).to_string();
    let to = (today() - Duration::days(700)).to_string();
    let old = view(&f.app, &f.lead, &format!("from={from}&to={to}")).await;
    assert_eq!(
        threat(&old, "county-lines")["figures"]["disruptions"],
        serde_json::json!([0, 0, 0, 1, 0])
    );

    // Filters: an agency's own actions; a tier; a management model.
    let council = view(&f.app, &f.lead, "agency=northshire%20council").await;
    assert_eq!(
        (
            council["portfolio"]["total"]["plans"].clone(),
            council["portfolio"]["total"]["rag"]["red"].clone()
        ),
        (1.into(), 1.into())
    );
    let tier3 = view(&f.app, &f.lead, "tier=3").await;
    assert_eq!(tier3["portfolio"]["total"]["plans"], 1);
    let national = view(&f.app, &f.lead, "model=national").await;
    assert_eq!(national["portfolio"]["total"]["plans"], 1);

    let bad = f.lead.get(f.app.url("/api/portfolio?tier=9")).send().await.unwrap();
    assert_eq!(bad.status(), 422);
    assert_eq!(
        bad.json::<Value>().await.unwrap()["error"],
        "tier: must be 1, 2, 3 or 4"
    );
}

#[tokio::test]
async fn plans_are_named_only_to_their_members_in_the_page_the_api_and_the_csv() {
    let f = fixture().await;
    let hidden = ["Operation Closed", &f.closed.to_string()].map(String::from);
    // The lead counts every plan but is a member of Red Kings only.
    let drill = view(&f.app, &f.lead, "list=county-lines&only=red").await;
    let lines = drill["portfolio"]["list"]["plans"].as_array().unwrap();
    assert_eq!(lines.len(), 2);
    assert_eq!(lines[0]["name"], "Red Kings");
    assert_eq!(lines[0]["id"], f.red_kings.to_string());
    assert_eq!(
        (lines[1]["name"].clone(), lines[1]["id"].clone()),
        (Value::Null, Value::Null)
    );
    let page = f
        .lead
        .get(f.app.url("/portfolio?list=county-lines&only=red"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        page.contains("Red Kings") && page.contains("A plan you are not a member of"),
        "the page lists both"
    );
    let csv = f
        .lead
        .get(f.app.url("/api/portfolio.csv?list=county-lines"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    for text in [drill.to_string(), page, csv.clone()] {
        for secret in &hidden {
            assert!(!text.contains(secret.as_str()), "{secret} leaked");
        }
    }
    assert!(
        csv.starts_with("\"OFFICIAL-SENSITIVE\"\n") && csv.ends_with("\"OFFICIAL-SENSITIVE\"\n"),
        "{csv}"
    );
    assert!(csv.contains("\"Commodity\",\"County Lines\",\"Force-led, ROCU assisted\""));

    // Pat, a partner on Red Kings only, sees only its figures.
    let v = view(&f.app, &f.pat, "").await;
    assert_eq!(v["portfolio"]["whole_region"], false);
    assert_eq!(v["portfolio"]["total"]["plans"], 1);
    assert_eq!(
        threat(&v, "county-lines")["figures"]["rag"],
        serde_json::json!({ "red": 1, "amber": 1, "green": 1, "unset": 0 })
    );
    assert!(threat(&v, "fraud")["figures"]["plans"] == 0);
    let text = v.to_string();
    for secret in hidden
        .iter()
        .chain([&"Blue Ring".to_string(), &f.blue_ring.to_string()])
    {
        assert!(!text.contains(secret.as_str()), "{secret} reached Pat");
    }
    let pat_csv = f
        .pat
        .get(f.app.url("/api/portfolio.csv"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(pat_csv.contains("your plans only"));
}

/// The `<rect>`s of the monthly chart: (month, level, count).
fn monthly_bars(page: &str) -> Vec<(String, String, String)> {
    let attr = |tag: &str, name: &str| {
        let start = tag.find(&format!("{name}=\""))? + name.len() + 2;
        Some(tag[start..][..tag[start..].find('"')?].to_string())
    };
    page.split("<rect")
        .skip(1)
        .filter_map(|rest| {
            let tag = &rest[..rest.find('>')?];
            Some((
                attr(tag, "data-month")?,
                attr(tag, "data-level")?,
                attr(tag, "data-count")?,
            ))
        })
        .collect()
}

#[tokio::test]
async fn the_chart_has_a_bar_per_month_and_level_and_each_threat_a_rag_bar() {
    let f = fixture().await;
    let page = f
        .lead
        .get(f.app.url("/portfolio"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(page.contains("OFFICIAL-SENSITIVE"));
    let month = |days: i64| (today() - Duration::days(days)).format("%Y-%m").to_string();
    let mut bars = monthly_bars(&page);
    bars.sort();
    let mut expected = vec![
        (month(60), "MAJOR".to_string(), "1".to_string()),
        (month(0), "MINOR".to_string(), "1".to_string()),
    ];
    expected.sort();
    assert_eq!(
        bars, expected,
        "one bar per assessed month and level; the 800-day-old one is off the chart"
    );
    let row = &page[page.find("data-threat=\"county-lines\"").expect("a county lines row")..];
    let row = &row[..row.find("</tr>").unwrap()];
    for part in [
        "data-red=\"2\"",
        "data-amber=\"1\"",
        "data-green=\"1\"",
        "data-status=\"RED\" data-count=\"2\"",
        "data-status=\"GREEN\" data-count=\"1\"",
    ] {
        assert!(row.contains(part), "{part} in {row}");
    }
}

#[tokio::test]
async fn figures_follow_edits_and_are_rebuilt_for_plans_without_them() {
    let f = fixture().await;
    let mut feed = PlanChanges::open_for(&f.lead, &f.app.url("/api/portfolio/changes"), "portfolio").await;
    let rk = Client::connect(&f.app.ws_url(f.red_kings)).await;
    let ids: Vec<String> = rk.edit(|p, t| p.actions(t).into_iter().map(|a| a.id).collect());
    rk.edit(|p, t| {
        for id in &ids {
            p.change_action(t, id, &plan::ActionChange::Status(RagStatus::Green))
                .unwrap();
        }
    });
    let v = wait_for(&f, &mut feed, |v| {
        threat(v, "county-lines")["figures"]["rag"]["green"] == 3
    })
    .await;
    assert_eq!(
        threat(&v, "county-lines")["figures"]["overdue_actions"],
        1,
        "only Operation Closed's is overdue now"
    );

    // Facts lost (as for plans made before the portfolio): rebuilt at start.
    sqlx::query("DELETE FROM portfolio_actions")
        .execute(&f.app.pool)
        .await
        .unwrap();
    sqlx::query("DELETE FROM portfolio_plans")
        .execute(&f.app.pool)
        .await
        .unwrap();
    let Fixture { app, lead, .. } = f;
    let app = app.restart().await;
    let f = Fixture {
        lead: lead.clone(),
        pat: lead,
        red_kings: Uuid::nil(),
        blue_ring: Uuid::nil(),
        closed: Uuid::nil(),
        app,
    };
    let mut feed = PlanChanges::open_for(&f.lead, &f.app.url("/api/portfolio/changes"), "portfolio").await;
    let v = wait_for(&f, &mut feed, |v| v["portfolio"]["total"]["plans"] == 4).await;
    assert_eq!(threat(&v, "county-lines")["figures"]["rag"]["green"], 3);
}

#[tokio::test]
async fn the_pages_server_function_answers_as_the_api_does() {
    let f = fixture().await;
    let call = |body: &'static str| {
        let request = f
            .lead
            .post(f.app.url("/api/fn/portfolio"))
            .header("content-type", "application/x-www-form-urlencoded")
            .body(body);
        async move {
            let response = request.send().await.unwrap();
            assert_eq!(response.status(), 200);
            let answer: plan::portfolio::PortfolioView = integration_tests::fn_answer(response).await;
            serde_json::to_value(answer).unwrap()
        }
    };
    assert_eq!(call("").await, view(&f.app, &f.lead, "").await);
    assert_eq!(call("query[tier]=3").await["portfolio"]["total"]["plans"], 1);
}
