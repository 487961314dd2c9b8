//! Only administrators and vetting officers set vetting (nobody their own),
//! every change is recorded (who, whom, old, new, when), and anyone else
//! trying changes nothing.

use super::{in_days, page_call, set_vetting, vetted};
use integration_tests::{fn_answer, Fetch, SAM};
use serde_json::Value;

const VIC: &str = "vic@northshire.police.uk";

#[tokio::test]
async fn only_administrators_and_vetting_officers_change_vetting_and_every_change_is_recorded() {
    let v = vetted("partner", 3600).await;
    let app = &v.app;
    let recorded = || async {
        sqlx::query_scalar::<_, i64>("SELECT count(*) FROM vetting_changes")
            .fetch_one(&app.pool)
            .await
            .unwrap()
    };
    assert_eq!(recorded().await, 1, "Dee's vetting, set by Ada");

    // Dee, an LRO but neither administrator nor vetting officer, is refused
    // by the API and by the page's server functions, and changes nothing.
    let refused = set_vetting(app, &app.http, v.pat, "NPPV3", Some(&in_days(30))).await;
    assert_eq!(refused.status(), 403);
    assert!(refused
        .text()
        .await
        .unwrap()
        .contains("only administrators and vetting officers"));
    let form = [
        ("user", v.pat.to_string()),
        ("level", "NPPV3".into()),
        ("expires", "2030-01-01".into()),
    ];
    let by_page = page_call(app, &app.http, "set_vetting", &form).await;
    assert!(!by_page.status().is_success());
    assert!(by_page
        .text()
        .await
        .unwrap()
        .contains("only administrators and vetting officers"));
    let dee = app.user_id(integration_tests::USER_EMAIL).await;
    let grant = [("user", dee.to_string()), ("on", "true".into())];
    let self_granted = page_call(app, &app.http, "set_vetting_officer", &grant).await;
    assert!(self_granted.text().await.unwrap().contains("Only administrators"));
    assert_eq!(app.get("/api/vetting").await.status(), 403);
    assert_eq!(app.get("/api/vetting/changes").await.status(), 403);
    // Pat's vetting, and whether Dee is a vetting officer, as stored.
    let (pat_level, dee_officer): (Option<String>, bool) =
        sqlx::query_as("SELECT p.vetting_level, d.vetting_officer FROM users p, users d WHERE p.id = $1 AND d.id = $2")
            .bind(v.pat)
            .bind(dee)
            .fetch_one(&app.pool)
            .await
            .unwrap();
    assert_eq!((pat_level, dee_officer), (None, false), "nothing changed");
    assert_eq!(recorded().await, 1, "nothing recorded");

    // Ada makes Vic a vetting officer; Vic sets Pat's vetting, not their own.
    let vic = app.add_user(VIC, "Vic Vetter", "Northshire Police").await.id;
    let grant = [("user", vic.to_string()), ("on", "true".into())];
    let granted = page_call(app, &v.admin, "set_vetting_officer", &grant).await;
    assert!(granted.status().is_success(), "{}", granted.text().await.unwrap());
    let vic_http = app.client_for(VIC).await;
    let set = set_vetting(app, &vic_http, v.pat, "nppv2", Some("2027-06-30")).await;
    assert_eq!(set.status(), 200);
    let set: Value = set.json().await.unwrap();
    assert_eq!(
        (&set["level"], &set["expires_at"]),
        (&"NPPV2".into(), &"2027-06-30T00:00:00Z".into())
    );
    let own = set_vetting(app, &vic_http, vic, "NPPV3", Some("2027-06-30")).await;
    assert_eq!(own.status(), 403, "nobody sets their own");
    let unknown = set_vetting(app, &vic_http, v.pat, "SC", Some("2027-06-30")).await;
    assert_eq!(unknown.status(), 422);
    assert!(unknown.text().await.unwrap().contains("none, NPPV1, NPPV2, NPPV3"));
    let no_expiry = set_vetting(app, &vic_http, v.pat, "NPPV3", None).await;
    assert_eq!(no_expiry.status(), 422, "vetting always expires");
    assert_eq!(set_vetting(app, &vic_http, v.pat, "none", None).await.status(), 200);

    // The record, newest first: who, whom, old and new.
    let changes: Value = v.admin.get(app.url("/api/vetting/changes")).json_body().await;
    let changes = changes.as_array().unwrap();
    assert_eq!(changes.len(), 3, "{changes:?}");
    assert_eq!(changes[0]["by"], "Vic Vetter (Northshire Police)");
    assert_eq!(changes[0]["whom"], "Pat Partner (Northshire Council)");
    assert_eq!(
        changes[0]["old"],
        serde_json::json!({ "level": "NPPV2", "expires_at": "2027-06-30T00:00:00Z" })
    );
    assert_eq!(
        changes[0]["new"],
        serde_json::json!({ "level": null, "expires_at": null })
    );
    assert_eq!(changes[1]["old"]["level"], Value::Null);
    assert_eq!(changes[1]["new"]["level"], "NPPV2");
    assert_eq!(changes[2]["by"], "Ada Admin (Northshire Police)");
    assert!(changes.iter().all(|c| c["at"].is_string()));
    let pats: Value = vic_http
        .get(app.url(&format!("/api/vetting/changes?user={}", v.pat)))
        .json_body()
        .await;
    assert_eq!(pats.as_array().unwrap().len(), 2);
    assert_eq!(recorded().await, 3);

    // Auditors read the record too.
    app.state
        .accounts
        .set_flag(v.sam, app::admin::AccountFlag::Auditor, true)
        .await
        .unwrap();
    let auditor = app.client_for(SAM.email).await;
    assert_eq!(auditor.get(app.url("/api/vetting/changes")).sent().await.status(), 200);

    // The administration page's vetting section, for Vic (no administrator).
    let answer = page_call(app, &vic_http, "people_vetting", &[]).await;
    let directory: app::vetting::VettingDirectory = fn_answer(answer).await;
    assert!(!directory.grants_officers);
    assert_eq!(directory.levels, ["none", "NPPV1", "NPPV2", "NPPV3"]);
    assert_eq!(directory.changes.len(), 3);
    assert_eq!(directory.changes[1].new, "NPPV2 until 2027-06-30 00:00 UTC");
    let page = vic_http.get(app.url("/admin")).text_body().await;
    assert!(
        page.contains("Changes of vetting") && page.contains("Pat Partner"),
        "the page's vetting section"
    );
}
