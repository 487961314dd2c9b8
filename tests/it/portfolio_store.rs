//! The `PortfolioStore` contract, checked against both implementations
//! (every test body runs on a fresh PostgreSQL database and a fresh SQLite
//! file): facts written in full and per update, and read back as figures
//! per plan within a scope.

use chrono::NaiveDate;
use integration_tests::db::{fresh_pg_pool, fresh_sqlite_path};
use plan::portfolio::{ActionFacts, PlanFacts, PlanFigures, RagCounts, FACTS_VERSION};
use plan::{Disruption, NewPlan, PlanDoc, RagStatus, ReviewIntervals, SubjectKind, Tier, P};
use server::accounts::store::AccountStore;
use server::accounts::{Agency, User};
use server::actions_across::ActionsStore;
use server::membership::MembershipStore;
use server::portfolio::store::FiguresScope;
use server::portfolio::PortfolioStore;
use server::store::{PgStore, PlanStore, Snapshot, SqliteStore};
use uuid::Uuid;

fn day(d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, d).unwrap()
}

trait Both: PortfolioStore + PlanStore + AccountStore + MembershipStore + ActionsStore {}
impl<T: PortfolioStore + PlanStore + AccountStore + MembershipStore + ActionsStore> Both for T {}

/// A plan row (the facts refer to it), led by `lro` if given.
async fn plan(store: &dyn Both, name: &str, lro: Option<Uuid>) -> Uuid {
    let new = NewPlan {
        subject_kind: SubjectKind::Ocg,
        subject_name: name.into(),
        subject_ref: "OCG-7".into(),
        tier: Tier::new(1).unwrap(),
        lro: String::new(),
    };
    let doc = PlanDoc::create(&new, day(1));
    let id = Uuid::new_v4();
    let summary = doc.summary(&doc.transact(), id, &ReviewIntervals::default());
    let snapshot = Snapshot {
        upto_seq: 0,
        state: doc.encode_state(),
        state_vector: Vec::new(),
    };
    match lro {
        Some(user) => store.create_plan_with_lro(id, &snapshot, &summary, user).await.unwrap(),
        None => store.create_plan(id, &snapshot, &summary).await.unwrap(),
    }
    id
}

/// Pat, of a new agency named Council.
async fn council_user(store: &dyn Both) -> User {
    let agency = Agency {
        id: Uuid::new_v4(),
        name: "Council".into(),
        kind: "Local authority".into(),
    };
    store.insert_agency(&agency).await.unwrap();
    let pat = User {
        id: Uuid::new_v4(),
        email: "pat@council".into(),
        name: "Pat".into(),
        agency_id: agency.id,
        agency: agency.name.clone(),
        is_admin: false,
        strategic_lead: false,
        may_lead_plans: false,
        disabled: false,
    };
    store.insert_user(&pat, "x").await.unwrap();
    pat
}

fn facts(threats: &[&str]) -> PlanFacts {
    PlanFacts {
        subject_kind: Some(SubjectKind::Pi),
        tier: Some(Tier::new(2).unwrap()),
        next_review: Some(day(20)),
        threats: threats.iter().map(|t| t.to_string()).collect(),
    }
}

fn action(id: &str, status: Option<RagStatus>, agency: &str) -> ActionFacts {
    ActionFacts {
        id: id.into(),
        status,
        date: Some(day(3)),
        target_date: Some(day(10)),
        disruption: None,
        owner_agency: agency.into(),
        ps: [P::Pursue].into(),
        submitted: false,
        text: String::new(),
        owner_name: String::new(),
        update: String::new(),
    }
}

fn scope(member: Option<Uuid>, agency: Option<&str>) -> FiguresScope<'_> {
    FiguresScope {
        member,
        agency,
        today: day(15),
        window: (day(1), day(30)),
    }
}

fn sorted(mut figures: Vec<PlanFigures>) -> Vec<PlanFigures> {
    figures.sort_by_key(|f| f.id);
    for f in &mut figures {
        f.disruptions.sort();
    }
    figures
}

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
    store
        .replace_facts(
            mine,
            FACTS_VERSION,
            1,
            &facts(&["county-lines", "fraud"]),
            &[action("a1", Some(RagStatus::Red), "Council"), major, old],
            false,
        )
        .await
        .unwrap();
    store
        .replace_facts(
            other,
            FACTS_VERSION,
            1,
            &facts(&[]),
            &[action("b1", Some(RagStatus::Amber), "Police")],
            false,
        )
        .await
        .unwrap();
    // One update: a1 turns GREEN, a3 is deleted, the plan loses a threat.
    store
        .update_facts(
            mine,
            2,
            Some(&facts(&["county-lines"])),
            &[action("a1", Some(RagStatus::Green), "Council")],
            &["a3".to_string()],
        )
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
        .replace_facts(mine, FACTS_VERSION, 0, &facts(&[]), &[], true)
        .await
        .unwrap();
    assert_eq!(store.facts_version(mine).await.unwrap(), Some(FACTS_VERSION));
    assert_eq!(store.figures(scope(Some(pat.id), None)).await.unwrap()[0].actions, 2);
}

