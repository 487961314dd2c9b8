//! `/reset?token=...`: sets a new password through the one-time link an
//! administrator issued (good for an hour). Needs no session; using the
//! link ends every session of the account, then the log-in page follows.
//! Works without JavaScript.

use crate::account::{is_token_shaped, ResetPassword};
use crate::components::Marking;
use crate::escape::PageTitle;
use crate::present;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

#[component]
pub fn ResetPage() -> impl IntoView {
    let action = ServerAction::<ResetPassword>::new();
    let query = use_query_map();
    let token = move || query.read().get("token").filter(|t| is_token_shaped(t));
    let error = move || {
        action
            .value()
            .get()
            .and_then(|r| r.err())
            .map(|e| present::user_message(&e))
    };
    view! {
        <PageTitle text="Set a new password — Pillars"/>
        <Marking/>
        <main class="page login-page" id="main">
            <h1>"Pillars — set a new password"</h1>
            {move || match token() {
                None => view! {
                    <p class="error" role="alert" id="reset-error">
                        "This is not a whole reset link. Copy all of the link you were sent, or ask an administrator for a new one."
                    </p>
                }.into_any(),
                Some(token) => view! {
                    <p class="hint">
                        "Use at least 12 characters; three random words make a good password. "
                        "The most common passwords are refused. The link works once, within an hour of being issued."
                    </p>
                    <ActionForm action=action attr:id="reset-password" attr:class="form">
                        <input type="hidden" name="token" value=token/>
                        <div class="field">
                            <label for="new-password">"New password"</label>
                            <input id="new-password" name="new_password" type="password"
                                autocomplete="new-password" minlength="12" required/>
                        </div>
                        <p class="error" role="alert" id="reset-error">{error}</p>
                        <button type="submit" id="set-password">"Set password"</button>
                    </ActionForm>
                }.into_any(),
            }}
        </main>
        <Marking bottom=true/>
    }
}
