//! The `PlanStore` contract, checked against both implementations: every
//! test body below runs once on a fresh PostgreSQL database and once on a
//! fresh SQLite file (see `on_both_stores!` at the end).

use plan::{HeaderText, NewPlan, PlanDoc, PlanExport, PlanSummary, ReviewIntervals, Section, SubjectKind, Tier, P};
use server::store::{PlanStore, Snapshot, StoreError, StoredPlan};
use uuid::Uuid;
use yrs::updates::decoder::Decode;
use yrs::updates::encoder::Encode;
use yrs::{ReadTxn, StateVector, Update};

// ---- helpers ------------------------------------------------------------

fn new_doc(name: &str) -> PlanDoc {
    let new = NewPlan {
        subject_kind: SubjectKind::Ocg,
        subject_name: name.to_string(),
        subject_ref: "OP-1".to_string(),
        tier: Tier::new(2).expect("tier 2 is valid"),
        lro: "DI Example".to_string(),
    };
    PlanDoc::create(&new, "2026-11-21".parse().expect("a valid date"))
}

fn snapshot_of(doc: &PlanDoc, upto_seq: i64) -> Snapshot {
    let txn = doc.transact();
    Snapshot {
        upto_seq,
        state: txn.encode_state_as_update_v1(&StateVector::default()),
        state_vector: txn.state_vector().encode_v1(),
    }
}

fn summary_of(doc: &PlanDoc, id: Uuid) -> PlanSummary {
    doc.summary(&doc.transact(), id, &ReviewIntervals::default())
}

fn export_of(doc: &PlanDoc, id: Uuid) -> PlanExport {
    doc.export(&doc.transact(), id, &ReviewIntervals::default())
}

/// One real edit, returned as the v1 update a client would send.
fn edit(doc: &PlanDoc, text: &str) -> Vec<u8> {
    let mut txn = doc.transact_mut();
    doc.set_section_text(&mut txn, Section::Aim, text);
    txn.encode_update_v1()
}

/// Rebuilds the document a loaded plan describes, as a room would.
fn rebuild(stored: &StoredPlan) -> PlanDoc {
    let doc = plan::new_doc();
    {
        let mut txn = yrs::Transact::transact_mut(&doc);
        let snapshot = stored.snapshot.as_ref().expect("a stored plan has a snapshot");
        let updates = std::iter::once(&snapshot.state).chain(stored.updates.iter().map(|u| &u.update));
        for bytes in updates {
            txn.apply_update(Update::decode_v1(bytes).expect("stored bytes decode"))
                .expect("update applies");
        }
    }
    PlanDoc::new(doc)
}

/// Creates a plan from a fresh document; returns its id and the document.
async fn create(store: &dyn PlanStore, name: &str) -> (Uuid, PlanDoc) {
    let id = Uuid::new_v4();
    let doc = new_doc(name);
    store
        .create_plan(id, &snapshot_of(&doc, 0), &summary_of(&doc, id))
        .await
        .expect("create_plan");
    (id, doc)
}

fn slices(updates: &[Vec<u8>]) -> Vec<&[u8]> {
    updates.iter().map(Vec::as_slice).collect()
}

