//! Shared test support: a fresh database per test, the real app on a
//! random port, and a real Yjs websocket client.

pub mod app;
pub mod balancer;
pub mod browser;
pub mod client;
pub mod db;
pub mod events;
pub mod node;
pub mod private_pg;
pub mod proxy;
pub mod raw;

pub use app::{spawn_app, spawn_app_with, TestApp, WsTarget, USER_AGENCY, USER_EMAIL, USER_PASSWORD};
pub use client::{Client, PATIENCE};
