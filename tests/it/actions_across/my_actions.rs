//! `/my-actions` through the REST API: a partner's rows across plans, and
//! their edits admitted by each plan's gate, audited and live.

use super::{eventually, fixture, get, last_history_entry, named, texts};
use integration_tests::{Client, Fetch};
use plan::{Disruption, RagStatus};
use serde_json::Value;
use uuid::Uuid;

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
            .sent()
            .await
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
