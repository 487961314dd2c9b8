//! What users see in real headless Chromium: pages, the live editor,
//! hostile text, the web layer's defences. Needs `cargo leptos build
//! --split` first (the site the server serves).

mod access_log;
mod accessibility;
mod bundle;
mod comments;
mod editor;
mod hostile_text;
mod lifecycle;
mod my_actions;
mod notifications;
mod pages;
mod sign_in;
mod team;
mod vetting;
mod web_layer;
