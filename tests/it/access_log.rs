//! The consultation and disclosure log (s.62): each kind of reading and
//! handing out of a plan writes exactly one entry, with the right reader,
//! plan, kind and basis; a non-member's probe is logged under the prober's
//! name and reveals nothing; and who may read the log.

mod auditor;
mod break_glass;
mod guard;

use integration_tests::{spawn_app_with_plan, Fetch, TestApp, PAT};
use serde_json::json;
use uuid::Uuid;

/// One stored entry, as the tests read it back.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct Row {
    pub kind: String,
    pub user_name: String,
    pub agency: String,
    pub basis: String,
    pub granted: bool,
    pub detail: String,
    pub recipients: String,
    pub address: Option<String>,
    pub user_agent: Option<String>,
}

/// Every entry about `plan`, oldest first, once all recorded are written.
pub async fn entries(app: &TestApp, plan: Uuid) -> Vec<Row> {
    app.state.access_log.flush().await;
    sqlx::query_as(
        "SELECT kind, user_name, agency, basis, granted, detail, recipients, address, user_agent \
         FROM access_log WHERE plan_id = $1 ORDER BY id",
    )
    .bind(plan)
    .fetch_all(&app.pool)
    .await
    .unwrap()
}

/// The entries written while `read` runs.
async fn written_by(app: &TestApp, plan: Uuid, read: impl std::future::Future<Output = ()>) -> Vec<Row> {
    let before = entries(app, plan).await.len();
    read.await;
    entries(app, plan).await.split_off(before)
}

fn kinds(rows: &[Row]) -> Vec<&str> {
    rows.iter().map(|r| r.kind.as_str()).collect()
}

#[tokio::test]
async fn each_reading_and_handing_out_writes_one_entry_with_reader_kind_and_basis() {
    let (app, plan) = spawn_app_with_plan("Operation Juniper").await;
    app.add_to_plan(plan, &PAT, "partner").await;
    let pat = app.client_for(PAT.email).await;
    let get = |client: &reqwest::Client, path: String| {
        let request = client.get(app.url(&path)).header("user-agent", "Pillars test/1.0");
        async move {
            let response = request.sent().await;
            assert!(response.status().is_success(), "{path}: {}", response.status());
        }
    };

    let read = written_by(&app, plan, get(&pat, format!("/api/plans/{plan}"))).await;
    assert_eq!(kinds(&read), ["read_by_api"]);
    let entry = &read[0];
    assert_eq!(
        (entry.user_name.as_str(), entry.agency.as_str()),
        (PAT.name, PAT.agency)
    );
    assert_eq!(entry.basis, "member: Partner");
    assert!(entry.granted);
    assert_eq!(entry.address.as_deref(), Some("127.0.0.1"));
    assert_eq!(entry.user_agent.as_deref(), Some("Pillars test/1.0"));

    let page = written_by(&app, plan, get(&pat, format!("/plans/{plan}"))).await;
    assert_eq!(
        page.iter().filter(|r| r.kind == "opened").count(),
        1,
        "one page view, one 'opened': {:?}",
        kinds(&page)
    );

    let readings = [
        (format!("/api/plans/{plan}/members"), "members_read", ""),
        (format!("/api/plans/{plan}/versions/now"), "version_viewed", "now"),
        (format!("/api/plans/{plan}/reviews"), "reviews_read", ""),
    ];
    for (path, kind, detail) in readings {
        let rows = written_by(&app, plan, get(&pat, path.clone())).await;
        assert_eq!(kinds(&rows), [kind], "{path}");
        assert_eq!(rows[0].detail, detail, "{path}");
    }

    // The LRO's readings of the past and the history, and its download.
    let lro = &app.http;
    let compared = written_by(&app, plan, get(lro, format!("/api/plans/{plan}/compare?to=now"))).await;
    assert_eq!(kinds(&compared), ["versions_compared"]);
    assert_eq!(compared[0].detail, "last review to now");
    assert_eq!(compared[0].basis, "member: LRO");
    let history = written_by(&app, plan, get(lro, format!("/api/plans/{plan}/history"))).await;
    assert_eq!(kinds(&history), ["history_read"]);
    let path = format!("/api/plans/{plan}/history?format=csv&for=Northshire%20Council%20legal");
    let exported = written_by(&app, plan, get(lro, path)).await;
    assert_eq!(kinds(&exported), ["history_exported"]);
    assert_eq!(exported[0].recipients, "Northshire Council legal");

    let printed = written_by(&app, plan, async {
        let form = [("plan", plan.to_string()), ("detail", "as at review 1".to_string())];
        let answer = pat.post(app.url("/api/fn/record_printing")).form(&form).sent().await;
        assert!(answer.status().is_success(), "{}", answer.text().await.unwrap());
    })
    .await;
    assert_eq!(kinds(&printed), ["printed"]);
    assert_eq!(printed[0].detail, "as at review 1");
}

