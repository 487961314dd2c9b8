//! The strategy editor's form, posted as a browser without JavaScript
//! posts it: only administrators and strategic leads publish with it.

use app::strategy_form::{StrategyForm, ThreatForm};
use integration_tests::spawn_app;
use plan::strategy::ManagementModel;

/// The editor's fields as a browser posts them (serde_qs names).
fn form_fields(form: &StrategyForm) -> Vec<(String, String)> {
    let mut fields = vec![
        ("draft[base_version]".to_string(), form.base_version.to_string()),
        ("draft[title]".into(), form.title.clone()),
        ("draft[effective_from]".into(), form.effective_from.clone()),
        ("draft[aim]".into(), form.aim.clone()),
        ("draft[spr_themes]".into(), form.spr_themes.clone()),
        ("draft[areas]".into(), form.areas.clone()),
        ("draft[local_priorities]".into(), form.local_priorities.clone()),
    ];
    for (i, t) in form.threats.iter().enumerate() {
        let field = |name: &str, value: &str| (format!("draft[threats][{i}][{name}]"), value.to_string());
        fields.extend([
            field("key", &t.key),
            field("name", &t.name),
            field("area", &t.area),
            field("model", &t.model),
            field("battles", &t.battles),
        ]);
        if let Some(on) = &t.retired {
            fields.push(field("retired", on));
        }
    }
    fields
}

#[tokio::test]
async fn the_editor_publishes_as_a_plain_form_post() {
    let app = spawn_app().await;
    let mut form = StrategyForm::of(&app.state.strategies.current());
    form.title = "Control Strategy 2025".into();
    form.threats[4].retired = Some("on".into());
    form.threats.push(ThreatForm {
        name: "Knife crime".into(),
        area: "Commodity".into(),
        battles: "Reduce carrying\nSafer streets".into(),
        ..ThreatForm::blank(ManagementModel::ForceLedRocuAssisted)
    });
    form.threats.push(ThreatForm::blank(ManagementModel::RegionallyLed)); // left empty
    let post = |client: &reqwest::Client| {
        client
            .post(app.url("/api/fn/publish_strategy"))
            .form(&form_fields(&form))
            .send()
    };

    let refused = post(&app.http).await.unwrap();
    assert!(!refused.status().is_success());
    assert!(refused.text().await.unwrap().contains("strategic leads"));
    assert_eq!(app.state.strategies.current().version, 1);

    app.sql("UPDATE users SET is_admin = true").await;
    let response = post(&app.http).await.unwrap();
    assert!(response.status().is_success(), "{}", response.text().await.unwrap());
    let current = app.state.strategies.current();
    assert_eq!(
        (current.version, current.strategy.title.as_str()),
        (2, "Control Strategy 2025")
    );
    assert!(current.strategy.threat_by_key("csae").unwrap().retired);
    let knives = current.strategy.threat_by_key("knife-crime").unwrap();
    assert_eq!(
        (knives.model, knives.battles.len()),
        (ManagementModel::ForceLedRocuAssisted, 2)
    );
    assert_eq!(current.strategy.threats.len(), 10, "the empty row is no threat");
}
