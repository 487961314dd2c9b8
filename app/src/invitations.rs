//! Administrators let people sign in through their organisation's
//! identity provider (see [`crate::sign_in`]).

use leptos::prelude::*;

/// An administrator lets someone sign in through their organisation's
/// provider: a new person into `agency`, or an existing account linked.
#[server(prefix = "/api/fn", endpoint = "invite_to_sign_in", output = crate::wire::Postcard)]
pub async fn invite_to_sign_in(email: String, agency: String) -> Result<String, ServerFnError> {
    let admin = crate::admin::ssr::admin()?;
    let port =
        use_context::<crate::sign_in::ssr::SignInRef>().ok_or_else(|| ServerFnError::new("sign-in is not set up"))?;
    port.invite(admin, &email, &agency)
        .await
        .map_err(crate::service_error::ServiceError::into_server_fn_error)
}
