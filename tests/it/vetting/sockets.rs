//! Open connections follow vetting: raising a plan's level closes the
//! sockets of the members below it (4403) and no one else's; a lapse by
//! time passing closes a socket through the sweep.

use super::{in_days, vetted};
use integration_tests::{Client, Fetch, PAT, SAM};
use plan::Section;
use serde_json::Value;

#[tokio::test]
async fn raising_a_plans_level_closes_the_sockets_of_members_below_it_and_no_one_elses() {
    let v = vetted("partner", 3600).await;
    v.app.make_member(v.plan, SAM.email, "viewer").await;
    v.vet(v.pat, "NPPV1", &in_days(365)).await;
    v.vet(v.sam, "NPPV2", &in_days(365)).await;
    let pat = Client::connect(&v.app.ws_as(v.plan, &v.app.session_for(PAT.email).await)).await;
    let sam = Client::connect(&v.app.ws_as(v.plan, &v.app.session_for(SAM.email).await)).await;
    let lro = Client::connect(&v.app.ws_url(v.plan)).await;

    // A viewer may not raise it; the LRO may.
    let sam_http = v.app.client_for(SAM.email).await;
    assert_eq!(super::raise(&v.app, &sam_http, v.plan, "NPPV2").await.status(), 403);
    v.raise_to("NPPV2").await;

    let (code, reason) = pat.closed().await;
    assert_eq!(code, 4403, "Pat, NPPV1, is closed at once: {reason}");
    lro.edit(|p, t| p.set_section_text(t, Section::Aim, "Dismantle the Yew network"));
    sam.wait_for_aim("the LRO's edit after the raise", "Dismantle the Yew network")
        .await;
    assert_eq!(sam.seen().closed, None, "Sam, NPPV2, stays connected");

    // The raise is in the plan's history: who, when, old and new.
    let history: Value = v.read("history").await;
    let entries = history["entries"].as_array().unwrap();
    let raised = entries
        .iter()
        .find(|e| e["changes"][0]["field"] == "vetting")
        .unwrap_or_else(|| panic!("a vetting entry in {history}"));
    assert_eq!(raised["user"], integration_tests::USER_NAME, "{raised}");
    let change = &raised["changes"][0];
    assert_eq!(
        (change["old"].as_str(), change["new"].as_str()),
        (Some(""), Some("NPPV2"))
    );
    assert_eq!(change["what"], "Vetting the plan needs");
    let csv = v
        .app
        .get_text(&format!("/api/plans/{}/history?format=csv&for=Audit", v.plan))
        .await;
    assert!(
        csv.contains("\"Vetting the plan needs\",\"vetting\",\"\",\"NPPV2\""),
        "{csv}"
    );
}

#[tokio::test]
async fn a_lapse_by_time_closes_an_open_socket() {
    // The sweep runs every second here (a minute by default).
    let v = vetted("partner", 1).await;
    v.raise_to("NPPV2").await;
    let soon = (chrono::Utc::now() + chrono::Duration::seconds(3)).to_rfc3339();
    v.vet(v.pat, "NPPV2", &soon).await;
    let pat = Client::connect(&v.app.ws_as(v.plan, &v.app.session_for(PAT.email).await)).await;
    let http = v.app.client_for(PAT.email).await;
    let before = http.get(v.app.url(&format!("/api/plans/{}", v.plan))).sent().await;
    assert_eq!(before.status(), 200, "in date for now");

    let (code, reason) = pat.closed().await;
    assert_eq!(code, 4403, "closed when the vetting lapsed: {reason}");
    let after = http.get(v.app.url(&format!("/api/plans/{}", v.plan))).sent().await;
    assert_eq!(after.status(), 404, "and shut out");
}

#[tokio::test]
async fn a_change_of_vetting_on_one_node_closes_the_socket_on_another() {
    let v = vetted("partner", 3600).await;
    let other = v.app.another_node().await;
    v.raise_to("NPPV2").await;
    v.vet(v.pat, "NPPV2", &in_days(365)).await;
    let cookie = v.app.session_for(PAT.email).await;
    let pat = Client::connect(&other.ws_as(v.plan, &cookie)).await;
    v.vet(v.pat, "NPPV1", &in_days(365)).await;
    let (code, reason) = pat.closed().await;
    assert_eq!(code, 4403, "closed on the other node too: {reason}");
}
