//! `/account`: the viewer's own account. Changing the password ends every
//! other session (their open pages are closed); logging out everywhere ends
//! them all, this one included. Both forms work without JavaScript.

use crate::account::{ChangePassword, LogOutEverywhere};
use crate::components::{AccountBar, Marking};
use crate::escape::PageTitle;
use crate::present;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

#[component]
pub fn AccountPage() -> impl IntoView {
    let change = ServerAction::<ChangePassword>::new();
    let everywhere = ServerAction::<LogOutEverywhere>::new();
    let query = use_query_map();
    let changed = move || query.read().get("changed").is_some();
    let failed = |v: Option<Result<(), ServerFnError>>| v.and_then(Result::err).map(|e| present::user_message(&e));
    view! {
        <PageTitle text="Your account — Pillars"/>
        <Marking/>
        <AccountBar/>
        <main class="page account" id="main">
            <nav class="breadcrumbs" aria-label="Breadcrumb">
                <a href="/">"← All plans"</a>
            </nav>
            <h1>"Your account"</h1>
            <section aria-labelledby="password-heading">
                <h2 id="password-heading">"Change your password"</h2>
                <p class="hint">
                    "Use at least 12 characters; three random words make a good password. "
                    "The most common passwords are refused. Changing it logs you out everywhere else."
                </p>
                <Show when=changed>
                    <p class="notice" role="status" id="password-changed">
                        "Your password has been changed, and your other sessions have ended."
                    </p>
                </Show>
                <ActionForm action=change attr:id="change-password" attr:class="form">
                    <div class="field">
                        <label for="current-password">"Current password"</label>
                        <input id="current-password" name="current_password" type="password"
                            autocomplete="current-password" required/>
                    </div>
                    <div class="field">
                        <label for="new-password">"New password"</label>
                        <input id="new-password" name="new_password" type="password"
                            autocomplete="new-password" minlength="12" required/>
                    </div>
                    <p class="form-error" role="alert" id="change-password-error">
                        {move || failed(change.value().get())}
                    </p>
                    <button type="submit" id="change-password-button">"Change password"</button>
                </ActionForm>
            </section>
            <section aria-labelledby="everywhere-heading">
                <h2 id="everywhere-heading">"Log out everywhere"</h2>
                <p class="hint">
                    "Ends every session of yours, on this device and any other, and closes their open pages. "
                    "Do this if you logged in on a computer you no longer use, or think someone else has."
                </p>
                <ActionForm action=everywhere attr:id="log-out-everywhere" attr:class="form">
                    <p class="form-error" role="alert">{move || failed(everywhere.value().get())}</p>
                    <button type="submit" id="log-out-everywhere-button">"Log out everywhere"</button>
                </ActionForm>
            </section>
            <OwnAccessLog/>
        </main>
        <Marking bottom=true/>
    }
}

/// What the viewer has read or handed out (latest first), as the access
/// log recorded it.
#[component]
fn OwnAccessLog() -> impl IntoView {
    view! {
        <section aria-labelledby="access-heading">
            <h2 id="access-heading">"Your access history"</h2>
            <p class="hint">
                "Every plan you have opened, read, printed or downloaded, as Pillars records it for the law "
                "(Data Protection Act 2018, section 62). Your force's auditors can see this too."
            </p>
            <super::access_table::AccessLogOnDemand
                load=crate::access_log::my_access_log
                button=("show-own-access", "Show your access history")
                id="own-access-log" show_plan=true show_origin=true/>
        </section>
    }
}
