//! Suggested changes: a partner or a viewer suggests, nothing changes
//! until a lead accepts; acceptance makes the change through the plan's
//! room, attributed to both; an outdated suggestion is not applied; a
//! partner cannot accept; a rejection keeps the suggestion and its reason.

use super::plan_with_aim;
use integration_tests::{TestApp, PAT, SAM};
use plan::comments::Anchor;
use plan::Section;
use serde_json::{json, Value};
use uuid::Uuid;

async fn suggest(app: &TestApp, by: &reqwest::Client, plan: Uuid, body: Value) -> reqwest::Response {
    by.post(app.url(&format!("/api/plans/{plan}/suggestions")))
        .json(&body)
        .send()
        .await
        .unwrap()
}

async fn decide(
    app: &TestApp,
    by: &reqwest::Client,
    plan: Uuid,
    id: &Value,
    how: &str,
    body: Value,
) -> reqwest::Response {
    let id = id.as_str().unwrap();
    by.post(app.url(&format!("/api/plans/{plan}/suggestions/{id}/{how}")))
        .json(&body)
        .send()
        .await
        .unwrap()
}

#[tokio::test]
async fn a_viewers_suggestion_changes_nothing_until_the_lro_accepts_it_through_the_room() {
    let (app, plan, lro) = plan_with_aim("Disrupt the supply of drugs", "viewer").await;
    let anchor = lro.edit(|p, t| Anchor::range(p, t, Section::Aim, 8, 18).unwrap());
    let pat = app.client_for(PAT.email).await;
    let made = suggest(
        &app,
        &pat,
        plan,
        json!({ "section": "aim", "text": "the county lines supply", "anchor": anchor }),
    )
    .await;
    assert_eq!(made.status(), 201);
    let made: Value = made.json().await.unwrap();
    assert_eq!(
        app.export(plan).await["sections"]["aim"],
        "Disrupt the supply of drugs",
        "not until accepted"
    );
    // A viewer cannot accept their own.
    assert_eq!(
        decide(&app, &pat, plan, &made["id"], "accept", json!({}))
            .await
            .status(),
        403
    );

    assert_eq!(
        decide(&app, &app.http, plan, &made["id"], "accept", json!({}))
            .await
            .status(),
        204
    );
    lro.wait_for_aim("the accepted change, live", "Disrupt the county lines supply of drugs")
        .await;
    assert_eq!(
        app.export(plan).await["sections"]["aim"],
        "Disrupt the county lines supply of drugs"
    );
    // Decided once.
    assert_eq!(
        decide(&app, &app.http, plan, &made["id"], "accept", json!({}))
            .await
            .status(),
        422
    );

    // The history names the suggester and the acceptor, and the edit.
    let history = app.get_text(&format!("/api/plans/{plan}/history?format=csv")).await;
    let suggested = history
        .lines()
        .find(|l| l.contains("Suggested change") && !l.contains("decided"));
    let suggested = suggested.unwrap_or_else(|| panic!("the suggestion in {history}"));
    assert!(suggested.contains(PAT.name), "{suggested}");
    let decided = history
        .lines()
        .find(|l| l.contains("accepted (suggested by"))
        .expect("the decision");
    assert!(decided.contains("Dee Lro") && decided.contains(PAT.name), "{decided}");
    let edit = history
        .lines()
        .find(|l| l.contains("county lines") && !l.contains("Suggested"));
    assert!(
        edit.is_some_and(|l| l.contains("Dee Lro")),
        "the edit, as the LRO's: {history}"
    );
}

#[tokio::test]
async fn an_outdated_suggestion_is_not_applied_and_a_rejection_keeps_its_reason() {
    let (app, plan, lro) = plan_with_aim("Disrupt the supply of drugs", "partner").await;
    let anchor = lro.edit(|p, t| Anchor::range(p, t, Section::Aim, 8, 18).unwrap());
    let pat = app.client_for(PAT.email).await;
    let replace: Value = suggest(
        &app,
        &pat,
        plan,
        json!({ "section": "aim", "text": "the trade", "anchor": anchor }),
    )
    .await
    .json()
    .await
    .unwrap();
    let paragraph: Value = suggest(
        &app,
        &pat,
        plan,
        json!({ "section": "aim", "text": "Protect the young people." }),
    )
    .await
    .json()
    .await
    .unwrap();
    // The words change under the suggestion.
    lro.edit(|p, t| p.set_section_text(t, Section::Aim, "Disrupt the whole supply of drugs"));
    let check = integration_tests::Client::connect(&app.ws_url(plan)).await;
    check
        .wait_for_aim("the LRO's edit", "Disrupt the whole supply of drugs")
        .await;
    let outdated = decide(&app, &app.http, plan, &replace["id"], "accept", json!({})).await;
    assert_eq!(outdated.status(), 422);
    assert!(outdated.text().await.unwrap().contains("outdated"));
    assert_eq!(
        app.export(plan).await["sections"]["aim"],
        "Disrupt the whole supply of drugs"
    );

    assert_eq!(
        decide(
            &app,
            &app.http,
            plan,
            &paragraph["id"],
            "reject",
            json!({ "reason": " " })
        )
        .await
        .status(),
        422
    );
    let rejected = decide(
        &app,
        &app.http,
        plan,
        &paragraph["id"],
        "reject",
        json!({ "reason": "Covered by Protect" }),
    )
    .await;
    assert_eq!(rejected.status(), 204);
    let listed: Vec<Value> = app.get_json(&format!("/api/plans/{plan}/suggestions")).await;
    let kept = listed.iter().find(|s| s["id"] == paragraph["id"]).unwrap();
    assert_eq!(
        kept["decision"],
        "Rejected by Dee Lro (Northshire Police): Covered by Protect"
    );
    assert_eq!(kept["proposed"], "Protect the young people.");
    assert!(
        listed.iter().find(|s| s["id"] == replace["id"]).unwrap()["decision"].is_null(),
        "still open"
    );
}

#[tokio::test]
async fn suggestions_are_for_members_and_bad_ones_are_refused_with_nothing_stored() {
    let (app, plan, lro) = plan_with_aim("Disrupt the supply", "partner").await;
    let sam = app.client_for(SAM.email).await;
    assert_eq!(
        suggest(&app, &sam, plan, json!({ "section": "aim", "text": "Mine" }))
            .await
            .status(),
        404
    );
    let anchor = lro.edit(|p, t| Anchor::range(p, t, Section::Aim, 0, 7).unwrap());
    let pat = app.client_for(PAT.email).await;
    let cases = [
        (json!({ "section": "appendix", "text": "x" }), "no section"),
        (json!({ "section": "aim", "text": "  " }), "write the paragraph"),
        (json!({ "section": "aim", "text": "x".repeat(10_001) }), "at most 10000"),
        (
            json!({ "section": "partnerships", "text": "x", "anchor": anchor }),
            "of its own section",
        ),
    ];
    for (body, says) in cases {
        let answer = suggest(&app, &pat, plan, body.clone()).await;
        assert_eq!(answer.status(), 422, "{body}");
        assert!(answer.text().await.unwrap().contains(says), "{body} should say {says}");
    }
    let count = app
        .count_for("SELECT count(*) FROM plan_suggestions WHERE plan_id = $1", plan)
        .await;
    assert_eq!(count, 0);
}
