//! The integration tests of one server node: the real server on a random
//! port, a fresh PostgreSQL database per test, real websocket and HTTP
//! clients. One binary (linking the server once), a module per subject;
//! the fixtures are the `integration_tests` support library.

mod access;
mod access_log;
mod accounts;
mod actions_across;
mod api;
mod append_only;
mod attacks;
mod bad_input;
mod comments;
mod interop;
mod lifecycle;
mod lifecycle_store;
mod membership;
mod membership_store;
mod notifications;
mod notifications_store;
mod pages_while_starting;
mod plan_events;
mod portfolio;
mod portfolio_store;
mod production;
mod server_edit;
mod session_end;
mod sso;
mod store;
mod strategy;
mod strategy_editor;
mod sync;
mod threat_tags;
mod versions;
mod vetting;
