//! Live co-editing in the browser.

pub mod badge;
pub mod handle;
pub mod presence;
#[cfg(feature = "hydrate")]
pub mod provider;
pub mod text;

pub use badge::ConnectionBadge;
pub use handle::{LiveHandle, Viewing};
pub use presence::PresenceBar;
pub use text::{field_text, LiveText};