/// Stand-in update bytes, for tests where only identity matters.
fn raw(texts: &[&'static str]) -> Vec<&'static [u8]> {
    texts.iter().map(|t| t.as_bytes()).collect()
}

fn seqs(stored: &StoredPlan) -> Vec<i64> {
    stored.updates.iter().map(|u| u.seq).collect()
}

// ---- the contract -------------------------------------------------------

async fn create_then_load_round_trips(store: &dyn PlanStore) {
    let (id, doc) = create(store, "Round trip").await;
    assert!(store.plan_exists(id).await.expect("plan_exists"));

    let stored = store.load(id).await.expect("load");
    assert_eq!(stored.snapshot, Some(snapshot_of(&doc, 0)));
    assert!(stored.updates.is_empty());
    assert_eq!(stored.last_seq(), 0);
    assert_eq!(export_of(&rebuild(&stored), id), export_of(&doc, id));
    assert_eq!(store.log_stats(id).await.expect("log_stats"), (0, 1));
}

async fn appended_updates_load_in_seq_order(store: &dyn PlanStore) {
    let (id, doc) = create(store, "Appends").await;
    let edits: Vec<Vec<u8>> = (1..=3).map(|i| edit(&doc, &format!("aim {i}"))).collect();
    // Two batches, as a room flushes them, plus an empty one (a no-op).
    store
        .append_updates(id, 1, &slices(&edits[..2]))
        .await
        .expect("append 1..2");
    store
        .append_updates(id, 3, &slices(&edits[2..]))
        .await
        .expect("append 3");
    store.append_updates(id, 4, &[]).await.expect("append nothing");

    let stored = store.load(id).await.expect("load");
    assert_eq!(stored.snapshot.as_ref().map(|s| s.upto_seq), Some(0));
    assert_eq!(seqs(&stored), [1, 2, 3]);
    let bytes: Vec<&Vec<u8>> = stored.updates.iter().map(|u| &u.update).collect();
    assert_eq!(bytes, edits.iter().collect::<Vec<_>>());
    assert_eq!(stored.last_seq(), 3);
    // The log replayed over the snapshot is the live document.
    let rebuilt = rebuild(&stored);
    assert_eq!(rebuilt.section_text(&rebuilt.transact(), Section::Aim), "aim 3");
    assert_eq!(export_of(&rebuilt, id), export_of(&doc, id));
}

async fn duplicate_seq_fails_and_changes_nothing(store: &dyn PlanStore) {
    let (id, _doc) = create(store, "Duplicates").await;
    store
        .append_updates(id, 1, &raw(&["one", "two", "three"]))
        .await
        .expect("append 1..3");

    // seq 2 and 3 exist: the whole batch (including the new seq 4) fails.
    let result = store.append_updates(id, 2, &raw(&["TWO", "THREE", "four"])).await;
    assert!(matches!(result, Err(StoreError::Database { .. })), "{result:?}");
    // A duplicate of only the first entry of a batch fails as well.
    let result = store.append_updates(id, 3, &raw(&["THREE", "four"])).await;
    assert!(result.is_err(), "{result:?}");

    let stored = store.load(id).await.expect("load");
    assert_eq!(seqs(&stored), [1, 2, 3]);
    let bytes: Vec<&[u8]> = stored.updates.iter().map(|u| u.update.as_slice()).collect();
    assert_eq!(bytes, raw(&["one", "two", "three"]));
    assert_eq!(store.log_stats(id).await.expect("log_stats"), (3, 1));
}

async fn appending_to_an_unknown_plan_fails(store: &dyn PlanStore) {
    let id = Uuid::new_v4();
    let result = store.append_updates(id, 1, &raw(&["orphan"])).await;
    assert!(matches!(result, Err(StoreError::Database { .. })), "{result:?}");
    assert!(!store.plan_exists(id).await.expect("plan_exists"));
    assert!(matches!(store.log_stats(id).await, Err(StoreError::NotFound(x)) if x == id));
}

async fn compaction_folds_the_log(store: &dyn PlanStore) {
    let (id, doc) = create(store, "Compaction").await;
    let edits: Vec<Vec<u8>> = (1..=5).map(|i| edit(&doc, &format!("aim {i}"))).collect();
    store.append_updates(id, 1, &slices(&edits)).await.expect("append 1..5");

    // Fold seqs 1..=3 into a snapshot of the document as it was then, the
    // way a room would: the stored snapshot plus the first three entries.
    let mut before = store.load(id).await.expect("load");
    before.updates.truncate(3);
    let folded = rebuild(&before);
    let snapshot = snapshot_of(&folded, 3);
    let mut summary = summary_of(&folded, id);
    summary.subject_name = "Compacted".to_string();
    store.compact(id, &snapshot, &summary).await.expect("compact at 3");

    let stored = store.load(id).await.expect("load");
    assert_eq!(stored.snapshot.as_ref(), Some(&snapshot));
    assert_eq!(seqs(&stored), [4, 5]);
    assert_eq!(
        store.log_stats(id).await.expect("log_stats"),
        (2, 2),
        "the first snapshot stays as history"
    );
    assert_eq!(store.list_plans().await.expect("list_plans"), [summary.clone()]);

    // An update arriving after the compaction survives it and loads after 5.
    let sixth = edit(&doc, "aim 6");
    store
        .append_updates(id, 6, &[sixth.as_slice()])
        .await
        .expect("append 6");
    let stored = store.load(id).await.expect("load");
    assert_eq!(seqs(&stored), [4, 5, 6]);
    assert_eq!(stored.last_seq(), 6);
    assert_eq!(export_of(&rebuild(&stored), id), export_of(&doc, id));

    // Compacting everything leaves nothing to apply after the latest snapshot.
    store
        .compact(id, &snapshot_of(&doc, 6), &summary)
        .await
        .expect("compact at 6");
    assert_eq!(store.log_stats(id).await.expect("log_stats"), (0, 3));
    let stored = store.load(id).await.expect("load");
    assert!(stored.updates.is_empty());
    assert_eq!(stored.last_seq(), 6);
}

async fn list_is_newest_first_and_summaries_update(store: &dyn PlanStore) {
    assert!(store.list_plans().await.expect("list_plans").is_empty());
    let mut created = Vec::new();
    for name in ["first", "second", "third"] {
        let (id, doc) = create(store, name).await;
        created.push(summary_of(&doc, id));
    }
    let listed = store.list_plans().await.expect("list_plans");
    let expected: Vec<PlanSummary> = created.iter().rev().cloned().collect();
    assert_eq!(listed, expected);

    // A new summary replaces the old one without moving the plan.
    let mut changed = created[1].clone();
    changed.subject_name = "second, renamed".to_string();
    changed.actions.red = 2;
    store
        .update_summary(changed.id, &changed, 5)
        .await
        .expect("update_summary");
    let listed = store.list_plans().await.expect("list_plans");
    assert_eq!(listed, [created[2].clone(), changed.clone(), created[0].clone()]);

    // One computed from an earlier state (another node's room, committing
    // late) does not replace it.
    store
        .update_summary(changed.id, &created[1], 4)
        .await
        .expect("a late summary is no error");
    let listed = store.list_plans().await.expect("list_plans");
    assert_eq!(listed, [created[2].clone(), changed, created[0].clone()]);

    let unknown = Uuid::new_v4();
    let result = store.update_summary(unknown, &created[0], 1).await;
    assert!(
        matches!(result, Err(StoreError::NotFound(x)) if x == unknown),
        "{result:?}"
    );
}

async fn loading_an_unknown_plan_is_not_found(store: &dyn PlanStore) {
    let id = Uuid::new_v4();
    let result = store.load(id).await;
    assert!(matches!(result, Err(StoreError::NotFound(x)) if x == id), "{result:?}");
}

async fn summary_round_trips_exactly(store: &dyn PlanStore) {
    let (id, doc) = create(store, "Summary").await;
    {
        let mut txn = doc.transact_mut();
        doc.set_header_text(&mut txn, HeaderText::SubjectName, "Ünïcödé \"quoted\" \\ OCG 🚓");
        doc.set_section_text(&mut txn, Section::Objectives(P::Prevent), "text");
    }
    let mut summary = summary_of(&doc, id);
    summary.subject_kind = Some(SubjectKind::Pi);
    summary.tier = Some(Tier::new(4).expect("tier 4 is valid"));
    summary.next_review = Some("2027-02-28".parse().expect("a valid date"));
    summary.actions.amber = 3;
    summary.actions.unset = 1;
    store.update_summary(id, &summary, 1).await.expect("update_summary");
    assert_eq!(store.list_plans().await.expect("list_plans"), [summary.clone()]);

    // Optional fields left empty come back empty, not defaulted.
    summary.subject_kind = None;
    summary.tier = None;
    summary.next_review = None;
    store.update_summary(id, &summary, 2).await.expect("update_summary");
    assert_eq!(store.list_plans().await.expect("list_plans"), [summary]);
}

// ---- one #[tokio::test] per body and store ------------------------------

integration_tests::on_both_stores!(
    create_then_load_round_trips,
    appended_updates_load_in_seq_order,
    duplicate_seq_fails_and_changes_nothing,
    appending_to_an_unknown_plan_fails,
    compaction_folds_the_log,
    list_is_newest_first_and_summaries_update,
    loading_an_unknown_plan_is_not_found,
    summary_round_trips_exactly,
);
