//! What a plan needs follows its marking: a new marking that needs more
//! closes the sockets of members it shuts out at once; an LRO adding (or
//! handing over to) someone below the plan's level is told the level it
//! needs; the LRO may raise the level, never below the marking's.

use super::{in_days, page_call, raise, vetted};
use integration_tests::{Client, PAT, SAM};
use plan::SecurityMarking;
use serde_json::json;

#[tokio::test]
async fn a_marking_that_needs_more_shuts_members_out_and_adding_one_below_it_is_refused_with_the_level() {
    // The sweep is an hour away: what happens here happens at once.
    let v = vetted("partner", 3600).await;
    let pat = Client::connect(&v.app.ws_as(v.plan, &v.app.session_for(PAT.email).await)).await;
    let lro = Client::connect(&v.app.ws_url(v.plan)).await;
    lro.edit(|p, t| p.set_marking(t, SecurityMarking::OfficialSensitiveOperational));
    let (code, reason) = pat.closed().await;
    assert_eq!(
        code, 4403,
        "Pat, not vetted, is closed when the marking needs NPPV2: {reason}"
    );
    assert_eq!(lro.seen().closed, None, "the LRO, NPPV3, stays");

    // Adding Sam, not vetted: refused, naming the level.
    let members = format!("/api/plans/{}/members", v.plan);
    let add = json!({ "email": SAM.email, "role": "viewer" });
    let refused = v.app.put_json(&members, &add).await;
    assert_eq!(refused.status(), 422);
    let said = refused.text().await.unwrap();
    assert!(said.contains("this plan needs NPPV2 vetting"), "{said}");
    let form = [
        ("plan", v.plan.to_string()),
        ("email", SAM.email.into()),
        ("role", "viewer".into()),
    ];
    let by_page = page_call(&v.app, &v.app.http, "set_plan_member", &form).await;
    assert!(by_page.text().await.unwrap().contains("this plan needs NPPV2 vetting"));
    let hand_over = json!({ "email": SAM.email, "then": "plan_owner" });
    let handed = v
        .app
        .post_json(&format!("/api/plans/{}/handover", v.plan), &hand_over)
        .await;
    assert_eq!(handed.status(), 422);
    assert!(handed.text().await.unwrap().contains("NPPV2"));
    let listed: serde_json::Value = v.app.get(&members).await.json().await.unwrap();
    assert_eq!(listed.as_array().unwrap().len(), 2, "Dee and Pat, no Sam: {listed}");

    // Vetted NPPV1, still refused; NPPV2, added.
    v.vet(v.sam, "NPPV1", &in_days(365)).await;
    assert_eq!(v.app.put_json(&members, &add).await.status(), 422);
    v.vet(v.sam, "NPPV2", &in_days(365)).await;
    assert_eq!(v.app.put_json(&members, &add).await.status(), 200);

    // The LRO may not set the plan below what its marking implies.
    for below in ["NPPV1", "none"] {
        let refused = raise(&v.app, &v.app.http, v.plan, below).await;
        assert_eq!(refused.status(), 422, "{below}");
        let said = refused.text().await.unwrap();
        assert!(
            said.contains("OFFICIAL-SENSITIVE-OPERATIONAL, which needs NPPV2 at least"),
            "{said}"
        );
    }
    let needs: serde_json::Value = v.read("vetting").await;
    assert_eq!(
        (&needs["needs"], &needs["implied"], &needs["raised"]),
        (&"NPPV2".into(), &"NPPV2".into(), &json!(null))
    );
    assert_eq!(needs["choices"], json!(["NPPV2", "NPPV3"]));
    // Nor above their own vetting.
    v.app
        .sql("UPDATE users SET vetting_level = 'NPPV2' WHERE email = 'lro@northshire.police.uk'")
        .await;
    let over = raise(&v.app, &v.app.http, v.plan, "NPPV3").await;
    assert_eq!(over.status(), 422);
    assert!(over.text().await.unwrap().contains("shut yourself out"));
}