fn sorted_pairs(mut pairs: Vec<(Uuid, u32)>) -> Vec<(Uuid, u32)> {
    pairs.sort();
    pairs
}

#[tokio::test]
async fn postgres_facts_round_trip_per_update_and_per_scope() {
    let store = PgStore::from_pool(fresh_pg_pool().await);
    facts_round_trip_per_update_and_per_scope(&store).await;
}

#[tokio::test]
async fn sqlite_facts_round_trip_per_update_and_per_scope() {
    let (_dir, path) = fresh_sqlite_path();
    let store = SqliteStore::open(&path).await.expect("open SQLite store");
    facts_round_trip_per_update_and_per_scope(&store).await;
}

/// Rooms of one plan on two nodes write facts from their own state, and
/// their commits land in any order: a late write from an earlier seq
/// changes nothing kept from a later one, nor brings back a removed action.
async fn late_writes_keep_what_is_newer(store: &dyn Both) {
    let id = plan(store, "Two nodes", None).await;
    store
        .replace_facts(
            id,
            FACTS_VERSION,
            10,
            &facts(&["fraud"]),
            &[
                action("a1", Some(RagStatus::Red), "Council"),
                action("a2", Some(RagStatus::Amber), "Police"),
            ],
            false,
        )
        .await
        .unwrap();
    // Seq 12 (this node): a1 turns GREEN, a2 is deleted, the threat changes.
    store
        .update_facts(
            id,
            12,
            Some(&facts(&["county-lines"])),
            &[action("a1", Some(RagStatus::Green), "Council")],
            &["a2".to_string()],
        )
        .await
        .unwrap();
    // Seq 11 (the other node, committing late): it has a1 AMBER, a2 still
    // there, and a new a3.
    store
        .update_facts(
            id,
            11,
            Some(&facts(&["fraud"])),
            &[
                action("a1", Some(RagStatus::Amber), "Council"),
                action("a2", Some(RagStatus::Red), "Police"),
                action("a3", Some(RagStatus::Red), "Police"),
            ],
            &[],
        )
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
    store
        .replace_facts(
            id,
            FACTS_VERSION,
            11,
            &facts(&[]),
            &[action("a1", None, "Council")],
            false,
        )
        .await
        .unwrap();
    let figures = store.figures(scope(None, None)).await.unwrap();
    assert_eq!(figures[0].facts, facts(&["county-lines"]));
    assert_eq!(
        (figures[0].actions, figures[0].rag),
        (1, rag(1, 0, 0)),
        "a3 gone, a1 as of 12"
    );

    // An action restored later (an undo brings back its id) is written again.
    store
        .update_facts(id, 13, None, &[action("a2", Some(RagStatus::Amber), "Police")], &[])
        .await
        .unwrap();
    let figures = store.figures(scope(None, None)).await.unwrap();
    assert_eq!((figures[0].actions, figures[0].rag), (2, rag(1, 1, 0)));
}

#[tokio::test]
async fn postgres_late_writes_keep_what_is_newer() {
    late_writes_keep_what_is_newer(&PgStore::from_pool(fresh_pg_pool().await)).await;
}

#[tokio::test]
async fn sqlite_late_writes_keep_what_is_newer() {
    let (_dir, path) = fresh_sqlite_path();
    late_writes_keep_what_is_newer(&SqliteStore::open(&path).await.expect("open SQLite store")).await;
}

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
    store
        .replace_facts(
            mine,
            FACTS_VERSION,
            1,
            &facts(&[]),
            &[ours.clone(), named.clone(), action("a3", None, "Police")],
            false,
        )
        .await
        .unwrap();
    store
        .replace_facts(
            other,
            FACTS_VERSION,
            1,
            &facts(&[]),
            &[action("b1", None, "Council")],
            false,
        )
        .await
        .unwrap();

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
        .update_facts(
            mine,
            2,
            None,
            &[ActionFacts {
                submitted: true,
                ..ours
            }],
            &[],
        )
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
    store
        .record_return(id, pat.id, at, "OFFICIAL", &mine.to_string(), "{\"rows\":[]}")
        .await
        .unwrap();
    let stored = store.recorded_return(id).await.unwrap().unwrap();
    assert_eq!(
        stored,
        (
            pat.id,
            "Pat".to_string(),
            at,
            "OFFICIAL".to_string(),
            mine.to_string(),
            "{\"rows\":[]}".to_string()
        )
    );
    assert!(store.recorded_return(Uuid::new_v4()).await.unwrap().is_none());
}

#[tokio::test]
async fn postgres_actions_across_plans() {
    actions_across_plans(&PgStore::from_pool(fresh_pg_pool().await)).await;
}

#[tokio::test]
async fn sqlite_actions_across_plans() {
    let (_dir, path) = fresh_sqlite_path();
    actions_across_plans(&SqliteStore::open(&path).await.expect("open SQLite store")).await;
}
