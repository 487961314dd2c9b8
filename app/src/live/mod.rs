//! Live co-editing in the browser.

pub mod badge;
#[cfg(feature = "hydrate")]
pub mod provider;

pub use badge::ConnectionBadge;
