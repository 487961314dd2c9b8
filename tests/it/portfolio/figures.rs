//! The portfolio's figures per threat against the fixture: periods and
//! filters, following edits, rebuilt for plans without facts, and the
//! same through the pages' server function.

use super::{fixture, threat, today, view, wait_for, Fixture};
use chrono::Duration;
use integration_tests::events::PlanChanges;
use integration_tests::{Client, Fetch};
use plan::RagStatus;
use serde_json::Value;
use uuid::Uuid;

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

    let bad = f.lead.get(f.app.url("/api/portfolio?tier=9")).sent().await;
    assert_eq!(bad.status(), 422);
    assert_eq!(
        bad.json::<Value>().await.unwrap()["error"],
        "tier: must be 1, 2, 3 or 4"
    );
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
    f.app.sql("DELETE FROM portfolio_actions").await;
    f.app.sql("DELETE FROM portfolio_plans").await;
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
