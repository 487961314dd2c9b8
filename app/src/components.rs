//! Small shared components.

use crate::escape::PageTitle;
use crate::present;
use leptos::prelude::*;
use plan::SecurityMarking;

/// The security marking banner, shown at the top and bottom of every page.
/// The top one also puts the marking in the print page margins, so it is
/// repeated on every printed page. Follows the plan's marking live.
#[component]
pub fn Marking(
    /// The plan's marking; OFFICIAL-SENSITIVE when not given.
    #[prop(optional, into)]
    marking: Option<Signal<SecurityMarking>>,
    /// The banner at the foot of the page (otherwise the top one).
    #[prop(optional)]
    bottom: bool,
) -> impl IntoView {
    let marking = marking.unwrap_or_else(|| Signal::stored(SecurityMarking::default()));
    let class = if bottom {
        "marking marking-bottom"
    } else {
        "marking marking-top"
    };
    // A <style> in the body (not the head) so it can follow the marking live.
    let print = (!bottom)
        .then(|| view! { <style id="marking-print">{move || present::print_marking_css(marking.get())}</style> });
    view! {
        {print}
        <div class=class role="note" aria-label="Security marking" data-marking=move || marking.get().as_str()>
            {move || marking.get().as_str()}
        </div>
    }
}

/// A page with the marking banners, a title and a link back to the list.
#[component]
fn MessagePage(title: &'static str, message: String) -> impl IntoView {
    view! {
        <PageTitle text=format!("{title} — Pillars")/>
        <Marking/>
        <main class="page message-page" id="main">
            <nav class="breadcrumbs" aria-label="Breadcrumb">
                <a href="/">"← All plans"</a>
            </nav>
            <h1>{title}</h1>
            <p>{message}</p>
        </main>
        <Marking bottom=true/>
    }
}

/// "Plan not found" (or "Page not found"), answered with HTTP 404.
#[component]
pub fn NotFound(
    /// The heading, e.g. "Plan not found".
    #[prop(default = "Page not found")]
    title: &'static str,
) -> impl IntoView {
    #[cfg(feature = "ssr")]
    crate::ssr::set_status(axum::http::StatusCode::NOT_FOUND);
    view! {
        <MessagePage
            title=title
            message="There is nothing at this address. It may have been mistyped, or the plan may have been removed."
                .to_string()
        />
    }
}

/// A failed server call, answered with HTTP 500 when rendered on the server.
#[component]
pub fn ErrorPage(error: ServerFnError) -> impl IntoView {
    #[cfg(feature = "ssr")]
    crate::ssr::set_status(axum::http::StatusCode::INTERNAL_SERVER_ERROR);
    view! { <MessagePage title="Something went wrong" message=present::user_message(&error)/> }
}

/// The viewer's overdue actions, counted live (see [`AccountBar`]).
#[component]
fn OverdueCount(count: Resource<Result<usize, ServerFnError>, crate::wire::Wire>) -> impl IntoView {
    view! {
        <Transition fallback=|| ()>
            {move || Suspend::new(async move {
                count.await.ok().map(|n| view! {
                    <span class="overdue-count" class:none=n == 0 id="my-overdue-count" data-count=n.to_string()
                        title=format!("{n} of your actions are overdue")>{n.to_string()}</span>
                })
            })}
        </Transition>
    }
}

/// The viewer's unread notifications, counted live: the bell (see
/// [`AccountBar`]).
#[component]
fn UnreadCount(count: Resource<Result<usize, ServerFnError>, crate::wire::Wire>) -> impl IntoView {
    view! {
        <Transition fallback=|| ()>
            {move || Suspend::new(async move {
                count.await.ok().map(|n| view! {
                    <span class="bell-count" class:none=n == 0 id="notifications-count" data-count=n.to_string()
                        title=format!("{n} unread")>{n.to_string()}<span class="visually-hidden">" unread"</span></span>
                })
            })}
        </Transition>
    }
}

/// The viewer's own vetting, from 30 days before it expires (urgent from
/// 7) and once it has: plans that need it close to them when it lapses.
#[component]
fn VettingNotice(notice: plan::vetting::VettingNotice) -> impl IntoView {
    let on = crate::dates::long(notice.expires_on);
    let text = if notice.expired() {
        format!(
            "Your {} vetting expired on {on}: plans that need it are closed to you until a vetting officer records its renewal.",
            notice.level
        )
    } else {
        let days = match notice.days_left {
            1 => "1 day".to_string(),
            n => format!("{n} days"),
        };
        format!(
            "Your {} vetting expires on {on}, in {days}: ask your vetting officer to renew it, or plans that need it will close to you.",
            notice.level
        )
    };
    view! {
        <p class="vetting-notice" class:urgent=notice.urgent() role="status" id="vetting-notice">{text}</p>
    }
}

