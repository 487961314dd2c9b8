//! Comments that cannot be taken are refused with a clear message, and
//! nothing is stored.

use super::{plan_with_aim, post, stored};
use integration_tests::PAT;
use plan::comments::Anchor;
use plan::Section;
use serde_json::{json, Value};

#[tokio::test]
async fn empty_oversized_misplaced_and_stray_comments_are_refused_and_nothing_is_stored() {
    let (app, plan, lro) = plan_with_aim("Disrupt the supply", "partner").await;
    lro.edit(|p, t| p.set_section_text(t, Section::Partnerships, "Council, HMRC"));
    let other_plan = app.create_plan("Operation Elsewhere").await;
    let elsewhere: Value = post(&app, &app.http, other_plan, json!({ "body": "On another plan" }))
        .await
        .json()
        .await
        .unwrap();
    // Positions in the partnerships text, claimed for the aim.
    let Anchor::Range { start, end, .. } = lro.edit(|p, t| Anchor::range(p, t, Section::Partnerships, 0, 7).unwrap())
    else {
        unreachable!()
    };
    let outside = Anchor::Range {
        section: "aim".into(),
        start,
        end,
    };
    let pat = app.client_for(PAT.email).await;
    let cases = [
        (json!({ "body": "   " }), "write something"),
        (json!({ "body": "x".repeat(10_001) }), "at most 10000 characters"),
        (
            json!({ "body": "?", "reply_to": elsewhere["id"] }),
            "no such comment on this plan",
        ),
        (json!({ "body": "?", "anchor": outside }), "not inside the section"),
        (
            json!({ "body": "?", "anchor": { "kind": "section", "section": "appendix" } }),
            "no section",
        ),
        (
            json!({ "body": "?", "anchor": { "kind": "action", "action": "a-404" } }),
            "no action",
        ),
    ];
    for (body, says) in cases {
        let answer = post(&app, &pat, plan, body.clone()).await;
        assert_eq!(answer.status(), 422, "{body}");
        let message = answer.text().await.unwrap();
        assert!(message.contains(says), "{message} should say {says}");
    }
    let garbled = post(
        &app,
        &pat,
        plan,
        json!({ "body": "?", "anchor": { "kind": "range", "section": "aim" } }),
    )
    .await;
    assert_eq!(garbled.status(), 400);
    assert_eq!(stored(&app, plan).await, (0, 0), "nothing stored");
}
