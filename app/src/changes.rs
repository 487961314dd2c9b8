//! Pages that follow the server's change streams (server-sent events).

use leptos::prelude::*;

/// Bumps `changed` (at most every 300 ms) while the server-sent event
/// stream at `url` reports `event`s (e.g. `GET /api/plans/changes`). The
/// browser's `EventSource` reconnects by itself if the connection drops.
pub fn watch_changes(url: &'static str, event: &'static str, changed: RwSignal<u64>) {
    watch_events(url, vec![(event, changed)]);
}

/// [`watch_changes`] for a stream of any address, bumping `changed` at
/// most every `debounce_ms` (the lists wait longer than a thread does).
pub fn watch_changes_every(url: String, event: &'static str, changed: RwSignal<u64>, debounce_ms: u64) {
    watch_stream(url, vec![(event, changed)], debounce_ms);
}

/// [`watch_changes`] for several events of one stream, each bumping its
/// own signal, over one connection (a browser opens only six to a host).
pub fn watch_events(url: &'static str, events: Vec<(&'static str, RwSignal<u64>)>) {
    watch_stream(url.to_string(), events, 300);
}

fn watch_stream(url: String, events: Vec<(&'static str, RwSignal<u64>)>, debounce_ms: u64) {
    #[cfg(feature = "hydrate")]
    Effect::new(move |started: Option<()>| {
        use wasm_bindgen::closure::Closure;
        use wasm_bindgen::JsCast;
        if started.is_some() {
            return;
        }
        let Ok(source) = web_sys::EventSource::new(&url) else {
            leptos::logging::warn!("cannot watch {url}; this page updates when reloaded");
            return;
        };
        let mut listeners = Vec::new();
        for (event, changed) in events.iter().copied() {
            let pending = std::rc::Rc::new(std::cell::Cell::new(false));
            let on_change = Closure::<dyn FnMut()>::new(move || {
                if pending.replace(true) {
                    return; // a refresh is already on its way
                }
                let pending = pending.clone();
                set_timeout(
                    move || {
                        pending.set(false);
                        changed.update(|n| *n += 1);
                    },
                    std::time::Duration::from_millis(debounce_ms),
                );
            });
            let _ = source.add_event_listener_with_callback(event, on_change.as_ref().unchecked_ref());
            listeners.push(on_change);
        }
        // A page kept in the back/forward cache keeps its stream open, and a
        // browser opens only six connections to one host: a few pages later
        // every new page waits a minute for one. So the stream ends when the
        // page is left, and a page brought back reloads (its lists may be
        // stale by then).
        let leaving = send_wrapper::SendWrapper::new(source.clone());
        let on_hide = window_event_listener_untyped("pagehide", move |_| leaving.close());
        let on_show = window_event_listener_untyped("pageshow", |e| {
            if e.unchecked_into::<web_sys::PageTransitionEvent>().persisted() {
                let _ = window().location().reload();
            }
        });
        // Everything is let go when the page that watches goes.
        let held = send_wrapper::SendWrapper::new((source, listeners));
        on_cleanup(move || {
            on_hide.remove();
            on_show.remove();
            held.0.close();
        });
    });
    #[cfg(not(feature = "hydrate"))]
    let _ = (url, events, debounce_ms);
}
