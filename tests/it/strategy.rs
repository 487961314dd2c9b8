//! The Control Strategy as data, against the real app and PostgreSQL (and
//! the store on SQLite): the seeded default is the May 2024 strategy word
//! for word; publishing a version keeps the old ones and plans' tags.

use integration_tests::db::fresh_sqlite_path;
use integration_tests::stores::user_in_new_agency;
use integration_tests::{spawn_app, spawn_app_with_plan, Fetch, TestApp, PAT};
use plan::strategy::{ManagementModel, PublishedStrategy, StrategyDraft, StrategyVersion, ThreatKey};
use serde_json::json;
use server::store::SqliteStore;
use server::strategy::Strategies;
use std::sync::Arc;

/// The strategy as the fixture's text has it.
struct Fixture {
    title: String,
    aim: String,
    spr_themes: Vec<String>,
    /// (SGG area, threat, management model, must-win battles cell).
    threats: Vec<(String, String, String, String)>,
    local_priorities: Vec<String>,
}

/// Reads `plan/tests/fixtures/control_strategy_may_2024.txt`: its first
/// two lines of text are the title and aim; then a table whose first row
/// holds the SPR themes, its last the local priorities, and the rows
/// between one threat each (an empty SGG cell carries the one above down;
/// the battles cell is the text after its `<ul ...>` tag).
fn fixture() -> Fixture {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../plan/tests/fixtures/control_strategy_may_2024.txt"
    );
    let text = std::fs::read_to_string(path).unwrap();
    let mut prose = text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('|'));
    let (title, aim) = (prose.next().unwrap().to_string(), prose.next().unwrap().to_string());
    let rows: Vec<Vec<String>> = text
        .lines()
        .filter(|l| l.starts_with('|') && !l.starts_with("|--"))
        .map(|l| {
            l.trim()
                .trim_matches('|')
                .split('|')
                .map(|c| c.trim().to_string())
                .collect()
        })
        .collect();
    let filled = |row: &[String]| row[1..].iter().filter(|c| !c.is_empty()).cloned().collect::<Vec<_>>();
    assert!(rows[0][0].starts_with("Strategic Policing Requirement"));
    assert!(rows.last().unwrap()[0].starts_with("Local Policing Priorities"));
    assert_eq!(rows[1][..2], ["SGG", "Threat"]);
    let mut area = String::new();
    let threats = rows[2..rows.len() - 1]
        .iter()
        .map(|row| {
            if !row[0].is_empty() {
                area = row[0].clone();
            }
            let battles = row[4].split_once('>').expect("a <ul> tag").1.trim().to_string();
            (area.clone(), row[1].clone(), row[2].clone(), battles)
        })
        .collect();
    Fixture {
        title,
        aim,
        spr_themes: filled(&rows[0]),
        threats,
        local_priorities: filled(rows.last().unwrap()),
    }
}

async fn get<T: serde::de::DeserializeOwned>(app: &TestApp, client: &reqwest::Client, path: &str) -> T {
    let response = client.get(app.url(path)).sent().await;
    assert_eq!(response.status(), 200, "GET {path}");
    response.json().await.unwrap()
}

async fn publish(app: &TestApp, client: &reqwest::Client, draft: &StrategyDraft) -> reqwest::Response {
    client.post(app.url("/api/strategy")).json(draft).sent().await
}

