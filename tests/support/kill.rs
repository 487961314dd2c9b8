//! One trial of killing a server node mid-burst, shared by the fault test
//! (20 trials) and `pillars-load kills` (100 or more).

use crate::db::load_from_database;
use crate::node::NodeProcess;
use crate::{Client, TestApp};
use plan::{PlanDoc, Section};
use yrs::Text;

/// Edits the writer makes before the kill, and while cut off after it.
const BURST: usize = 60;
const OFFLINE: usize = 15;

fn aim(p: &PlanDoc) -> String {
    p.section_text(&p.transact(), Section::Aim)
}

/// A writer on a fresh node streams edits; watchers on that node and on
/// `survivor` see them relayed. The node is killed (SIGKILL) a third of
/// the way in. Everything either watcher saw is in storage; the writer,
/// cut off, goes on editing, then reconnects to the survivor, and every
/// one of its edits, sent or not, is stored and reaches the survivor's
/// watcher. Panics with what went wrong.
pub async fn kill_trial(setup: &TestApp, node_bin: &str, database_url: &str, survivor: &NodeProcess, trial: usize) {
    let plan = setup.create_plan(&format!("Operation Kill {trial}")).await;
    let mut doomed = NodeProcess::start(node_bin, database_url);
    let writer = Client::connect(&doomed.ws(plan, &setup.cookie)).await;
    let near = Client::connect(&doomed.ws(plan, &setup.cookie)).await;
    let far = Client::connect(&survivor.ws(plan, &setup.cookie)).await;
    let text = writer.plan.doc().get_or_insert_text("aim");
    for i in 0..BURST {
        writer.edit(|_, txn| text.push(txn, &format!("e{i} ")));
        if i == BURST / 3 {
            // Mid-burst: once the far watcher has seen a few relayed.
            far.wait_until("some relayed edits", |s| s.updates >= 2).await;
            doomed.kill();
        }
    }
    for watcher in [&near, &far] {
        let seen = aim(&watcher.plan);
        let stored = aim(&load_from_database(&setup.pool, plan).await);
        assert!(
            stored.starts_with(&seen),
            "trial {trial}: a client saw {seen:?} relayed but storage holds {stored:?}"
        );
    }
    writer
        .wait_until("the dead node's socket to drop", |s| s.closed.is_some())
        .await;
    for i in BURST..BURST + OFFLINE {
        writer.edit(|_, txn| text.push(txn, &format!("e{i} ")));
    }
    let everything: String = (0..BURST + OFFLINE).map(|i| format!("e{i} ")).collect();
    assert_eq!(aim(&writer.plan), everything);
    let _back = Client::connect_with(&survivor.ws(plan, &setup.cookie), writer.plan.clone()).await;
    far.wait_for_doc("every edit, offline ones too", |p| aim(p) == everything)
        .await;
    assert_eq!(
        aim(&load_from_database(&setup.pool, plan).await),
        everything,
        "trial {trial}: storage holds every edit once relayed"
    );
}
