//! `/audit`: the access log for auditors (professional standards): search
//! by user, plan, agency and dates, and export what was found as CSV. The
//! search and the export are themselves recorded. Works without JavaScript:
//! the search is a GET form, its answer a page. Below it, for auditors and
//! administrators, the retention reviews due.

use super::access_table::AccessTable;
use crate::access_log::search_access_log;
use crate::components::{AccountBar, DownloadForm, Marking};
use crate::escape::PageTitle;
use crate::present;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;
use plan::access_log::{AccessQuery, PAGE_SIZE};

#[component]
pub fn AuditPage() -> impl IntoView {
    let params = use_query_map();
    let query = Memo::new(move |_| {
        params.with(|p| AccessQuery {
            user: p.get("user"),
            plan: p.get("plan"),
            agency: p.get("agency"),
            from: p.get("from"),
            to: p.get("to"),
        })
    });
    // Nothing is searched until the auditor asks: a search is an entry.
    let asked = move || params.with(|p| p.get("search").is_some());
    let viewer = crate::wire::resource(|| (), |_| crate::session::current_user());
    let found = crate::wire::resource(
        move || (query.get(), asked()),
        |(q, asked)| async move {
            if asked {
                search_access_log(q).await.map(Some)
            } else {
                Ok(None)
            }
        },
    );
    view! {
        <PageTitle text="Audit — Pillars"/>
        <Marking/>
        <AccountBar/>
        <main class="page audit" id="main">
            <header class="page-header"><h1>"Audit"</h1></header>
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    let v = viewer.await.ok().flatten();
                    let auditor = v.as_ref().is_some_and(|v| v.auditor);
                    let reviews = v.as_ref().is_some_and(|v| v.auditor || v.is_admin);
                    view! {
                        {auditor.then(|| view! {
                            <section aria-labelledby="access-log-heading">
                                <h2 id="access-log-heading">"Access log"</h2>
                                <p class="hint">
                                    "Who consulted or disclosed which plan, when, from where and why (Data Protection Act 2018, "
                                    "section 62). Searching and exporting are recorded under your name."
                                </p>
                                <SearchForm query=query.get_untracked()/>
                                <Transition fallback=|| view! { <p class="loading">"Searching…"</p> }>
                                    {move || Suspend::new(async move {
                                        match found.await {
                                            Ok(Some(entries)) => view! { <Results entries=entries query=query.get_untracked()/> }.into_any(),
                                            Ok(None) => ().into_any(),
                                            Err(e) => view! { <p class="error" role="alert" id="audit-error">{present::user_message(&e)}</p> }.into_any(),
                                        }
                                    })}
                                </Transition>
                            </section>
                        })}
                        {reviews.then(|| view! { <super::retention::RetentionReviews/> })}
                        {(!reviews).then(|| view! { <p class="error" role="alert">"Only auditors and administrators use this page."</p> })}
                    }
                })}
            </Suspense>
        </main>
        <Marking bottom=true/>
    }
}

#[component]
fn SearchForm(query: AccessQuery) -> impl IntoView {
    let field =
        |id: &'static str, label: &'static str, kind: &'static str, value: Option<String>, hint: &'static str| {
            view! {
                <div class="field">
                    <label for=format!("audit-{id}")>{label}</label>
                    <input id=format!("audit-{id}") name=id type=kind value=value.unwrap_or_default() placeholder=hint/>
                </div>
            }
        };
    view! {
        <form method="get" action="/audit" class="form audit-search" id="audit-search">
            <input type="hidden" name="search" value="1"/>
            {field("user", "Reader's email", "email", query.user, "e.g. pat@council.gov.uk")}
            {field("plan", "Plan id", "text", query.plan, "")}
            {field("agency", "Reader's agency", "text", query.agency, "e.g. Northshire Council")}
            {field("from", "From (first day)", "date", query.from, "")}
            {field("to", "To (last day)", "date", query.to, "")}
            <button type="submit" id="audit-search-button">"Search"</button>
        </form>
    }
}

#[component]
fn Results(entries: Vec<plan::access_log::AccessEntry>, query: AccessQuery) -> impl IntoView {
    let count = entries.len();
    let summary = if count as u32 >= PAGE_SIZE {
        format!("The latest {count} entries found; narrow the search, or export it, for the rest.")
    } else {
        format!("{count} entries found.")
    };
    let mut params: Vec<(String, String)> = [
        ("user", query.user),
        ("plan", query.plan),
        ("agency", query.agency),
        ("from", query.from),
        ("to", query.to),
    ]
    .into_iter()
    .filter_map(|(k, v)| v.filter(|v| !v.is_empty()).map(|v| (k.to_string(), v)))
    .collect();
    params.push(("format".into(), "csv".into()));
    view! {
        <p class="scope" role="status" id="audit-count">{summary}</p>
        <DownloadForm action="/api/access-log".to_string() params=params id="audit-csv" label="Export as CSV"/>
        <AccessTable entries=entries id="audit-results" show_plan=true show_origin=true/>
    }
}
