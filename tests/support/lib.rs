//! Shared test support: a fresh database per test, the real app on a
//! random port, and a real Yjs websocket client.

pub mod app;
pub mod balancer;
pub mod browser;
pub mod client;
pub mod db;
pub mod events;
pub mod hostile;
pub mod hostile_fixture;
pub mod hostile_page;
pub mod kill;
pub mod machine;
pub mod node;
pub mod oidc;
pub mod private_pg;
pub mod proxy;
pub mod raw;
pub mod smtp;
pub mod stores;

pub use app::{
    spawn_app, spawn_app_signed_out, spawn_app_with, spawn_app_with_pat_as, spawn_app_with_plan,
    spawn_two_nodes_with_plan, Fetch, Person, TestApp, WsTarget, PAT, SAM, USER_AGENCY, USER_EMAIL, USER_NAME,
    USER_PASSWORD, USER_SHOWN_AS,
};
pub use client::{Client, PATIENCE};

/// A server function's answer (`app::wire`: postcard), as the pages read
/// it; panics with the body if it is not a `T`.
pub async fn fn_answer<T: serde::de::DeserializeOwned>(response: reqwest::Response) -> T {
    let status = response.status();
    let body = response.bytes().await.expect("the answer's body");
    postcard::from_bytes(&body).unwrap_or_else(|e| {
        panic!(
            "{status}: not the expected answer ({e}): {}",
            String::from_utf8_lossy(&body)
        )
    })
}

/// Resident set size from a /proc status file, in KiB (0 where unknown).
pub fn rss_kib(status_path: &str) -> u64 {
    std::fs::read_to_string(status_path)
        .ok()
        .and_then(|s| s.lines().find(|l| l.starts_with("VmRSS:")).map(str::to_string))
        .and_then(|l| l.split_whitespace().nth(1).and_then(|v| v.parse().ok()))
        .unwrap_or(0)
}
