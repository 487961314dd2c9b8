//! Need-to-know around the log: a non-member's probe is logged under the
//! prober's name and tells them nothing; the plan's log is its LRO's; each
//! user sees their own.

use super::entries;
use integration_tests::{spawn_app_with_pat_as, spawn_app_with_plan, Fetch, PAT, SAM};
use plan::access_log::AccessEntry;
use uuid::Uuid;

#[tokio::test]
async fn a_non_members_probe_is_logged_under_their_name_and_reveals_nothing() {
    let (app, plan) = spawn_app_with_plan("Operation Juniper").await;
    app.add_person(&SAM).await;
    let sam = app.client_for(SAM.email).await;
    let probe = sam.get(app.url(&format!("/api/plans/{plan}"))).sent().await;
    let unknown = sam.get(app.url(&format!("/api/plans/{}", Uuid::new_v4()))).sent().await;
    assert_eq!((probe.status().as_u16(), unknown.status().as_u16()), (404, 404));
    assert_eq!(
        probe.text().await.unwrap(),
        unknown.text().await.unwrap(),
        "a probe of a real plan reads as one of no plan"
    );

    let logged = entries(&app, plan).await;
    assert_eq!(logged.len(), 1, "{logged:?}");
    assert_eq!(logged[0].user_name, SAM.name);
    assert_eq!(logged[0].basis, "refused: not a member");
    assert!(!logged[0].granted);

    // Sam's own history shows his probes, and nothing of the plan.
    let mine: Vec<AccessEntry> = sam.get(app.url("/api/me/access-log")).json_body().await;
    assert_eq!(mine.len(), 2, "both probes");
    assert!(mine.iter().all(|e| !e.granted));
    let text = serde_json::to_string(&mine).unwrap();
    assert!(!text.contains("Juniper"), "no name of the plan: {text}");
}

#[tokio::test]
async fn only_the_lro_sees_who_has_looked_at_the_plan_and_without_addresses() {
    let (app, plan) = spawn_app_with_pat_as("Operation Juniper", "plan_owner").await;
    let pat = app.client_for(PAT.email).await;
    let sam = app.client_for(SAM.email).await;
    let path = app.url(&format!("/api/plans/{plan}/access-log"));
    assert_eq!(
        pat.get(app.url(&format!("/api/plans/{plan}"))).sent().await.status(),
        200
    );

    let refused = pat.get(&path).sent().await;
    assert_eq!(refused.status(), 403, "a plan owner is not the LRO");
    assert!(refused.text().await.unwrap().contains("only the plan's LRO"));
    assert_eq!(sam.get(&path).sent().await.status(), 404, "a non-member learns nothing");

    let seen: Vec<AccessEntry> = app.http.get(&path).json_body().await;
    let pat_read = seen
        .iter()
        .find(|e| e.user_name == PAT.name && e.kind == plan::access_log::AccessKind::ReadByApi)
        .expect("Pat's reading is listed");
    assert_eq!(pat_read.basis, "member: Plan owner");
    assert!(seen.iter().all(|e| e.address.is_none() && e.user_agent.is_none()));
    // Each attempt to read the log is itself in it, the refused ones too.
    let attempts: Vec<&str> = seen
        .iter()
        .filter(|e| e.kind == plan::access_log::AccessKind::AccessLogRead)
        .map(|e| e.user_name.as_str())
        .collect();
    assert_eq!(attempts.len(), 3, "{attempts:?}");
}

#[tokio::test]
async fn the_database_refuses_to_change_or_delete_an_entry() {
    let (app, plan) = spawn_app_with_plan("Operation Juniper").await;
    assert_eq!(app.get(&format!("/api/plans/{plan}")).await.status(), 200);
    assert_eq!(entries(&app, plan).await.len(), 1);
    for tamper in [
        "UPDATE access_log SET basis = 'member: LRO'",
        "DELETE FROM access_log",
        "TRUNCATE access_log",
    ] {
        let error = sqlx::query(tamper).execute(&app.pool).await.unwrap_err().to_string();
        assert!(error.contains("the access log cannot be changed"), "{tamper}: {error}");
    }
    assert_eq!(entries(&app, plan).await.len(), 1);
}
