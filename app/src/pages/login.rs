//! `/login`: a button per identity provider the deployment trusts, and
//! email and password beside them (unless switched off). Works without
//! JavaScript too: the buttons are links, the form posts to the server
//! function, which redirects.

use crate::components::Marking;
use crate::escape::PageTitle;
use crate::present;
use crate::session::LogIn;
use crate::sign_in::{failure_message, ways_to_sign_in, SignInChoices};
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

#[component]
pub fn LoginPage() -> impl IntoView {
    let action = ServerAction::<LogIn>::new();
    let choices = crate::wire::resource(|| (), |_| ways_to_sign_in());
    // After a reset link was used (`/reset` sends the user here), or a
    // sign-in through a provider failed (`/auth/oidc/callback` does).
    let query = use_query_map();
    let password_set = move || query.read().get("password").as_deref() == Some("reset");
    let sso_failure = move || query.read().get("sso").and_then(|code| failure_message(&code));
    view! {
        <PageTitle text="Log in — Pillars"/>
        <Marking/>
        <main class="page login-page" id="main">
            <h1>"Pillars — log in"</h1>
            <p class="hint">"4P SOC management plans are shared on a need-to-know basis. Sign in as you do at work, or with the account your administrator gave you."</p>
            <Show when=password_set>
                <p class="notice" role="status" id="password-set">"Your new password is set. Log in with it."</p>
            </Show>
            {move || sso_failure().map(|text| view! { <p class="error" role="alert" id="sso-error">{text}</p> })}
            <Suspense fallback=|| ()>
                {move || choices.get().map(|c| view! { <Choices choices=c.unwrap_or_default() action/> })}
            </Suspense>
        </main>
        <Marking bottom=true/>
    }
}

#[component]
fn Choices(choices: SignInChoices, action: ServerAction<LogIn>) -> impl IntoView {
    let error = move || {
        action
            .value()
            .get()
            .and_then(|r| r.err())
            .map(|e| present::user_message(&e))
    };
    let providers = choices.providers.into_iter().map(|p| {
        let href = format!("/auth/oidc/{}/start", p.id);
        // rel=external: a full navigation to the server, which sends the
        // browser on to the provider (not a route of these pages).
        view! {
            <li><a class="button sso" rel="external" href=href data-provider=p.id.clone()>{format!("Sign in with {}", p.name)}</a></li>
        }
    });
    view! {
        <ul class="sso-choices" aria-label="Sign in with your organisation">{providers.collect_view()}</ul>
        <Show when=move || choices.password>
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
        </Show>
    }
}
