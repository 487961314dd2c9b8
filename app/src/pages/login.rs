//! `/login`: email and password. Works without JavaScript too (the form
//! posts to the server function, which redirects).

use crate::components::Marking;
use crate::escape::PageTitle;
use crate::present;
use crate::session::LogIn;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

#[component]
pub fn LoginPage() -> impl IntoView {
    let action = ServerAction::<LogIn>::new();
    // After a reset link was used (`/reset` sends the user here).
    let query = use_query_map();
    let password_set = move || query.read().get("password").as_deref() == Some("reset");
    let error = move || {
        action
            .value()
            .get()
            .and_then(|r| r.err())
            .map(|e| present::user_message(&e))
    };
    view! {
        <PageTitle text="Log in — Pillars"/>
        <Marking/>
        <main class="page login-page" id="main">
            <h1>"Pillars — log in"</h1>
            <p class="hint">"4P SOC management plans are shared on a need-to-know basis. Log in with the account your administrator gave you."</p>
            <Show when=password_set>
                <p class="notice" role="status" id="password-set">"Your new password is set. Log in with it."</p>
            </Show>
            <ActionForm action=action attr:id="login" attr:class="form">
                <div class="field">
                    <label for="email">"Email"</label>
                    <input id="email" name="email" type="email" autocomplete="username" required/>
                </div>
                <div class="field">
                    <label for="password">"Password"</label>
                    <input id="password" name="password" type="password" autocomplete="current-password" required/>
                </div>
                <p class="error" role="alert" id="login-error">{error}</p>
                <button type="submit" id="log-in">"Log in"</button>
            </ActionForm>
        </main>
        <Marking bottom=true/>
    }
}
