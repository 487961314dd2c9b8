//! Threat tags through a real websocket, as hand-built updates: a plan can
//! be tagged only with an active threat of the current Control Strategy;
//! any tag can be removed, so a retired one can be cleared. A newly
//! published strategy applies to rooms already open.

use integration_tests::raw::{edit, refused};
use integration_tests::{spawn_app_with_plan, Client};
use plan::strategy::{StrategyDraft, ThreatKey};
use plan::PlanDoc;
use yrs::{Map, WriteTxn};

fn key(k: &str) -> ThreatKey {
    ThreatKey::parse(k).unwrap()
}

#[tokio::test]
async fn unknown_and_retired_threats_cannot_be_tagged_but_a_retired_tag_can_be_removed() {
    let (app, plan) = spawn_app_with_plan("Operation Hawthorn").await;
    let lro = Client::connect(&app.ws_url(plan)).await;
    lro.edit(|p, t| p.tag_threat(t, &key("prison-soc"), true));
    let observer = Client::connect(&app.ws_url(plan)).await;
    observer
        .wait_for_doc("the tag", |p| p.threats(&p.transact()) == [key("prison-soc")])
        .await;

    // An administrator retires prison-soc and fraud while the room is open.
    app.sql("UPDATE users SET is_admin = true").await;
    let current = app.state.strategies.current();
    let mut draft = StrategyDraft::from_current(current.version, &current.strategy);
    for threat in draft
        .threats
        .iter_mut()
        .filter(|t| [Some(key("prison-soc")), Some(key("fraud"))].contains(&t.key))
    {
        threat.retired = true;
    }
    let admin = app.state.accounts.users().await.unwrap().remove(0);
    app.state
        .strategies
        .publish(&server::routes::guard::viewer(&admin), draft)
        .await
        .unwrap();

    let target = app.ws_url(plan);
    let fresh = || PlanDoc::from_state(&observer.plan.encode_state()).unwrap();
    // Tagging a retired or unknown threat, or writing a retired tag anew.
    for k in ["fraud", "made-up-threat", "prison-soc"] {
        let update = edit(&fresh(), |_, t| {
            t.get_or_insert_map("threats").insert(t, k, true);
        });
        let denial = refused(&target, fresh(), update).await;
        assert!(
            denial.contains(&format!("threat:{k}")) && denial.contains("not retired"),
            "{denial}"
        );
    }
    let ill_formed = edit(&fresh(), |_, t| {
        t.get_or_insert_map("threats").insert(t, "DROP TABLE", true);
    });
    assert!(refused(&target, fresh(), ill_formed).await.contains("not a threat key"));

    // The retired tag stays until someone removes it, which is allowed.
    let remover = Client::connect_with(&target, fresh()).await;
    remover.edit(|p, t| p.tag_threat(t, &key("prison-soc"), false));
    observer
        .wait_for_doc("the tag removed", |p| p.threats(&p.transact()).is_empty())
        .await;
    assert!(remover.seen().denied.is_empty(), "{:?}", remover.seen().denied);
    // And an active threat can still be tagged.
    remover.edit(|p, t| p.tag_threat(t, &key("county-lines"), true));
    observer
        .wait_for_doc("the new tag", |p| p.threats(&p.transact()) == [key("county-lines")])
        .await;
    assert_eq!(
        app.export(plan).await["threats"],
        serde_json::json!(["county-lines"]),
        "stored"
    );
}