/// Who is logged in, and the way out. Shown at the top of every page.
#[component]
pub fn AccountBar() -> impl IntoView {
    let viewer = crate::wire::resource(|| (), |_| crate::session::current_user());
    // The overdue count is refetched whenever one of the viewer's plans
    // changes (the plans list's own stream, members-only). Made here, not
    // inside the Suspend below: a resource first created after an await
    // hydrated into a mismatch.
    let changed = RwSignal::new(0u64);
    // The bell follows the same stream's `bell` events.
    let rang = RwSignal::new(0u64);
    crate::changes::watch_events("/api/plans/changes", vec![("plan", changed), ("bell", rang)]);
    let overdue = crate::wire::resource(move || changed.get(), |_| crate::actions_across::my_overdue_count());
    let unread = crate::wire::resource(move || rang.get(), |_| crate::notifications::unread_notifications());
    let log_out = ServerAction::<crate::session::LogOut>::new();
    view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                viewer.await.ok().flatten().map(|v| {
                    view! {
                        <div class="account-bar" id="account">
                            <span class="who">
                                "Logged in as " <strong id="viewer-name">{v.name.clone()}</strong>
                                " (" {v.agency.clone()} ")"
                            </span>
                            <a href="/" id="plans-link">"Plans"</a>
                            <a href="/my-actions" id="my-actions-link">"My actions" <OverdueCount count=overdue/></a>
                            <a href="/notifications" id="notifications-link">"Notifications" <UnreadCount count=unread/></a>
                            <a href="/disruptions" id="disruptions-link">"Disruptions"</a>
                            <a href="/portfolio" id="portfolio-link">"Portfolio"</a>
                            <a href="/strategy" id="strategy-link">"Control Strategy"</a>
                            {v.is_admin.then(|| view! { <a href="/admin" id="admin-link">"Administration"</a> })}
                            {(v.vetting_officer && !v.is_admin).then(|| view! { <a href="/admin#vetting" id="vetting-link">"Vetting"</a> })}
                            {(v.auditor || v.is_admin).then(|| view! { <a href="/audit" id="audit-link">"Audit"</a> })}
                            <a href="/account" id="account-link">"Your account"</a>
                            <ActionForm action=log_out attr:class="log-out">
                                <button type="submit" class="link-button" id="log-out">"Log out"</button>
                            </ActionForm>
                        </div>
                        {v.vetting_notice.map(|n| view! { <VettingNotice notice=n/> })}
                    }
                })
            })}
        </Suspense>
    }
}

/// A CSV download that asks "for whom?" (optional): handing a plan out is
/// a disclosure, and the access log records its recipients as named here.
/// A plain GET form, so it works without JavaScript; the answer is saved,
/// and the page stays.
#[component]
pub fn DownloadForm(
    /// Where the CSV is, without its query.
    action: String,
    /// The query's other values (kept as hidden fields).
    params: Vec<(String, String)>,
    /// The form's id; the field's is `{id}-for`.
    id: &'static str,
    #[prop(into)] label: String,
) -> impl IntoView {
    let field = format!("{id}-for");
    view! {
        <form method="get" action=action class="no-print download-form" id=id>
            {params.into_iter().map(|(name, value)| view! { <input type="hidden" name=name value=value/> }).collect_view()}
            <label for=field.clone()>"For whom (optional)"</label>
            <input id=field name="for" type="text" maxlength="500" autocomplete="off"
                placeholder="e.g. Northshire Council legal team"/>
            <button type="submit" class="secondary">{label}</button>
        </form>
    }
}

/// Records each print of the page (a disclosure; printing to PDF too) in
/// the access log, as the browser's print dialog opens. Only the browser
/// knows of a print, so this is how the log learns of it.
#[component]
pub fn RecordsPrinting(
    plan: uuid::Uuid,
    /// What is printed, if not the plan as it stands (e.g. "review-3").
    #[prop(optional, into)]
    detail: String,
) -> impl IntoView {
    // Only a browser prints (and the server, or a test, has no window).
    #[cfg(feature = "hydrate")]
    {
        let listener = leptos::prelude::window_event_listener_untyped("beforeprint", move |_| {
            let detail = detail.clone();
            leptos::task::spawn_local(async move {
                match crate::access_log::record_printing(plan, detail).await {
                    // Counted on the page, for whoever needs to know it is done.
                    Ok(()) => {
                        if let Some(body) = document().body() {
                            let done = body.get_attribute("data-prints-recorded");
                            let n = done.and_then(|n| n.parse::<u32>().ok()).unwrap_or(0) + 1;
                            let _ = body.set_attribute("data-prints-recorded", &n.to_string());
                        }
                    }
                    Err(e) => leptos::logging::warn!("could not record the print: {e}"),
                }
            });
        });
        on_cleanup(move || listener.remove());
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = (plan, detail);
}
