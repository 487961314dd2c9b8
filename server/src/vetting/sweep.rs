//! Vetting lapses by time passing, with nobody changing anything: every
//! `PILLARS_VETTING_SWEEP_SECS` each node asks the database which members
//! their vetting now shuts out, and closes their connections to the plans
//! open on this node (4403). Each node sweeps its own rooms, so nothing is
//! told between nodes. A member is shut out once per lapse: the sweep
//! remembers whom it has closed until they are cleared again (or their
//! vetting is changed, which shuts them out at once anyway).
//!
//! A change of a plan's marking that raises what it needs is handled the
//! same way, at once, by [`Vettings::requirement_changed`] (the plan's room
//! says so once the new marking is stored).

use super::Vettings;
use std::collections::HashSet;
use std::time::Duration;
use tokio::sync::mpsc;
use uuid::Uuid;

impl Vettings {
    /// Sweeps every `every` until the server stops.
    pub fn spawn_sweep(&self, every: Duration) -> tokio::task::JoinHandle<()> {
        let vettings = self.clone();
        tokio::spawn(async move {
            let mut ticks = tokio::time::interval(every);
            ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
            loop {
                ticks.tick().await;
                if let Err(e) = vettings.sweep().await {
                    tracing::error!(error = ?e, "the vetting sweep failed; trying again next time");
                }
            }
        })
    }

    /// One sweep: closes the connections, on this node, of members whose
    /// vetting has lapsed since the last.
    pub async fn sweep(&self) -> Result<(), crate::store::StoreError> {
        let now: HashSet<(Uuid, Uuid)> = self.store.shut_out(None, None).await?.into_iter().collect();
        let fresh: Vec<(Uuid, Uuid)> = {
            let mut swept = self.swept.lock().unwrap_or_else(|e| e.into_inner());
            let fresh = now.difference(&swept).copied().collect();
            *swept = now;
            fresh
        };
        for (plan, user) in fresh {
            if self.rooms.is_loaded(plan) {
                tracing::info!(%plan, %user, "vetting lapsed: closing the member's connections");
                self.rooms.member_changed_here(plan, user, None).await;
            }
        }
        Ok(())
    }

    /// Shuts out the members of each plan whose stored marking changed
    /// (`changed` is the rooms' side of the channel), until the server
    /// stops.
    pub fn follow_markings(&self, mut changed: mpsc::UnboundedReceiver<Uuid>) -> tokio::task::JoinHandle<()> {
        let vettings = self.clone();
        tokio::spawn(async move {
            while let Some(plan) = changed.recv().await {
                vettings.requirement_changed(plan).await;
            }
        })
    }

    /// The plan's marking changed: members its level now shuts out are
    /// disconnected, on every node.
    pub async fn requirement_changed(&self, plan: Uuid) {
        if let Err(e) = self.shut_out_plan(plan).await {
            tracing::error!(%plan, error = ?e, "could not apply a changed marking's vetting; the sweep will");
        }
    }
}
