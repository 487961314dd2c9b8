//! The regional portfolio against a fixture of plans with known counts:
//! figures per threat, disruption periods, overdue dates, need-to-know (in
//! the page, the API and the CSV), the SVG's bars, and figures following
//! edits without re-reading documents.

use chrono::{Duration, NaiveDate, Utc};
use integration_tests::events::PlanChanges;
use integration_tests::{spawn_app, Client, Fetch, TestApp};
use plan::{Disruption, NewAction, RagStatus, P};
use serde_json::Value;
use uuid::Uuid;

const LEAD: &str = "lead@rocu.police.uk";
const PAT: &str = "pat@council.gov.uk";
const SAM: &str = "sam@eastshire.police.uk";

mod chart;
mod figures;
mod need_to_know;

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
    let response = client.post(app.url("/api/plans")).json(&body).sent().await;
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
    let lead = app.client_for(LEAD).await;
    let pat = app.client_for(PAT).await;
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
        assert!(dee.put(url).json(&body).sent().await.status().is_success());
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
    let response = client.get(app.url(&format!("/api/portfolio?{query}"))).sent().await;
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
