//! What users are told when a server call fails: the server's own message,
//! or a generic one for internal errors and for a server out of reach.

use leptos::prelude::ServerFnError;

/// Shown instead of internal errors, which are logged on the server.
pub const GENERIC_ERROR: &str =
    "Something went wrong on the server. Please try again; if it keeps happening, tell your system administrator.";

/// Shown when the browser could not reach the server.
pub const NETWORK_ERROR: &str = "Could not reach the server. Check your connection and try again.";

/// What to tell the user about a failed server call.
pub fn user_message(error: &ServerFnError) -> String {
    match error {
        ServerFnError::ServerError(message) => message.clone(),
        ServerFnError::Request(_) => NETWORK_ERROR.to_string(),
        _ => GENERIC_ERROR.to_string(),
    }
}

/// What to tell the user of an action's latest answer, if it failed.
pub fn refusal<T>(answer: Option<Result<T, ServerFnError>>) -> Option<String> {
    answer.and_then(Result::err).map(|e| user_message(&e))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn server_errors_show_their_message_and_others_a_generic_one() {
        assert_eq!(user_message(&ServerFnError::new("Tier: bad")), "Tier: bad");
        assert_eq!(user_message(&ServerFnError::Request("offline".into())), NETWORK_ERROR);
        assert_eq!(user_message(&ServerFnError::Deserialization("x".into())), GENERIC_ERROR);
    }
}