#[tokio::test]
async fn the_default_strategy_is_the_seed_word_for_word() {
    let app = spawn_app().await;
    let expected = fixture();
    assert_eq!(expected.threats.len(), 9, "the fixture parsed");
    let stored: PublishedStrategy = get(&app, &app.http, "/api/strategy").await;
    assert_eq!((stored.version, stored.published_by.as_str()), (1, "Pillars"));
    let s = &stored.strategy;
    assert_eq!((&s.title, &s.aim), (&expected.title, &expected.aim));
    assert_eq!(s.spr_themes, expected.spr_themes);
    assert_eq!(s.local_priorities, expected.local_priorities);
    let mut areas: Vec<String> = expected.threats.iter().map(|t| t.0.clone()).collect();
    areas.dedup();
    assert_eq!(s.areas, areas);
    let threats: Vec<(String, String, String, String)> = s
        .threats
        .iter()
        .map(|t| {
            (
                t.area.clone(),
                t.name.clone(),
                t.model.label().to_string(),
                t.battles.join(" "),
            )
        })
        .collect();
    assert_eq!(threats, expected.threats);
    assert!(s.threats.iter().all(|t| !t.retired));
    // Once only, however often the app starts.
    let app = app.restart().await;
    let versions: Vec<StrategyVersion> = get(&app, &app.http, "/api/strategy/versions").await;
    assert_eq!(versions.len(), 1);
    assert_eq!(
        get::<PublishedStrategy>(&app, &app.http, "/api/strategy/versions/1").await,
        stored
    );
}

#[tokio::test]
async fn publishing_keeps_old_versions_and_plans_tags_and_a_retired_threat_stays_readable() {
    let (app, plan) = spawn_app_with_plan("Operation Larch").await;
    let client = integration_tests::Client::connect(&app.ws_url(plan)).await;
    let prison = ThreatKey::parse("prison-soc").unwrap();
    client.edit(|p, t| p.tag_threat(t, &prison, true));
    let v1: PublishedStrategy = get(&app, &app.http, "/api/strategy").await;

    // Version 2: rename one threat, retire another, add one, change a model.
    let mut draft = StrategyDraft::from_current(1, &v1.strategy);
    draft.title = "Control Strategy 2025".into();
    draft.effective_from = "2025-04-01".parse().unwrap();
    draft.threats[0].name = "SOC consistency and enablers".into();
    draft.threats[1].retired = true;
    draft.threats[3].model = ManagementModel::RegionallyLed;
    let mut knives = draft.threats[2].clone();
    (knives.key, knives.name, knives.battles) = (None, "Knife crime".into(), vec!["Reduce carrying".into()]);
    draft.threats.push(knives);

    // A partner (neither administrator nor strategic lead) may not publish.
    app.add_person(&PAT).await;
    let pat = app.client_for("pat@council.gov.uk").await;
    let refused = publish(&app, &pat, &draft).await;
    assert_eq!(refused.status(), 403);
    assert!(refused.text().await.unwrap().contains("strategic leads"));
    // A strategic lead may.
    let lead = app.add_user("sam@rocu.police.uk", "Sam Strategist", "ROCU").await;
    app.state
        .accounts
        .set_flag(lead.id, app::admin::AccountFlag::StrategicLead, true)
        .await
        .unwrap();
    let sam = app.client_for("sam@rocu.police.uk").await;
    let response = publish(&app, &sam, &draft).await;
    assert_eq!(response.status(), 201);
    let v2: PublishedStrategy = response.json().await.unwrap();
    assert_eq!((v2.version, v2.published_by.as_str()), (2, "Sam Strategist"));
    assert_eq!(v2.strategy.threats[9].key.as_str(), "knife-crime");
    assert_eq!(get::<PublishedStrategy>(&app, &app.http, "/api/strategy").await, v2);
    // Someone publishing on top of version 1 again is told to reload.
    let stale = publish(&app, &sam, &draft).await;
    assert_eq!(stale.status(), 422);
    assert!(stale
        .text()
        .await
        .unwrap()
        .contains("someone published version 2 meanwhile; reload"));

    // Version 1 is unchanged and readable, on the API and its page.
    assert_eq!(
        get::<PublishedStrategy>(&app, &app.http, "/api/strategy/versions/1").await,
        v1
    );
    let versions: Vec<StrategyVersion> = get(&app, &app.http, "/api/strategy/versions").await;
    assert_eq!(versions.iter().map(|v| v.version).collect::<Vec<_>>(), [2, 1]);
    let html = |client: &reqwest::Client, path: &str| {
        let request = client.get(app.url(path)).send();
        async move { request.await.unwrap().text().await.unwrap() }
    };
    let old_page = html(&sam, "/strategy?version=1").await;
    assert!(old_page.contains("Prison-related SOC") && old_page.contains("superseded"));
    assert!(!old_page.contains("(retired)"));
    assert!(
        !old_page.contains("id=\"strategy-editor\""),
        "old versions are read-only"
    );
    let page = html(&sam, "/strategy").await;
    assert!(page.contains("Knife crime") && page.contains("(retired)") && page.contains("/strategy?version=1"));
    assert!(
        page.contains("id=\"strategy-editor\""),
        "the lead edits the current version"
    );
    assert!(
        !html(&pat, "/strategy").await.contains("id=\"strategy-editor\""),
        "read-only for others"
    );

    // The plan keeps its tag, named and marked retired.
    let export = app.export(plan).await;
    assert_eq!(export["threats"], json!(["prison-soc"]));
    assert_eq!(
        export["threat_tags"],
        json!([{"key": "prison-soc", "name": "Prison-related SOC", "area": "SOC Management", "retired": true}])
    );
    let plan_page = html(&app.http, &format!("/plans/{plan}")).await;
    assert!(
        plan_page.contains("Prison-related SOC (retired)"),
        "the header names it"
    );
    assert!(
        plan_page.contains("data-threat=\"knife-crime\""),
        "the new threat is offered"
    );
}

