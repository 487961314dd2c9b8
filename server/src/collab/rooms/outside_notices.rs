//! What other server nodes (see [`crate::cluster`]) and other services
//! (accounts, memberships) tell this node's rooms.

use super::{Command, Rooms};
use plan::access::Role;
use uuid::Uuid;

impl Rooms {
    /// [`Rooms::member_changed`] on this node only (another node told us).
    pub async fn member_changed_here(&self, plan_id: Uuid, user: Uuid, role: Option<Role>) {
        self.tell(plan_id, Command::Access { user, role }).await;
    }

    /// Closes a disabled user's connections in every plan open here
    /// (other nodes hear of it from [`crate::accounts::Accounts`]).
    pub async fn user_disabled(&self, user: Uuid) {
        for tx in self.all_open() {
            let _ = tx.send(Command::Access { user, role: None }).await;
        }
    }

    /// Another node committed the plan's updates up to `upto`.
    pub async fn committed_elsewhere(&self, plan_id: Uuid, upto: i64) {
        self.tell(plan_id, Command::Committed { upto }).await;
    }

    /// Presence changes from another node's connections to the plan.
    pub async fn presence_elsewhere(
        &self,
        plan_id: Uuid,
        node: Uuid,
        update: yrs::sync::AwarenessUpdate,
        users: Vec<(u64, Uuid)>,
    ) {
        self.tell(plan_id, Command::Presence { node, update, users }).await;
    }

    /// Another node is gone: every open room drops its connections'
    /// presence (they reconnect elsewhere and announce it afresh).
    pub async fn node_gone(&self, node: Uuid) {
        for tx in self.all_open() {
            let _ = tx.send(Command::NodeGone { node }).await;
        }
    }

    /// Every open room reads what other nodes committed meanwhile (their
    /// notices may have been missed).
    pub async fn catch_up_all(&self) {
        for tx in self.all_open() {
            let _ = tx.send(Command::Committed { upto: i64::MAX }).await;
        }
    }

    /// Sends `command` to the plan's room if it is open here.
    pub(super) async fn tell(&self, plan_id: Uuid, command: Command) {
        let tx = {
            let open = self.inner.open.lock().unwrap_or_else(|e| e.into_inner());
            open.get(&plan_id).map(|(_, tx)| tx.clone())
        };
        if let Some(tx) = tx {
            let _ = tx.send(command).await;
        }
    }
}

/// Disabling an account (the accounts service, below the rooms) closes its
/// connections here at once.
#[async_trait::async_trait]
impl crate::accounts::OpenPlans for Rooms {
    async fn user_disabled(&self, user: Uuid) {
        Rooms::user_disabled(self, user).await;
    }
}
