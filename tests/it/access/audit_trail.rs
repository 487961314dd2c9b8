//! The audit trail names who changed what, as JSON and CSV for the LRO
//! only, and the database refuses to rewrite or erase it.

use super::{member, plan_with_actions, COUNCIL};
use integration_tests::{spawn_app, Client, Fetch};
use plan::{ActionChange, RagStatus, Section};

#[tokio::test]
async fn the_audit_trail_names_who_changed_what_and_cannot_be_rewritten() {
    let app = spawn_app().await;
    let (plan, _, council) = plan_with_actions(&app).await;
    let partner = member(&app, plan, "pat@council.gov.uk", COUNCIL, "partner").await;
    let pat = Client::connect(&app.ws_as(plan, &partner)).await;
    pat.edit(|p, t| {
        p.change_action(t, &council, &ActionChange::Status(RagStatus::Amber))
            .unwrap()
    });
    let lro = Client::connect(&app.ws_url(plan)).await;
    lro.wait_for_doc("Pat's status", |p| {
        p.action(&p.transact(), &council).unwrap().status == Some(RagStatus::Amber)
    })
    .await;
    lro.edit(|p, t| p.set_section_text(t, Section::Aim, "Dismantle"));
    pat.wait_for_aim("the aim", "Dismantle").await;

    let history = app.url(&format!("/api/plans/{plan}/history"));
    let trail: serde_json::Value = app.http.get(&history).json_body().await;
    assert_eq!(trail["marking"], "OFFICIAL-SENSITIVE");
    let entries = trail["entries"].as_array().unwrap();
    let by = |field: &str| {
        entries
            .iter()
            .find(|e| e["changes"].as_array().unwrap().iter().any(|c| c["field"] == field))
            .unwrap_or_else(|| panic!("no entry for {field}: {entries:?}"))
    };
    let status = by(&format!("action:{council}:status"));
    assert_eq!(status["user"], "pat@council.gov.uk");
    assert_eq!(status["agency"], COUNCIL);
    assert_eq!(status["changes"][0]["old"], "RED");
    assert_eq!(status["changes"][0]["new"], "AMBER");
    assert_eq!(
        status["changes"][0]["what"],
        format!("Action “{COUNCIL} task”: Status"),
        "the change is named as the page names it"
    );
    let aim = by("aim");
    assert_eq!(aim["user"], "Dee Lro");
    assert_eq!(aim["changes"][0]["new"], "Dismantle");
    assert!(
        by(&format!("action:{council}"))["user"] == "Dee Lro",
        "the LRO added the action"
    );

    let csv = app.http.get(format!("{history}?format=csv")).sent().await;
    assert!(csv.headers()["content-disposition"]
        .to_str()
        .unwrap()
        .contains("attachment"));
    let csv = csv.text().await.unwrap();
    assert!(csv.starts_with("OFFICIAL-SENSITIVE\n") && csv.trim_end().ends_with("OFFICIAL-SENSITIVE"));
    assert!(csv.contains(&format!(
        r#""pat@council.gov.uk","Northshire Council","Action “{COUNCIL} task”: Status","action:{council}:status","RED","AMBER""#
    )));

    let as_partner = app.client_as(&partner).get(&history).sent().await;
    assert_eq!(as_partner.status(), 403, "only the LRO reads the trail");
    let rewrite = sqlx::query("UPDATE plan_changes SET changes = '[]'")
        .execute(&app.pool)
        .await;
    assert!(rewrite.is_err(), "the database refuses to rewrite the trail");
    let erase = sqlx::query("DELETE FROM plan_changes").execute(&app.pool).await;
    assert!(erase.is_err(), "or to erase it");
}
