//! Pillars' server: REST API, Yjs websocket sync, durable storage and the
//! Leptos SSR host.

pub mod store;
