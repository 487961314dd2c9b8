//! Live co-editing in the browser.

pub mod badge;
pub mod handle;
#[cfg(feature = "hydrate")]
pub mod provider;
pub mod text;

pub use badge::ConnectionBadge;
pub use handle::LiveHandle;
pub use text::LiveText;
