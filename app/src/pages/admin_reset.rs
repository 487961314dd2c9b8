//! The administration page's password reset links: a form per user that
//! issues one, and the notice that shows the new link, once. Without
//! JavaScript the server function sends the page back with the link's token
//! in its address (`reset_user`, `reset_token`), which the notice shows.

use crate::account::{is_token_shaped, reset_path};
use crate::admin::{IssueResetLink, ResetLink};
use crate::present;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;
use uuid::Uuid;

/// Issues a reset link for `user`.
#[component]
pub fn IssueResetLinkForm(issue: ServerAction<IssueResetLink>, user: Uuid, name: String) -> impl IntoView {
    view! {
        <ActionForm action=issue attr:class="inline-form issue-reset">
            <input type="hidden" name="user" value=user.to_string()/>
            <button type="submit" class="link-button issue-reset-link">
                "Issue reset link" <span class="visually-hidden">" for " {name}</span>
            </button>
        </ActionForm>
    }
}

/// The link just issued (or the refusal), naming whose it is.
#[component]
pub fn ResetLinkNotice(issue: ServerAction<IssueResetLink>, users: Vec<(Uuid, String)>) -> impl IntoView {
    let query = use_query_map();
    let from_address = move || {
        let query = query.read();
        let user = query.get("reset_user")?.parse::<Uuid>().ok()?;
        let token = query.get("reset_token").filter(|t| is_token_shaped(t))?;
        Some(ResetLink {
            user,
            path: reset_path(&token),
        })
    };
    let name_of = move |user: Uuid| {
        users
            .iter()
            .find(|(id, _)| *id == user)
            .map_or_else(|| "this user".to_string(), |(_, name)| name.clone())
    };
    move || match issue.value().get() {
        Some(Err(e)) => {
            view! { <p class="form-error" role="alert" id="reset-link-error">{present::user_message(&e)}</p> }
                .into_any()
        }
        Some(Ok(link)) => notice(name_of(link.user), link.path).into_any(),
        None => match from_address() {
            Some(link) => notice(name_of(link.user), link.path).into_any(),
            None => ().into_any(),
        },
    }
}

fn notice(name: String, path: String) -> impl IntoView {
    view! {
        <div class="notice" role="status" id="reset-link-notice">
            <p>
                "Password reset link for " <strong>{name}</strong>
                ". Send it to them yourself; it is shown only now, works once, and expires in an hour:"
            </p>
            <p><a id="reset-link" href=path.clone()>{path.clone()}</a>" (copy the link's address)"</p>
        </div>
    }
}
