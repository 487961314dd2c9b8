//! The auditor (professional standards) searches the whole log by user,
//! plan, agency and dates, and exports it as CSV with the marking; both are
//! themselves entries. Nobody else may.

use super::entries;
use integration_tests::{spawn_app_with_plan, Fetch, TestApp, PAT, SAM};
use plan::access_log::{AccessEntry, AccessKind};

async fn auditor(app: &TestApp) -> reqwest::Client {
    let sam = app.add_person(&SAM).await;
    app.state
        .accounts
        .set_flag(sam.id, app::admin::AccountFlag::Auditor, true)
        .await
        .unwrap();
    app.client_for(SAM.email).await
}

#[tokio::test]
async fn an_auditor_searches_by_user_plan_agency_and_dates_and_nobody_else_may() {
    let (app, plan) = spawn_app_with_plan("Operation Juniper").await;
    let other = app.create_plan("Operation Larch").await;
    app.add_to_plan(plan, &PAT, "partner").await;
    let pat = app.client_for(PAT.email).await;
    assert_eq!(
        pat.get(app.url(&format!("/api/plans/{plan}"))).sent().await.status(),
        200
    );
    assert_eq!(app.get(&format!("/api/plans/{other}")).await.status(), 200);

    let refused = pat.get(app.url("/api/access-log")).sent().await;
    assert_eq!(refused.status(), 403);
    assert!(refused.text().await.unwrap().contains("only auditors"));

    let sam = auditor(&app).await;
    let search = |query: String| {
        let request = sam.get(app.url(&format!("/api/access-log?{query}")));
        async move { request.json_body::<Vec<AccessEntry>>().await }
    };
    let by_pat = search(format!("user={}", PAT.email.to_uppercase())).await;
    assert_eq!(by_pat.len(), 1, "{by_pat:?}");
    assert_eq!((by_pat[0].plan, by_pat[0].kind), (Some(plan), AccessKind::ReadByApi));
    assert_eq!(
        by_pat[0].address.as_deref(),
        Some("127.0.0.1"),
        "auditors see where from"
    );

    let on_other = search(format!("plan={other}")).await;
    assert!(on_other.iter().all(|e| e.plan == Some(other)));
    assert!(on_other.iter().any(|e| e.kind == AccessKind::ReadByApi));
    let council = search("agency=Northshire%20Council".into()).await;
    assert!(!council.is_empty() && council.iter().all(|e| e.agency == PAT.agency));
    let today = chrono::Utc::now().date_naive();
    let in_range = search(format!("user={}&from={today}&to={today}", PAT.email)).await;
    assert_eq!(in_range.len(), 1);
    let before = today - chrono::Days::new(40);
    let long_ago = search(format!("user={}&from={before}&to={before}", PAT.email)).await;
    assert!(long_ago.is_empty());

    let bad = sam.get(app.url("/api/access-log?from=yesterday")).sent().await;
    assert_eq!(bad.status(), 422);
    assert!(bad.text().await.unwrap().contains("from: 'yesterday' is not a date"));
    let nobody = sam.get(app.url("/api/access-log?user=nobody@example.org")).sent().await;
    assert_eq!(nobody.status(), 422);

    // Searching about a plan is itself an entry on that plan.
    let audited = entries(&app, other).await;
    let read = audited
        .iter()
        .find(|e| e.kind == "access_log_read")
        .expect("the search is logged");
    assert_eq!((read.user_name.as_str(), read.basis.as_str()), (SAM.name, "auditor"));
}

#[tokio::test]
async fn the_auditors_export_carries_the_marking_and_is_itself_logged() {
    let (app, plan) = spawn_app_with_plan("Operation Juniper").await;
    assert_eq!(app.get(&format!("/api/plans/{plan}")).await.status(), 200);
    let sam = auditor(&app).await;
    let path = format!("/api/access-log?plan={plan}&format=csv&for=Professional%20Standards%20case%2042");
    let answer = sam.get(app.url(&path)).sent().await;
    assert_eq!(answer.status(), 200);
    let disposition = answer.headers()["content-disposition"].to_str().unwrap().to_string();
    assert!(disposition.contains("access-log.csv"));
    let csv = answer.text().await.unwrap();
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(lines.first(), Some(&"OFFICIAL-SENSITIVE"));
    assert_eq!(lines.last(), Some(&"OFFICIAL-SENSITIVE"));
    assert!(csv.contains("Read it through the API"), "{csv}");
    assert!(
        csv.contains("Downloaded the access log (CSV)"),
        "the export lists itself: {csv}"
    );

    let logged = entries(&app, plan).await;
    let export = logged
        .iter()
        .find(|e| e.kind == "access_log_exported")
        .expect("the export is logged");
    assert_eq!(export.recipients, "Professional Standards case 42");
    assert_eq!(export.basis, "auditor");
}
