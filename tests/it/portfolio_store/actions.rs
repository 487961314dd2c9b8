//! `ActionsStore` on both stores: a member's actions by agency or name,
//! the return's rows, and recorded returns.

use super::{action, council_user, facts, plan, replace, Both};
use integration_tests::db::{fresh_pg_pool, fresh_sqlite_path};
use plan::portfolio::ActionFacts;
use plan::{Disruption, RagStatus};
use server::actions_across::ReturnRecord;
use server::portfolio::FactsAsOf;
use server::store::{PgStore, SqliteStore};
use uuid::Uuid;

/// `ActionsStore`: a member's actions by agency or name, with the texts the
/// facts keep; the return's rows; recorded returns read back as written.
async fn actions_across_plans(store: &dyn Both) {
    let pat = council_user(store).await;
    let mine = plan(store, "Red Kings", Some(pat.id)).await;
    let other = plan(store, "Closed", None).await;
    let ours = ActionFacts {
        text: "Visit".into(),
        owner_name: "Jo".into(),
        update: "Done twice".into(),
        disruption: Some(Disruption::Major),
        ..action("a1", Some(RagStatus::Red), "council")
    };
    let named = ActionFacts {
        owner_name: " pat ".trim().into(),
        ..action("a2", None, "Police")
    };
    replace(
        store,
        mine,
        1,
        &facts(&[]),
        &[ours.clone(), named.clone(), action("a3", None, "Police")],
    )
    .await;
    replace(store, other, 1, &facts(&[]), &[action("b1", None, "Council")]).await;

    let mut rows = store.owned_actions(pat.id, " Council ", "PAT").await.unwrap();
    rows.sort_by(|a, b| a.action.id.cmp(&b.action.id));
    assert_eq!(
        rows.iter().map(|r| r.action.clone()).collect::<Vec<_>>(),
        [ours.clone(), named]
    );
    assert_eq!(
        (rows[0].plan_id, rows[0].plan_name.as_str(), rows[0].role),
        (mine, "Red Kings (OCG-7)", plan::access::Role::Lro)
    );
    assert!(
        store.owned_actions(pat.id, "", "").await.unwrap().is_empty(),
        "empty matches nothing"
    );

    let due = store.unsubmitted_disruptions(pat.id, None).await.unwrap();
    assert_eq!(due.iter().map(|r| r.action.id.as_str()).collect::<Vec<_>>(), ["a1"]);
    assert!(store
        .unsubmitted_disruptions(pat.id, Some(other))
        .await
        .unwrap()
        .is_empty());
    store
        .update_facts(FactsAsOf {
            plan: mine,
            seq: 2,
            facts: None,
            actions: &[ActionFacts {
                submitted: true,
                ..ours
            }],
            removed: &[],
        })
        .await
        .unwrap();
    assert!(store
        .unsubmitted_disruptions(pat.id, Some(mine))
        .await
        .unwrap()
        .is_empty());

    let (id, at) = (
        Uuid::new_v4(),
        chrono::DateTime::from_timestamp(1_800_000_000, 0).unwrap(),
    );
    let record = ReturnRecord {
        id,
        user: pat.id,
        at,
        marking: "OFFICIAL".into(),
        plans: mine.to_string(),
        rows: "{\"rows\":[]}".into(),
    };
    store.record_return(&record).await.unwrap();
    let stored = store.recorded_return(id).await.unwrap().unwrap();
    assert_eq!(stored, (record, "Pat".to_string()));
    assert!(store.recorded_return(Uuid::new_v4()).await.unwrap().is_none());
}

on_both!(actions_across_plans: postgres_actions_across_plans, sqlite_actions_across_plans);
