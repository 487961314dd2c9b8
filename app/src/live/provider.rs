//! The browser's connection to a plan: a `WebSocket` to `/ws/plans/{id}`
//! driving [`plan::sync_client::SyncClient`], reconnecting with backoff.
//! Local changes are sent as they are made; while offline they stay in the
//! replica and reach the server when the connection returns.

use leptos::prelude::*;
use plan::sync_client::{Backoff, ConnectionState, SyncClient, REMOTE_ORIGIN};
use plan::{new_doc, PlanDoc};
use std::cell::RefCell;
use std::rc::Rc;
use std::time::Duration;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;
use web_sys::{BinaryType, MessageEvent, WebSocket};

/// A live replica of one plan. Cheap to clone.
#[derive(Clone)]
pub struct LivePlan {
    pub plan: PlanDoc,
    /// Where the connection stands.
    pub state: RwSignal<ConnectionState>,
    /// Bumped whenever the document changes from the server.
    pub version: RwSignal<u64>,
    inner: Rc<RefCell<Inner>>,
}

struct Inner {
    sync: SyncClient,
    url: String,
    socket: Option<WebSocket>,
    backoff: Backoff,
}

impl LivePlan {
    /// Opens the plan's connection (relative to the page's own host),
    /// reporting its state through `state`.
    pub fn connect(plan_id: &str, state: RwSignal<ConnectionState>, version: RwSignal<u64>) -> LivePlan {
        let plan = PlanDoc::new(new_doc());
        let location = window().location();
        let scheme = if location.protocol().ok().as_deref() == Some("https:") {
            "wss"
        } else {
            "ws"
        };
        let host = location.host().unwrap_or_default();
        let live = LivePlan {
            state,
            version,
            inner: Rc::new(RefCell::new(Inner {
                sync: SyncClient::new(plan.clone()),
                url: format!("{scheme}://{host}/ws/plans/{plan_id}"),
                socket: None,
                backoff: Backoff::new(250, 10_000),
            })),
            plan,
        };
        live.send_local_changes();
        live.open();
        live
    }

    fn send_local_changes(&self) {
        // yrs wants a Send + Sync observer; the browser runs one thread.
        let inner = send_wrapper::SendWrapper::new(Rc::downgrade(&self.inner));
        // Keyed observers live as long as the document.
        let observed = self
            .plan
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

    fn open(&self) {
        let url = self.inner.borrow().url.clone();
        let Ok(socket) = WebSocket::new(&url) else {
            self.retry_later();
            return;
        };
        socket.set_binary_type(BinaryType::Arraybuffer);

        let this = self.clone();
        let on_open = Closure::<dyn FnMut()>::new(move || {
            let mut inner = this.inner.borrow_mut();
            let hello = inner.sync.on_open();
            if let Some(socket) = &inner.socket {
                let _ = socket.send_with_u8_array(&hello);
            }
            drop(inner);
            this.state.set(ConnectionState::Syncing);
        });
        let this = self.clone();
        let on_message = Closure::<dyn FnMut(MessageEvent)>::new(move |event: MessageEvent| {
            let Ok(buffer) = event.data().dyn_into::<js_sys::ArrayBuffer>() else {
                return;
            };
            let bytes = js_sys::Uint8Array::new(&buffer).to_vec();
            let mut inner = this.inner.borrow_mut();
            match inner.sync.on_frame(&bytes) {
                Ok(incoming) => {
                    if let Some(socket) = &inner.socket {
                        for reply in &incoming.replies {
                            let _ = socket.send_with_u8_array(reply);
                        }
                    }
                    let state = inner.sync.state();
                    if state == ConnectionState::Synced {
                        inner.backoff.reset();
                    }
                    drop(inner);
                    this.state.set(state);
                    if incoming.changed {
                        this.version.update(|v| *v += 1);
                    }
                }
                Err(e) => leptos::logging::warn!("ignoring a frame from the server: {e}"),
            }
        });
        let this = self.clone();
        let on_close = Closure::<dyn FnMut()>::new(move || {
            {
                let mut inner = this.inner.borrow_mut();
                inner.sync.on_close();
                inner.socket = None;
            }
            this.state.set(ConnectionState::Offline);
            this.retry_later();
        });
        socket.set_onopen(Some(on_open.as_ref().unchecked_ref()));
        socket.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        socket.set_onclose(Some(on_close.as_ref().unchecked_ref()));
        // The socket holds its handlers for as long as it lives.
        on_open.forget();
        on_message.forget();
        on_close.forget();
        self.inner.borrow_mut().socket = Some(socket);
    }

    fn retry_later(&self) {
        let delay = self.inner.borrow_mut().backoff.next_delay_ms();
        let this = self.clone();
        set_timeout(move || this.open(), Duration::from_millis(u64::from(delay)));
    }
}
