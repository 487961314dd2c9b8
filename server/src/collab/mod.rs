//! Real-time co-editing: the Yjs protocol, rooms, and their tasks.
//!
//! - [`protocol`] and [`room`] are sans-IO: bytes in, bytes out, unit tested.
//! - [`rooms`] runs one tokio task per open plan around a [`room::Room`],
//!   persisting each batch of updates before relaying it.
//! - [`mailbox`] holds what a room has for one client, merging updates
//!   that wait together, so a client is sent one frame per batch at most.
//! - [`connection`] drives one client over any `Sink`/`Stream` pair; the
//!   axum websocket handler in [`crate::routes::ws`] is thin glue around it.

pub mod connection;
pub mod mailbox;
pub mod protocol;
pub mod room;
pub mod rooms;
pub mod server_edit;
pub mod stats;
