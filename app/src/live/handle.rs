//! What a plan page shares with its live parts: the plan's replica, the
//! connection state, a change counter and who else is present.
//!
//! The page renders from the replica on the server and in the browser alike
//! (the replica starts from the state the server rendered), so hydration
//! finds exactly the HTML it would have made, and the first sync fetches
//! only what changed since.

use leptos::prelude::*;
use plan::access::{same_agency, Role};
use plan::presence::{Peer, PresenceUser};
use plan::sync_client::ConnectionState;
use plan::{PlanDoc, ReviewIntervals};

/// Who is viewing the plan, as the live parts need it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Viewing {
    pub role: Role,
    pub agency: String,
    /// Shown to the others on the plan.
    pub name: String,
    /// The plan is closed: read-only for everyone.
    pub closed: bool,
}

/// Provided as context by the plan page. Cheap to copy.
#[derive(Clone, Copy)]
pub struct LiveHandle {
    pub plan_id: uuid::Uuid,
    pub intervals: ReviewIntervals,
    plan: StoredValue<PlanDoc>,
    pub state: RwSignal<ConnectionState>,
    /// Bumped after every change to the replica, local or remote.
    pub version: RwSignal<u64>,
    /// Everyone else on the plan.
    pub peers: RwSignal<Vec<Peer>>,
    /// How this person is shown to the others (known in the browser).
    pub me: RwSignal<Option<PresenceUser>>,
    /// True once the page runs in a browser and can edit.
    pub editable: RwSignal<bool>,
    /// The viewer's role on this plan, and who they are.
    pub role: Role,
    /// The plan is closed: nobody may change it (the server refuses).
    pub closed: bool,
    pub agency: StoredValue<String>,
    pub viewer_name: StoredValue<String>,
    #[cfg(feature = "hydrate")]
    connection: StoredValue<Option<super::provider::LivePlan>, LocalStorage>,
}

impl LiveHandle {
    /// Made during rendering, on the server and in the browser alike.
    pub fn new(plan_id: uuid::Uuid, plan: PlanDoc, intervals: ReviewIntervals, viewer: Viewing) -> Self {
        LiveHandle {
            plan_id,
            intervals,
            plan: StoredValue::new(plan),
            state: RwSignal::new(ConnectionState::Syncing),
            version: RwSignal::new(0),
            peers: RwSignal::new(Vec::new()),
            me: RwSignal::new(None),
            editable: RwSignal::new(false),
            role: viewer.role,
            closed: viewer.closed,
            agency: StoredValue::new(viewer.agency),
            viewer_name: StoredValue::new(viewer.name),
            #[cfg(feature = "hydrate")]
            connection: StoredValue::new_local(None),
        }
    }

    /// Whether the viewer may change the plan's own parts now (header,
    /// sections, checklist): the server refuses anyone else's edits, so
    /// the page does not offer them.
    pub fn may_edit_plan(&self) -> bool {
        self.writable() && self.role.edits_everything()
    }

    /// Whether the page may offer any change now: it runs in a browser,
    /// and the plan is not closed.
    fn writable(&self) -> bool {
        self.editable.get() && !self.closed
    }

    /// Whether the viewer may change an action owned by `owner_agency`.
    pub fn may_edit_action(&self, owner_agency: &str) -> bool {
        self.writable()
            && (self.role.edits_everything()
                || (self.role == Role::Partner && self.agency.with_value(|a| same_agency(a, owner_agency))))
    }

    /// Whether the viewer may add actions (partners: for their agency).
    pub fn may_add_actions(&self) -> bool {
        self.writable() && self.role != Role::Viewer
    }

    /// Whether the viewer may edit a text field.
    pub fn may_edit_text(&self, field: &plan::TextField) -> bool {
        match field {
            plan::TextField::Action { id, .. } => {
                let owner = self.read(|plan, txn| plan.action(txn, id).map(|a| a.owner_agency).ok());
                owner.is_some_and(|owner| self.may_edit_action(&owner))
            }
            _ => self.may_edit_plan(),
        }
    }

    /// Reads the replica, re-running the caller (a memo, a view) on change.
    pub fn read<R>(&self, f: impl FnOnce(&PlanDoc, &yrs::Transaction) -> R) -> R {
        self.version.track();
        self.plan.with_value(|plan| f(plan, &plan.transact()))
    }

    /// Changes the replica (the change is sent to the server as it
    /// commits) and tells everything that reads it.
    pub fn edit<R>(&self, f: impl FnOnce(&PlanDoc, &mut yrs::TransactionMut) -> R) -> R {
        let result = self.plan.with_value(|plan| f(plan, &mut plan.transact_mut()));
        self.version.update(|v| *v += 1);
        result
    }

    /// Replaces the replica (after the server refused a change).
    pub fn replace_plan(&self, plan: PlanDoc) {
        self.plan.set_value(plan);
        self.version.update(|v| *v += 1);
    }

    /// The replica, for binding editors.
    pub fn plan(&self) -> PlanDoc {
        self.plan.get_value()
    }

    /// Tells the others which field this person is in (`None`: none).
    pub fn focus(&self, field: Option<String>) {
        #[cfg(feature = "hydrate")]
        self.connection.with_value(|c| {
            if let Some(c) = c {
                c.set_field(field);
            }
        });
        #[cfg(not(feature = "hydrate"))]
        let _ = field;
    }

    /// Opens the live connection once the page runs in a browser.
    pub fn start(self) {
        #[cfg(feature = "hydrate")]
        Effect::new(move |started: Option<()>| {
            if started.is_none() {
                let live = super::provider::LivePlan::connect(self);
                self.connection.set_value(Some(live));
                self.editable.set(true);
            }
        });
    }
}