#[tokio::test]
async fn a_disruption_return_handed_out_is_a_disclosure_of_each_plan_it_names() {
    let (app, plan) = spawn_app_with_plan("Operation Juniper").await;
    let recorded: serde_json::Value = app
        .post_json("/api/disruptions/returns", &json!({ "plan": plan }))
        .await
        .json()
        .await
        .unwrap();
    let id = recorded["id"].as_str().unwrap().to_string();
    assert!(
        entries(&app, plan).await.is_empty(),
        "recording a return hands nothing out"
    );
    let path = format!("/api/disruptions/returns/{id}?format=csv&for=Regional%20SOC%20unit");
    let rows = written_by(&app, plan, async {
        assert_eq!(app.get(&path).await.status(), 200);
    })
    .await;
    assert_eq!(kinds(&rows), ["disruptions_exported"]);
    assert_eq!(rows[0].recipients, "Regional SOC unit");
    assert_eq!(rows[0].detail, format!("return {id}"));
}

#[tokio::test]
async fn portfolio_counts_are_recorded_with_the_flag_they_were_read_under() {
    let (app, _plan) = spawn_app_with_plan("Operation Juniper").await;
    let answer = app.get("/api/portfolio.csv?for=Chief%20Constable").await;
    assert_eq!(answer.status(), 200);
    app.state.access_log.flush().await;
    let (basis, recipients): (String, String) = sqlx::query_as(
        "SELECT basis, recipients FROM access_log WHERE kind = 'portfolio_exported' AND plan_id IS NULL",
    )
    .fetch_one(&app.pool)
    .await
    .unwrap();
    assert_eq!(basis, "member: own plans only");
    assert_eq!(recipients, "Chief Constable");

    // A strategic lead's reading of the whole region's counts is recorded.
    let me = app.user_id(integration_tests::USER_EMAIL).await;
    let flag = app::admin::AccountFlag::StrategicLead;
    app.state.accounts.set_flag(me, flag, true).await.unwrap();
    let lead = app.client_for(integration_tests::USER_EMAIL).await;
    assert_eq!(lead.get(app.url("/api/portfolio")).sent().await.status(), 200);
    app.state.access_log.flush().await;
    let read: Vec<String> = sqlx::query_scalar("SELECT basis FROM access_log WHERE kind = 'portfolio_read'")
        .fetch_all(&app.pool)
        .await
        .unwrap();
    assert_eq!(read, ["strategic lead"]);
}

#[tokio::test]
async fn a_reconnect_storm_writes_one_entry_per_join_not_per_message() {
    let (app, plan) = spawn_app_with_plan("Operation Juniper").await;
    let joins = 12;
    let rows = written_by(&app, plan, async {
        for n in 0..joins {
            let client = integration_tests::Client::connect(&app.ws_url(plan)).await;
            client.edit(|p, t| p.set_section_text(t, plan::Section::Aim, &format!("Aim {n}")));
            client.wait_until("the edit is stored", |s| s.synced).await;
            client.close();
        }
    })
    .await;
    assert_eq!(kinds(&rows), vec!["joined"; joins]);
}
