//! `/notifications`: the viewer's notification centre, newest first. Each
//! leads to the exact place (the plan, the action's row, the comment);
//! unread ones are marked, and each can be marked read, or all at once.
//! The list follows the bell: it refreshes when the server says the
//! viewer's notifications changed. Only notifications about plans the
//! viewer may open now are listed (the server's judgement).

use crate::components::{AccountBar, Marking};
use crate::escape::PageTitle;
use crate::notifications::{my_notifications, MarkNotificationsRead, NotificationView};
use crate::present;
use leptos::prelude::*;

#[component]
pub fn NotificationsPage() -> impl IntoView {
    let rang = RwSignal::new(0u64);
    crate::changes::watch_events("/api/plans/changes", vec![("bell", rang)]);
    let mark = ServerAction::<MarkNotificationsRead>::new();
    let list = crate::wire::resource(move || (rang.get(), mark.version().get()), |_| my_notifications());
    let error = move || {
        mark.value()
            .get()
            .and_then(Result::err)
            .map(|e| view! { <p class="error" role="alert" id="notifications-error">{present::user_message(&e)}</p> })
    };
    view! {
        <PageTitle text="Notifications — Pillars"/>
        <Marking/>
        <AccountBar/>
        <main class="page notifications-page" id="main">
            <header class="page-header"><h1>"Notifications"</h1></header>
            <div class="notification-actions">
                <ActionForm action=mark attr:id="mark-all-read">
                    <input type="hidden" name="id" value="0"/>
                    <button type="submit">"Mark all read"</button>
                </ActionForm>
                <a href="/notifications/settings" id="notification-settings-link">"Email settings"</a>
            </div>
            {error}
            <Transition fallback=|| view! { <p class="loading">"Loading your notifications…"</p> }>
                {move || Suspend::new(async move {
                    match list.await {
                        Ok(items) => view! { <Items items=items mark=mark/> }.into_any(),
                        Err(e) => view! { <p class="error" role="alert">{present::user_message(&e)}</p> }.into_any(),
                    }
                })}
            </Transition>
        </main>
        <Marking bottom=true/>
    }
}

#[component]
fn Items(items: Vec<NotificationView>, mark: ServerAction<MarkNotificationsRead>) -> AnyView {
    if items.is_empty() {
        return view! { <p class="empty" id="notifications-empty">"No notifications."</p> }.into_any();
    }
    view! {
        <ul class="notifications" id="notifications">
            {items.into_iter().map(|n| view! { <Item n=n mark=mark/> }).collect_view()}
        </ul>
    }
    .into_any()
}

#[component]
fn Item(n: NotificationView, mark: ServerAction<MarkNotificationsRead>) -> AnyView {
    let about = if n.plan_name.is_empty() {
        String::new()
    } else {
        format!(": {}", n.plan_name)
    };
    let state = if n.read { "read" } else { "unread" };
    let button = (!n.read).then(|| {
        let id = n.id.to_string();
        view! {
            <ActionForm action=mark attr:class="mark-read">
                <input type="hidden" name="id" value=id/>
                <button type="submit" class="link-button">"Mark read"</button>
            </ActionForm>
        }
    });
    view! {
        <li class=state id=format!("notification-{}", n.id) data-kind=n.kind.key()>
            <a href=n.link.clone()>{n.kind.sentence()}{about}</a>
            <span class="when">{crate::dates::numeric_time(n.created_at)}</span>
            {(!n.read).then(|| view! { <span class="visually-hidden">" (unread)"</span> })}
            {button}
        </li>
    }
    .into_any()
}