#[tokio::test]
async fn of_two_simultaneous_publishers_one_is_told_to_reload() {
    let app = spawn_app().await;
    app.sql("UPDATE users SET is_admin = true").await;
    let admin = server::routes::guard::viewer(&app.state.accounts.users().await.unwrap()[0]);
    let current = app.state.strategies.current();
    let draft = |title: &str| StrategyDraft {
        title: title.into(),
        ..StrategyDraft::from_current(1, &current.strategy)
    };
    let strategies = &app.state.strategies;
    // The race, forced: a third transaction holds back every write to the
    // versions until both publishers wait on it together, then lets them go.
    let gate = integration_tests::db::hold_writes(&app.pool, "strategy_versions").await;
    let release = integration_tests::db::release_when_waiting(&app.pool, gate, 2);
    let ((a, b), ()) = tokio::join!(
        async {
            tokio::join!(
                strategies.publish(&admin, draft("A")),
                strategies.publish(&admin, draft("B"))
            )
        },
        release
    );
    let (won, lost) = match (a, b) {
        (Ok(won), Err(lost)) | (Err(lost), Ok(won)) => (won, lost),
        other => panic!("exactly one publish lands: {other:?}"),
    };
    assert_eq!(won.version, 2);
    assert_eq!(lost.to_string(), "someone published version 2 meanwhile; reload");
    assert_eq!(strategies.versions().await.unwrap().len(), 2);
}

#[tokio::test]
async fn the_sqlite_store_seeds_once_and_keeps_every_version() {
    let (_dir, path) = fresh_sqlite_path();
    let store = Arc::new(SqliteStore::open(&path).await.unwrap());
    let (a, b) = tokio::join!(Strategies::start(store.clone()), Strategies::start(store.clone()));
    let (a, _) = (a.unwrap(), b.unwrap());
    assert_eq!(
        a.versions().await.unwrap().len(),
        1,
        "seeded once by two starting servers"
    );
    let rocu = ("ROCU", "ROCU");
    let sam = user_in_new_agency(&*store, rocu, "sam@example.org", "Sam", |u| u.strategic_lead = true).await;
    let mut updates = a.subscribe();
    let mut draft = StrategyDraft::from_current(1, &a.current().strategy);
    draft.threats[8].retired = true;
    let v2 = a.publish(&server::routes::guard::viewer(&sam), draft).await.unwrap();
    assert!(updates.has_changed().unwrap(), "subscribers see the new version");
    assert_eq!(updates.borrow_and_update().version, 2);
    let restarted = Strategies::start(store).await.unwrap();
    assert_eq!(*restarted.current(), *v2, "stored as published");
    assert_eq!(
        restarted.version(1).await.unwrap().strategy,
        plan::strategy::ControlStrategy::seed()
    );
}
