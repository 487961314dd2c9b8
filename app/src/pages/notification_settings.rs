//! `/notifications/settings`: how each kind of notification is emailed to
//! the viewer: at once, in a daily digest, or not at all (every kind is
//! always shown in the app). Says plainly that emails carry no plan
//! content. Each kind is a plain form (works without JavaScript).

use crate::components::{AccountBar, Marking};
use crate::escape::PageTitle;
use crate::notifications::{my_email_settings, EmailSettings, SetEmailSetting, NO_CONTENT_STATEMENT};
use crate::present;
use leptos::prelude::*;
use plan::notifications::{Delivery, Kind};

#[component]
pub fn NotificationSettingsPage() -> impl IntoView {
    let set = ServerAction::<SetEmailSetting>::new();
    let settings = crate::wire::resource(move || set.version().get(), |_| my_email_settings());
    let outcome = move || {
        set.value().get().map(|answer| match answer {
            Ok(()) => view! { <p class="saved" role="status" id="settings-saved">"Saved."</p> }.into_any(),
            Err(e) => {
                view! { <p class="error" role="alert" id="settings-error">{present::user_message(&e)}</p> }.into_any()
            }
        })
    };
    view! {
        <PageTitle text="Email settings — Pillars"/>
        <Marking/>
        <AccountBar/>
        <main class="page notification-settings-page" id="main">
            <header class="page-header"><h1>"Email settings"</h1></header>
            <p class="no-content-statement" id="no-content-statement">{NO_CONTENT_STATEMENT}</p>
            <p>"Every notification is shown in Pillars, under " <a href="/notifications">"Notifications"</a>
                ". Choose which are also emailed to you."</p>
            {outcome}
            <Transition fallback=|| view! { <p class="loading">"Loading your settings…"</p> }>
                {move || Suspend::new(async move {
                    match settings.await {
                        Ok(s) => view! { <Choices settings=s set=set/> }.into_any(),
                        Err(e) => view! { <p class="error" role="alert">{present::user_message(&e)}</p> }.into_any(),
                    }
                })}
            </Transition>
        </main>
        <Marking bottom=true/>
    }
}

#[component]
fn Choices(settings: EmailSettings, set: ServerAction<SetEmailSetting>) -> AnyView {
    let off = (!settings.email_on).then(|| {
        view! { <p class="help" id="email-off">"This Pillars sends no email yet (no mail server is configured): your choices apply once one is."</p> }
    });
    view! {
        {off}
        <table class="email-settings" id="email-settings">
            <caption class="visually-hidden">"How each kind of notification is emailed to you"</caption>
            <thead><tr><th scope="col">"Notification"</th><th scope="col">"Email"</th></tr></thead>
            <tbody>
                {settings.choices.into_iter().map(|(kind, delivery)| view! { <Choice kind=kind delivery=delivery set=set/> }).collect_view()}
            </tbody>
        </table>
    }
    .into_any()
}

#[component]
fn Choice(kind: Kind, delivery: Delivery, set: ServerAction<SetEmailSetting>) -> AnyView {
    let select_id = format!("email-{}", kind.key());
    view! {
        <tr data-kind=kind.key()>
            <th scope="row"><label for=select_id.clone()>{kind.setting_label()}</label></th>
            <td>
                <ActionForm action=set attr:class="email-choice">
                    <input type="hidden" name="kind" value=kind.key()/>
                    <select name="delivery" id=select_id>
                        {Delivery::ALL.map(|d| view! { <option value=d.key() selected=d == delivery>{d.label()}</option> }).collect_view()}
                    </select>
                    " "
                    <button type="submit">"Save"</button>
                </ActionForm>
            </td>
        </tr>
    }
    .into_any()
}
