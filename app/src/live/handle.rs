//! What a plan page shares with its live parts: the connection state, a
//! change counter, and (in the browser) the live replica itself.

use leptos::prelude::*;
use plan::sync_client::ConnectionState;

/// Provided as context by the plan page. Cheap to copy.
#[derive(Clone, Copy)]
pub struct LiveHandle {
    pub plan_id: uuid::Uuid,
    pub state: RwSignal<ConnectionState>,
    /// Bumped whenever the replica changes from the server.
    pub version: RwSignal<u64>,
    /// The replica has caught up with the server at least once. Editors
    /// stay read-only until then: an edit made against an empty replica
    /// would duplicate the text it cannot yet see.
    pub synced_once: RwSignal<bool>,
    /// Set once the replica exists (in the browser, after hydration).
    #[cfg(feature = "hydrate")]
    pub replica: StoredValue<Option<super::provider::LivePlan>, LocalStorage>,
    #[cfg(feature = "hydrate")]
    pub ready: RwSignal<bool>,
}

impl LiveHandle {
    /// Made during rendering, on the server and in the browser alike.
    pub fn new(plan_id: uuid::Uuid) -> Self {
        LiveHandle {
            plan_id,
            state: RwSignal::new(ConnectionState::Syncing),
            version: RwSignal::new(0),
            synced_once: RwSignal::new(false),
            #[cfg(feature = "hydrate")]
            replica: StoredValue::new_local(None),
            #[cfg(feature = "hydrate")]
            ready: RwSignal::new(false),
        }
    }

    /// Opens the live connection once the page is running in a browser.
    pub fn start(self) {
        #[cfg(feature = "hydrate")]
        Effect::new(move |started: Option<()>| {
            if started.is_none() {
                let live = super::provider::LivePlan::connect(&self.plan_id.to_string(), self.state, self.version);
                self.replica.set_value(Some(live));
                self.ready.set(true);
            }
        });
        #[cfg(feature = "hydrate")]
        Effect::new(move |_| {
            if self.state.get() == ConnectionState::Synced && !self.synced_once.get_untracked() {
                self.synced_once.set(true);
            }
        });
    }
}
