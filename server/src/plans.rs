//! Plan-level operations shared by the REST API and the Leptos pages:
//! creating, listing and exporting plans.

use crate::store::{PlanStore, Snapshot, StoreError};
use anyhow::Context;
use plan::{NewPlan, PlanDoc, PlanExport, PlanSummary, ReviewIntervals};
use std::sync::Arc;
use uuid::Uuid;
use yrs::updates::encoder::Encode;
use yrs::{ReadTxn, StateVector};

#[derive(Clone)]
pub struct Plans {
    store: Arc<dyn PlanStore>,
    intervals: ReviewIntervals,
}

impl Plans {
    pub fn new(store: Arc<dyn PlanStore>, intervals: ReviewIntervals) -> Self {
        Plans { store, intervals }
    }

    pub fn store(&self) -> &Arc<dyn PlanStore> {
        &self.store
    }

    /// Creates a plan (already validated); returns its export and summary.
    pub async fn create(&self, new: &NewPlan) -> anyhow::Result<(PlanExport, PlanSummary)> {
        let id = Uuid::new_v4();
        let today = chrono::Utc::now().date_naive();
        let doc = PlanDoc::create(new, today);
        let (snapshot, export, summary) = {
            let txn = doc.transact();
            let snapshot = Snapshot {
                upto_seq: 0,
                state: txn.encode_state_as_update_v1(&StateVector::default()),
                state_vector: txn.state_vector().encode_v1(),
            };
            (
                snapshot,
                doc.export(&txn, id, &self.intervals),
                doc.summary(&txn, id, &self.intervals),
            )
        };
        self.store
            .create_plan(id, &snapshot, &summary)
            .await
            .context("storing a new plan")?;
        tracing::info!(plan = %id, subject = %new.subject_name, "plan created");
        Ok((export, summary))
    }

    pub async fn list(&self) -> Result<Vec<PlanSummary>, StoreError> {
        self.store.list_plans().await
    }

    /// The whole plan as stored: snapshot plus every logged update, which
    /// includes every update any client has been sent.
    pub async fn export(&self, id: Uuid) -> Result<Option<PlanExport>, StoreError> {
        let stored = match self.store.load(id).await {
            Ok(stored) => stored,
            Err(StoreError::NotFound(_)) => return Ok(None),
            Err(e) => return Err(e),
        };
        let snapshot = stored.snapshot.as_ref().map(|s| s.state.as_slice());
        let (room, problems) =
            crate::collab::room::Room::load(snapshot, stored.updates.iter().map(|u| u.update.as_slice()));
        for problem in problems {
            tracing::error!(plan = %id, %problem, "a stored update could not be applied; skipped");
        }
        let doc = room.plan();
        let export = doc.export(&doc.transact(), id, &self.intervals);
        Ok(Some(export))
    }
}
