//! The browser's connection to a plan: a `WebSocket` to `/ws/plans/{id}`
//! driving [`plan::sync_client::SyncClient`], reconnecting with backoff.
//! Local changes are sent as they are made; while offline they stay in the
//! replica and reach the server when the connection returns. Presence (name,
//! colour, field) rides on the same socket.

use super::LiveHandle;
use leptos::prelude::*;
use plan::presence::{colour_for, Presence, PresenceBoard, PresenceUser};
use plan::sync_client::{Backoff, ConnectionState, Silence, SyncClient, REMOTE_ORIGIN};
use plan::PlanDoc;
use std::cell::RefCell;
use std::rc::Rc;
use std::time::Duration;
use web_sys::WebSocket;

mod socket;

/// The live connection of one plan page. Cheap to clone.
#[derive(Clone)]
pub struct LivePlan {
    plan: PlanDoc,
    handle: LiveHandle,
    inner: Rc<RefCell<Inner>>,
}

struct Inner {
    sync: SyncClient,
    url: String,
    socket: Option<WebSocket>,
    backoff: Backoff,
    /// Since the server was last heard from: a silent one is taken for gone.
    silence: Silence,
    /// Presence for the current connection (a new one per connection).
    presence: PresenceBoard,
    me: Presence,
}

/// How often the page checks that the server is still heard from.
const SILENCE_CHECK: Duration = Duration::from_secs(5);

fn now_ms() -> u64 {
    js_sys::Date::now() as u64
}

fn presence_of(name: String, field: Option<String>) -> Presence {
    let seed = name
        .bytes()
        .fold(0u64, |h, b| h.wrapping_mul(31).wrapping_add(u64::from(b)));
    Presence {
        user: PresenceUser {
            color: colour_for(seed).to_string(),
            name,
        },
        field,
    }
}

impl LivePlan {
    /// Opens the plan's connection (relative to the page's own host) for
    /// the handle's replica, reporting through the handle's signals.
    pub fn connect(handle: LiveHandle) -> LivePlan {
        let plan = handle.plan();
        let presence = PresenceBoard::new(now_ms);
        // Shown as the account's name and agency: presence is attributable.
        let name = format!("{} ({})", handle.viewer_name.get_value(), handle.agency.get_value());
        let me = presence_of(name, None);
        handle.me.set(Some(me.user.clone()));
        let location = window().location();
        let scheme = if location.protocol().ok().as_deref() == Some("https:") {
            "wss"
        } else {
            "ws"
        };
        let host = location.host().unwrap_or_default();
        let live = LivePlan {
            handle,
            inner: Rc::new(RefCell::new(Inner {
                sync: SyncClient::new(plan.clone()),
                url: format!("{scheme}://{host}/ws/plans/{}", handle.plan_id),
                socket: None,
                backoff: Backoff::new(250, 10_000),
                silence: Silence::new(now_ms()),
                presence,
                me,
            })),
            plan,
        };
        live.send_local_changes(&live.plan);
        live.open();
        let watching = live.clone();
        if let Ok(check) = set_interval_with_handle(move || watching.check_server(), SILENCE_CHECK) {
            on_cleanup(move || check.clear());
        }
        live
    }

    /// Gives up a connection the server has been silent on (see
    /// [`Silence`]) and reconnects: a hung node, or a network that dropped
    /// without a word, would otherwise leave the page showing "live" while
    /// nothing goes through.
    fn check_server(&self) {
        // Not connected: a reconnection is already on its way.
        let Some(socket) = self.inner.borrow().socket.clone() else {
            return;
        };
        if !self.inner.borrow().silence.server_gone(now_ms()) {
            return;
        }
        // A close handshake may never finish on a dead network: stop
        // listening to this socket rather than wait for its close event.
        socket.set_onopen(None);
        socket.set_onmessage(None);
        socket.set_onclose(None);
        let _ = socket.close();
        leptos::logging::warn!("heard nothing from the server for a while; reconnecting");
        self.went_offline();
        self.retry_later();
    }

    /// The connection is gone: the page says so and shows nobody else.
    fn went_offline(&self) {
        {
            let mut inner = self.inner.borrow_mut();
            inner.sync.on_close();
            inner.socket = None;
        }
        self.handle.state.set(ConnectionState::Offline);
        self.handle.peers.set(Vec::new());
    }

    fn send_local_changes(&self, plan: &PlanDoc) {
        // yrs wants a Send + Sync observer; the browser runs one thread.
        let inner = send_wrapper::SendWrapper::new(Rc::downgrade(&self.inner));
        // Keyed observers live as long as the document.
        let observed = plan
            .doc()
            .observe_update_v1("pillars-send", move |txn: &yrs::TransactionMut, event| {
                if txn.origin().is_some_and(|o| o.as_ref() == REMOTE_ORIGIN.as_bytes()) {
                    return; // came from the server: never echo it back
                }
                let Some(inner) = inner.upgrade() else { return };
                let inner = inner.borrow();
                if let (Some(frame), Some(socket)) = (inner.sync.local_update(event.update.clone()), &inner.socket) {
                    let _ = socket.send_with_u8_array(&frame);
                }
            });
        if observed.is_err() {
            leptos::logging::error!("could not watch the plan for local changes");
        }
    }

    /// After a refused change, drops the replica (which still holds the
    /// change, and which later updates would build on) and takes the
    /// server's state afresh, so the page shows what everyone else sees.
    fn start_over(&self) {
        let fresh = PlanDoc::new(plan::new_doc());
        self.send_local_changes(&fresh);
        let hello = {
            let mut inner = self.inner.borrow_mut();
            inner.sync = SyncClient::new(fresh.clone());
            inner.sync.on_open()
        };
        self.handle.replace_plan(fresh);
        if let Some(socket) = &self.inner.borrow().socket {
            let _ = socket.send_with_u8_array(&hello);
        }
        self.handle.state.set(ConnectionState::Syncing);
    }

    /// Tells the others which field this person is in.
    pub fn set_field(&self, field: Option<String>) {
        self.update_me(|me| me.field = field);
    }

    fn update_me(&self, change: impl FnOnce(&mut Presence)) {
        let mut inner = self.inner.borrow_mut();
        let mut me = inner.me.clone();
        change(&mut me);
        if me == inner.me {
            return;
        }
        inner.me = me.clone();
        if inner.sync.state() == ConnectionState::Offline {
            return; // announced on reconnect
        }
        if let (Some(frame), Some(socket)) = (inner.presence.set_local(&me), &inner.socket) {
            let _ = socket.send_with_u8_array(&frame);
        }
    }

    fn retry_later(&self) {
        let delay = self.inner.borrow_mut().backoff.next_delay_ms();
        let this = self.clone();
        set_timeout(move || this.open(), Duration::from_millis(u64::from(delay)));
    }
}
