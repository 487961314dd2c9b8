//! The plan's `WebSocket`: opening it, and what its open, message and
//! close events do to the sync client, the presence board and the page.

use super::{now_ms, LivePlan};
use leptos::prelude::*;
use plan::presence::PresenceBoard;
use plan::sync_client::{AfterClose, ConnectionState};
use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;
use web_sys::{BinaryType, CloseEvent, MessageEvent, WebSocket};

impl LivePlan {
    /// Opens a socket to the plan's URL (retrying later if it cannot) and
    /// hands it the handlers that drive the connection.
    pub(super) fn open(&self) {
        let url = {
            let mut inner = self.inner.borrow_mut();
            inner.silence.heard(now_ms());
            inner.url.clone()
        };
        let Ok(socket) = WebSocket::new(&url) else {
            self.retry_later();
            return;
        };
        socket.set_binary_type(BinaryType::Arraybuffer);

        let this = self.clone();
        let on_open = Closure::<dyn FnMut()>::new(move || {
            let mut inner = this.inner.borrow_mut();
            let hello = inner.sync.on_open();
            // The server forgot the last connection's presence: announce
            // afresh under a new id.
            inner.presence = PresenceBoard::new(now_ms);
            let me = inner.me.clone();
            let announce = inner.presence.set_local(&me);
            if let Some(socket) = &inner.socket {
                let _ = socket.send_with_u8_array(&hello);
                if let Some(frame) = announce {
                    let _ = socket.send_with_u8_array(&frame);
                }
            }
            drop(inner);
            this.handle.peers.set(Vec::new());
            this.handle.state.set(ConnectionState::Syncing);
        });
        let this = self.clone();
        let on_message = Closure::<dyn FnMut(MessageEvent)>::new(move |event: MessageEvent| {
            let Ok(buffer) = event.data().dyn_into::<js_sys::ArrayBuffer>() else {
                return;
            };
            let bytes = js_sys::Uint8Array::new(&buffer).to_vec();
            let mut inner = this.inner.borrow_mut();
            inner.silence.heard(now_ms());
            match inner.sync.on_frame(&bytes) {
                Ok(incoming) if incoming.denied.is_some() => {
                    drop(inner);
                    leptos::logging::warn!("the server refused a change: {:?}", incoming.denied);
                    this.start_over();
                }
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
                    let mut peers_changed = false;
                    for update in incoming.awareness {
                        peers_changed |= inner.presence.apply(update);
                    }
                    let peers = peers_changed.then(|| inner.presence.peers());
                    drop(inner);
                    if this.handle.state.get_untracked() != state {
                        this.handle.state.set(state);
                    }
                    if let Some(peers) = peers {
                        this.handle.peers.set(peers);
                    }
                    if incoming.changed {
                        this.handle.version.update(|v| *v += 1);
                    }
                }
                Err(e) => leptos::logging::warn!("ignoring a frame from the server: {e}"),
            }
        });
        let this = self.clone();
        let on_close = Closure::<dyn FnMut(CloseEvent)>::new(move |event: CloseEvent| {
            this.went_offline();
            // Reconnecting after the session ended would only be refused.
            let leave_for = match AfterClose::for_code(event.code()) {
                AfterClose::Reconnect => return this.retry_later(),
                AfterClose::LogIn => "/login",
                AfterClose::Leave => "/",
                AfterClose::Reload => {
                    // The replica holds text since redacted: drop it with the page.
                    if let Some(window) = web_sys::window() {
                        let _ = window.location().reload();
                    }
                    return;
                }
            };
            if let Some(window) = web_sys::window() {
                let _ = window.location().set_href(leave_for);
            }
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
}
