//! Facts written in full and per update, read back as figures per plan
//! within a scope, on both stores; late writes from an earlier seq keep
//! what is newer.

use super::{action, council_user, day, facts, plan, replace, scope, sorted, Both};
use chrono::NaiveDate;
use integration_tests::db::{fresh_pg_pool, fresh_sqlite_path};
use plan::portfolio::{ActionFacts, PlanFigures, RagCounts, FACTS_VERSION};
use plan::{Disruption, RagStatus};
use server::portfolio::{AllFacts, FactsAsOf};
use server::store::{PgStore, SqliteStore};
use uuid::Uuid;

async fn facts_round_trip_per_update_and_per_scope(store: &dyn Both) {
    let pat = council_user(store).await;
    let mine = plan(store, "Red Kings", Some(pat.id)).await;
    let other = plan(store, "Closed", None).await;
    let unseen = plan(store, "Made before the portfolio", None).await;

    let major = ActionFacts {
        disruption: Some(Disruption::Major),
        ..action("a2", Some(RagStatus::Green), "Council")
    };
    let old = ActionFacts {
        disruption: Some(Disruption::Minor),
        date: Some(NaiveDate::from_ymd_opt(2020, 1, 1).unwrap()),
        ..action("a3", None, "Police")
    };
    replace(
        store,
        mine,
        1,
        &facts(&["county-lines", "fraud"]),
        &[action("a1", Some(RagStatus::Red), "Council"), major, old],
    )
    .await;
    replace(
        store,
        other,
        1,
        &facts(&[]),
        &[action("b1", Some(RagStatus::Amber), "Police")],
    )
    .await;
    // One update: a1 turns GREEN, a3 is deleted, the plan loses a threat.
    store
        .update_facts(FactsAsOf {
            plan: mine,
            seq: 2,
            facts: Some(&facts(&["county-lines"])),
            actions: &[action("a1", Some(RagStatus::Green), "Council")],
            removed: &["a3".to_string()],
        })
        .await
        .unwrap();

    let all = sorted(store.figures(scope(None, None)).await.unwrap());
    let expected_mine = PlanFigures {
        id: mine,
        facts: facts(&["county-lines"]),
        actions: 2,
        rag: RagCounts {
            green: 2,
            ..Default::default()
        },
        overdue_actions: 0,
        disruptions: vec![(Some(day(3)), Disruption::Major, 1)],
    };
    let expected_other = PlanFigures {
        id: other,
        facts: facts(&[]),
        actions: 1,
        rag: RagCounts {
            amber: 1,
            ..Default::default()
        },
        overdue_actions: 1,
        disruptions: vec![],
    };
    assert_eq!(all, sorted(vec![expected_mine.clone(), expected_other]));
    assert_eq!(
        store.figures(scope(Some(pat.id), None)).await.unwrap(),
        vec![expected_mine]
    );
    let council = store.figures(scope(None, Some("council"))).await.unwrap();
    let actions: Vec<(Uuid, u32)> = sorted(council).iter().map(|f| (f.id, f.actions)).collect();
    assert_eq!(
        actions,
        sorted_pairs(vec![(mine, 2), (other, 0)]),
        "an agency's actions only; plans still listed"
    );

    assert_eq!(
        store.member_plan_names(pat.id).await.unwrap(),
        vec![(mine, "Red Kings".to_string(), "OCG-7".to_string())]
    );
    assert_eq!(store.action_agencies(None).await.unwrap(), ["Council", "Police"]);
    assert_eq!(store.plans_with_stale_facts(FACTS_VERSION).await.unwrap(), vec![unseen]);
    assert_eq!(store.plans_with_stale_facts(FACTS_VERSION + 1).await.unwrap().len(), 3);
    // Newer facts are not replaced by a rebuild that only fills gaps.
    store
        .replace_facts(
            AllFacts {
                plan: mine,
                seq: 0,
                facts: &facts(&[]),
                actions: &[],
            },
            true,
        )
        .await
        .unwrap();
    assert_eq!(store.facts_version(mine).await.unwrap(), Some(FACTS_VERSION));
    assert_eq!(store.figures(scope(Some(pat.id), None)).await.unwrap()[0].actions, 2);
}

fn sorted_pairs(mut pairs: Vec<(Uuid, u32)>) -> Vec<(Uuid, u32)> {
    pairs.sort();
    pairs
}

on_both!(facts_round_trip_per_update_and_per_scope: postgres_facts_round_trip_per_update_and_per_scope, sqlite_facts_round_trip_per_update_and_per_scope);

/// Rooms of one plan on two nodes write facts from their own state, and
/// their commits land in any order: a late write from an earlier seq
/// changes nothing kept from a later one, nor brings back a removed action.
async fn late_writes_keep_what_is_newer(store: &dyn Both) {
    let id = plan(store, "Two nodes", None).await;
    replace(
        store,
        id,
        10,
        &facts(&["fraud"]),
        &[
            action("a1", Some(RagStatus::Red), "Council"),
            action("a2", Some(RagStatus::Amber), "Police"),
        ],
    )
    .await;
    // Seq 12 (this node): a1 turns GREEN, a2 is deleted, the threat changes.
    store
        .update_facts(FactsAsOf {
            plan: id,
            seq: 12,
            facts: Some(&facts(&["county-lines"])),
            actions: &[action("a1", Some(RagStatus::Green), "Council")],
            removed: &["a2".to_string()],
        })
        .await
        .unwrap();
    // Seq 11 (the other node, committing late): it has a1 AMBER, a2 still
    // there, and a new a3.
    store
        .update_facts(FactsAsOf {
            plan: id,
            seq: 11,
            facts: Some(&facts(&["fraud"])),
            actions: &[
                action("a1", Some(RagStatus::Amber), "Council"),
                action("a2", Some(RagStatus::Red), "Police"),
                action("a3", Some(RagStatus::Red), "Police"),
            ],
            removed: &[],
        })
        .await
        .unwrap();
    let rag = |green, amber, red| RagCounts {
        green,
        amber,
        red,
        ..Default::default()
    };
    let figures = store.figures(scope(None, None)).await.unwrap();
    assert_eq!(figures.len(), 1);
    assert_eq!(
        figures[0].facts,
        facts(&["county-lines"]),
        "the plan's facts as of seq 12"
    );
    assert_eq!(
        (figures[0].actions, figures[0].rag),
        (2, rag(1, 0, 1)),
        "a1 as of 12, a2 still removed, a3 from 11"
    );

    // A whole rebuild as of 11 drops what 11 did not have and is no newer
    // (a3 stays: it is as of 11 itself), and keeps what is newer.
    replace(store, id, 11, &facts(&[]), &[action("a1", None, "Council")]).await;
    let figures = store.figures(scope(None, None)).await.unwrap();
    assert_eq!(figures[0].facts, facts(&["county-lines"]));
    assert_eq!(
        (figures[0].actions, figures[0].rag),
        (1, rag(1, 0, 0)),
        "a3 gone, a1 as of 12"
    );

    // An action restored later (an undo brings back its id) is written again.
    store
        .update_facts(FactsAsOf {
            plan: id,
            seq: 13,
            facts: None,
            actions: &[action("a2", Some(RagStatus::Amber), "Police")],
            removed: &[],
        })
        .await
        .unwrap();
    let figures = store.figures(scope(None, None)).await.unwrap();
    assert_eq!((figures[0].actions, figures[0].rag), (2, rag(1, 1, 0)));
}

on_both!(late_writes_keep_what_is_newer: postgres_late_writes_keep_what_is_newer, sqlite_late_writes_keep_what_is_newer);
