//! HTTP routes, one module per feature, each owning its `router()`.

pub mod admin;
pub mod api;
pub mod assets;
pub mod guard;
pub mod history;
pub mod members;
pub mod pages;
pub mod session;
pub mod ws;
