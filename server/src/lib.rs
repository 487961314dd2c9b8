//! Pillars' server: REST API, Yjs websocket sync, durable storage and the
//! Leptos SSR host.

pub mod access_log;
pub mod accounts;
pub mod actions_across;
pub mod audit;
pub mod cli;
pub mod cluster;
pub mod collab;
pub mod comments;
pub mod config;
pub mod history;
pub mod lifecycle;
pub mod membership;
pub mod notifications;
pub mod plan_events;
pub mod plans;
pub mod portfolio;
pub mod routes;
pub mod security;
pub mod sso;
pub mod startup;
pub mod state;
pub mod storage;
pub mod store;
pub mod strategy;
pub mod suggestions;
pub mod versions;
pub mod vetting;

pub use config::Config;
pub use startup::Application;
pub use state::AppState;
