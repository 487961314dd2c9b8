//! The access log as a table: the LRO's "who has looked at this plan", a
//! user's own access history and the auditor's search results. Refused
//! readings are marked, in words and in colour.

use crate::dates::numeric_time;
use crate::present;
use leptos::prelude::*;
use plan::access_log::AccessEntry;
use std::future::Future;

/// `entries`, newest first. `show_plan` adds the plan's id (the plan is
/// named nowhere else); `show_origin` adds where from (auditors, and the
/// reader about themselves).
#[component]
pub fn AccessTable(entries: Vec<AccessEntry>, id: &'static str, show_plan: bool, show_origin: bool) -> impl IntoView {
    if entries.is_empty() {
        return view! { <p class="empty" id=id>"Nothing recorded yet."</p> }.into_any();
    }
    view! {
        <div class="table-scroll">
            <table class="access-log" id=id>
                <thead>
                    <tr>
                        <th scope="col">"When (UTC)"</th>
                        <th scope="col">"Who"</th>
                        {show_plan.then(|| view! { <th scope="col">"Plan"</th> })}
                        <th scope="col">"What"</th>
                        <th scope="col">"Why"</th>
                        <th scope="col">"For whom"</th>
                        {show_origin.then(|| view! { <th scope="col">"From"</th> })}
                    </tr>
                </thead>
                <tbody>
                    {entries.into_iter().map(|e| row(e, show_plan, show_origin)).collect_view()}
                </tbody>
            </table>
        </div>
    }
    .into_any()
}

/// A button that loads entries with `load` (a reading of the log, itself
/// logged, so only when asked), then the [`AccessTable`] of them.
#[component]
pub fn AccessLogOnDemand<L, F>(
    load: L,
    /// The button's id and words.
    button: (&'static str, &'static str),
    /// The table's id.
    id: &'static str,
    show_plan: bool,
    show_origin: bool,
) -> impl IntoView
where
    L: Fn() -> F + Copy + Send + Sync + 'static,
    F: Future<Output = Result<Vec<AccessEntry>, ServerFnError>> + Send + 'static,
{
    let shown = RwSignal::new(false);
    let log = crate::wire::resource(
        move || shown.get(),
        move |show| async move {
            if show {
                load().await.map(Some)
            } else {
                Ok(None)
            }
        },
    );
    let (button_id, words) = button;
    view! {
        <p>
            <button type="button" class="secondary" id=button_id on:click=move |_| shown.set(true)>{words}</button>
        </p>
        <Transition fallback=|| ()>
            {move || Suspend::new(async move {
                match log.await {
                    Ok(Some(entries)) => view! {
                        <AccessTable entries=entries id=id show_plan=show_plan show_origin=show_origin/>
                    }.into_any(),
                    Ok(None) => ().into_any(),
                    Err(e) => view! { <p class="error" role="alert">{present::user_message(&e)}</p> }.into_any(),
                }
            })}
        </Transition>
    }
}

fn row(e: AccessEntry, show_plan: bool, show_origin: bool) -> impl IntoView {
    let what = if e.detail.is_empty() {
        e.kind.label().to_string()
    } else {
        format!("{} ({})", e.kind.label(), e.detail)
    };
    let class = if !e.granted {
        "access refused"
    } else if e.basis.starts_with("break-glass") {
        "access break-glass"
    } else {
        "access"
    };
    let plan = e.plan.map(|p| p.to_string()).unwrap_or_default();
    let origin = match (e.address, e.user_agent) {
        (Some(a), Some(ua)) => format!("{a}, {ua}"),
        (Some(a), None) => a,
        (None, Some(ua)) => ua,
        (None, None) => String::new(),
    };
    view! {
        <tr class=class data-kind=e.kind.key()>
            <td>{numeric_time(e.at)}</td>
            <td>{e.user_name} " (" {e.agency} ")"</td>
            {show_plan.then(|| view! { <td class="plan-id">{plan}</td> })}
            <td>{what}</td>
            <td>{e.basis}</td>
            <td>{e.recipients}</td>
            {show_origin.then(|| view! { <td>{origin}</td> })}
        </tr>
    }
}
