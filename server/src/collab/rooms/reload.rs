//! Reloading a plan's rooms from storage after what storage holds was
//! rewritten under them (a redaction): every node's room closes its
//! clients, telling them to load the page afresh, and ends without
//! compacting, so the next join loads the rewritten plan.

use super::{CloseReason, Command, Rooms};
use uuid::Uuid;

/// Close code telling a client its copy of the plan is void: reload the
/// page, never re-send what it holds ([`plan::sync_client::AfterClose::Reload`]).
pub const RELOAD_PAGE: u16 = 4409;

impl Rooms {
    /// Closes the plan's room on every node (see the module) and waits for
    /// this node's to end.
    pub async fn reload(&self, plan_id: Uuid, reason: &str) {
        self.reload_here(plan_id, reason).await;
        self.inner.settings.others.publish(crate::cluster::Notice::Reload {
            plan: plan_id,
            reason: reason.to_string(),
        });
    }

    /// [`Rooms::reload`] on this node only (another node told us).
    pub async fn reload_here(&self, plan_id: Uuid, reason: &str) {
        let reason = CloseReason {
            code: RELOAD_PAGE,
            reason: reason.to_string(),
        };
        self.tell(plan_id, Command::Reload { reason }).await;
        self.unloaded(plan_id).await;
    }
}
