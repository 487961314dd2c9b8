//! A user's own account: changing their password (which ends their other
//! sessions), logging out everywhere, and setting a new password through a
//! one-time reset link an administrator issued. Each goes through the
//! server's [`crate::session::ssr::Sessions`]; each form also works without
//! JavaScript (the server functions redirect).

use leptos::prelude::*;

/// Changes the viewer's password; their other sessions end.
#[server(prefix = "/api/fn", endpoint = "change_password", output = crate::wire::Postcard)]
pub async fn change_password(current_password: String, new_password: String) -> Result<(), ServerFnError> {
    let sessions = crate::session::ssr::sessions()?;
    let request = crate::session::ssr::request()?;
    sessions
        .change_password(&request, &current_password, &new_password)
        .await
        .map_err(crate::service_error::ServiceError::into_server_fn_error)?;
    leptos_axum::redirect("/account?changed=1");
    Ok(())
}

/// Ends every session of the viewer, this one included.
#[server(prefix = "/api/fn", endpoint = "log_out_everywhere", output = crate::wire::Postcard)]
pub async fn log_out_everywhere() -> Result<(), ServerFnError> {
    let sessions = crate::session::ssr::sessions()?;
    let request = crate::session::ssr::request()?;
    let cookie = sessions
        .log_out_everywhere(&request)
        .await
        .map_err(crate::service_error::ServiceError::into_server_fn_error)?;
    crate::session::ssr::set_cookie(&cookie);
    leptos_axum::redirect("/login");
    Ok(())
}

/// Sets a new password through a reset link's token; the link is used up.
#[server(prefix = "/api/fn", endpoint = "reset_password", output = crate::wire::Postcard)]
pub async fn reset_password(token: String, new_password: String) -> Result<(), ServerFnError> {
    let sessions = crate::session::ssr::sessions()?;
    sessions
        .reset_password(&token, &new_password)
        .await
        .map_err(crate::service_error::ServiceError::into_server_fn_error)?;
    leptos_axum::redirect("/login?password=reset");
    Ok(())
}

/// Whether `token` looks like a reset link's (43 characters of URL-safe
/// base64), so a page shows only what could be one.
pub fn is_token_shaped(token: &str) -> bool {
    token.len() == 43
        && token
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

/// The path of the reset link with `token`.
pub fn reset_path(token: &str) -> String {
    format!("/reset?token={token}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_token_shaped_text_makes_a_link() {
        assert!(is_token_shaped("abcdefghijklmnopqrstuvwxyzABCDEFGHIJ-_01234"));
        assert!(!is_token_shaped("short"));
        assert!(!is_token_shaped("abcdefghijklmnopqrstuvwxyzABCDEFGHIJ\"<0123"));
        assert_eq!(reset_path("x"), "/reset?token=x");
    }
}
