//! What is not a feature: the session guard, the websocket, the health
//! check, the built assets and the page host. Each feature's own routes
//! live in its slice (`plans::routes`, `membership::routes`...).

pub mod assets;
pub mod csv;
pub mod extract;
pub mod guard;
pub mod health;
pub mod pages;
pub mod ws;
