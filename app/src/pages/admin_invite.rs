//! The administration page's invitations to sign in through an
//! organisation's identity provider (shown where the deployment trusts
//! one): a new person's first sign-in makes their account in the agency
//! chosen; an existing account of that email is linked instead.

use crate::admin::AgencyView;
use crate::invitations::InviteToSignIn;
use crate::present;
use leptos::prelude::*;

#[component]
pub fn InviteToSignInForm(agencies: Vec<AgencyView>) -> impl IntoView {
    let invite = ServerAction::<InviteToSignIn>::new();
    let outcome = move || match invite.value().get() {
        Some(Ok(done)) => Some(view! { <p class="notice" role="status" id="invite-done">{done}</p> }.into_any()),
        Some(Err(e)) => Some(
            view! { <p class="form-error" role="alert" id="invite-error">{present::user_message(&e)}</p> }.into_any(),
        ),
        None => None,
    };
    let options = agencies
        .iter()
        .map(|a| view! { <option value=a.name.clone()>{a.name.clone()}</option> })
        .collect_view();
    view! {
        <section aria-labelledby="invite-heading">
            <h2 id="invite-heading">"Sign-in through an organisation"</h2>
            <p class="hint">"People sign in through their organisation's identity provider. Nobody gets in at first sign-in unless invited here. If the email already has an account, it is linked instead."</p>
            <ActionForm action=invite attr:id="invite" attr:class="form">
                <div class="field">
                    <label for="invite-email">"Work email"</label>
                    <input id="invite-email" name="email" type="email" required/>
                </div>
                <div class="field">
                    <label for="invite-agency">"Agency"</label>
                    <select id="invite-agency" name="agency">{options}</select>
                </div>
                <button type="submit">"Invite"</button>
            </ActionForm>
            {outcome}
        </section>
    }
}
