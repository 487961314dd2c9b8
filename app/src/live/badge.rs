//! Shows whether the page is connected to the live plan.

use leptos::prelude::*;
use plan::sync_client::ConnectionState;

/// What a person is told about the connection.
pub fn connection_text(state: ConnectionState) -> &'static str {
    match state {
        ConnectionState::Offline => "Offline: your changes are kept and sent when the connection returns",
        ConnectionState::Syncing => "Connecting…",
        ConnectionState::Synced => "Live",
    }
}

/// A stable key for styling and tests.
pub fn connection_key(state: ConnectionState) -> &'static str {
    match state {
        ConnectionState::Offline => "offline",
        ConnectionState::Syncing => "syncing",
        ConnectionState::Synced => "live",
    }
}

/// The connection indicator of the plan page's live connection.
#[component]
pub fn ConnectionBadge() -> impl IntoView {
    let state = expect_context::<super::LiveHandle>().state;
    view! {
        <p id="connection-state" class="connection" data-state=move || connection_key(state.get()) role="status">
            {move || connection_text(state.get())}
        </p>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_state_has_words_and_a_key() {
        assert_eq!(connection_key(ConnectionState::Synced), "live");
        assert!(connection_text(ConnectionState::Offline).contains("kept"));
        assert_eq!(connection_text(ConnectionState::Syncing), "Connecting…");
    }
}
