//! The disruption return through the REST API: for LROs only, its CSV
//! marked, defused, recorded and reproducible; "mark submitted" admitted
//! by each plan's gate.

use super::{eventually, fixture, get, last_history_entry};
use integration_tests::{Client, Fetch};
use serde_json::Value;
use uuid::Uuid;

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
    let unknown = format!("/api/plans/{}/disruptions", Uuid::new_v4());
    assert_eq!(get(&f, &f.app.http, &unknown).await.0, 404);
    assert!(
        get(&f, &f.pat, "/api/disruptions").await.1["rows"]
            .as_array()
            .unwrap()
            .is_empty(),
        "a partner leads no plan"
    );

    // A GET never records a return (a link, a prefetch, an <img>).
    let get_csv = f.app.http.get(f.app.url("/api/disruptions?format=csv")).sent().await;
    assert_eq!(get_csv.status(), 422);
    let response = f
        .app
        .http
        .post(f.app.url("/api/disruptions/returns?format=csv"))
        .json(&serde_json::json!({}))
        .sent()
        .await;
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
    let holds = |line: &str, cells: [&str; 3]| cells.iter().all(|cell| line.contains(cell));
    let defused = ["\"'=cmd|' /C calc'!A0\"", "\"'@Dee\"", "\"MAJOR\""];
    assert!(holds(lines[3], defused), "{}", lines[3]);
    let licence = ["\"Alder licence review\"", "\"Northshire Council\"", "\"PREVENT\""];
    assert!(holds(lines[4], licence), "{}", lines[4]);

    // Recorded: produced again exactly, even once submitted; only for its maker.
    let id = lines[1]
        .split(';')
        .next()
        .unwrap()
        .trim_start_matches("\"Disruption return ")
        .to_string();
    assert_eq!(
        f.app
            .post_json("/api/disruptions/submit", &serde_json::json!({}))
            .await
            .status(),
        200
    );
    let again = f
        .app
        .http
        .get(f.app.url(&format!("/api/disruptions/returns/{id}?format=csv")))
        .text_body()
        .await;
    assert_eq!(again, csv);
    let (status, recorded) = get(&f, &f.app.http, &format!("/api/disruptions/returns/{id}")).await;
    assert_eq!((status, recorded["rows"].as_array().unwrap().len()), (200, 3));
    assert_eq!(get(&f, &f.pat, &format!("/api/disruptions/returns/{id}")).await.0, 404);
    let unknown = format!("/api/disruptions/returns/{}", Uuid::new_v4());
    assert_eq!(get(&f, &f.app.http, &unknown).await.0, 404);
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
