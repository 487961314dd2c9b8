//! HTTP routes, one module per feature, each owning its `router()`.

pub mod api;
pub mod pages;
pub mod ws;
