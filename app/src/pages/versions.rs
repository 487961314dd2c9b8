//! `/plans/:id/versions`: the plan's reviews and latest changes, each a
//! version to open (partners and viewers: only the reviews recorded while
//! they were members); and `/plans/:id/version?at=…`: one version,
//! read-only, with the marking and a banner saying which version it is.

use super::version_view::VersionBody;
use crate::components::{AccountBar, ErrorPage, Marking};
use crate::escape::PageTitle;
use crate::versions::{plan_reviews, plan_version};
use leptos::prelude::*;
use leptos_router::hooks::{use_params_map, use_query_map};

fn plan_param() -> Memo<String> {
    let params = use_params_map();
    Memo::new(move |_| params.read().get("id").unwrap_or_default())
}

#[component]
pub fn VersionsPage() -> impl IntoView {
    let id = plan_param();
    let data = crate::wire::resource(move || id.get(), plan_reviews);
    view! {
        <PageTitle text="Reviews and versions — Pillars"/>
        <Marking/>
        <AccountBar/>
        <main class="page versions-page" id="main">
            <nav class="breadcrumbs" aria-label="Breadcrumb"><a href=move || format!("/plans/{}", id.get())>"← Back to the plan"</a></nav>
            <h1>"Reviews and versions"</h1>
            <Suspense fallback=|| view! { <p class="loading">"Loading…"</p> }>
                {move || Suspend::new(async move {
                    let plan = id.get();
                    match data.await {
                        Err(e) => view! { <ErrorPage error=e/> }.into_any(),
                        Ok(d) if !d.sees_history => view! { <MemberReviews plan=plan reviews=d.reviews/> }.into_any(),
                        Ok(d) => {
                            // Every version one may compare: reviews, then changes, then now.
                            let options: Vec<(String, String)> = d.reviews.iter().rev()
                                .map(|r| (format!("review-{}", r.number), format!("Review {} ({})", r.number, crate::dates::numeric(r.reviewed_on))))
                                .chain(d.moments.iter().rev().map(|m| (format!("seq-{}", m.seq), format!("After {} by {}", crate::dates::numeric_time(m.at), m.by))))
                                .collect();
                            let redact = d.can_redact.then(|| view! { <super::redact_form::RedactForm plan=plan.clone() versions=options.clone()/> });
                            let select = |name: &'static str, first: (&'static str, &'static str)| view! {
                                <select name=name id=format!("compare-{name}")>
                                    <option value=first.0>{first.1}</option>
                                    {options.iter().map(|(k, l)| view! { <option value=k.clone()>{l.clone()}</option> }).collect_view()}
                                </select>
                            };
                            view! {
                            <form class="compare-form" method="get" action=format!("/plans/{plan}/compare")>
                                <label>"Compare " {select("from", ("", "the last review"))}</label>
                                <label>" with " {select("to", ("now", "the plan now"))}</label>
                                <button type="submit">"Show changes"</button>
                            </form>
                            <section aria-labelledby="reviews-list">
                                <h2 id="reviews-list">"Reviews"</h2>
                                {d.reviews.is_empty().then(|| view! { <p>"No review has been recorded yet."</p> })}
                                <ol class="review-list" id="review-list">
                                    {d.reviews.iter().rev().map(|r| {
                                        let view_href = format!("/plans/{plan}/version?at=review-{}", r.number);
                                        let compare_href = format!("/plans/{plan}/compare?from=review-{}", r.number);
                                        view! {
                                            <li data-review=r.number>
                                                <strong>{format!("Review {} — {}", r.number, crate::dates::long(r.reviewed_on))}</strong>
                                                {format!(" recorded by {}", r.by)}
                                                <p class="lro-update">{if r.lro_update.trim().is_empty() { "(no LRO update)".to_string() } else { r.lro_update.clone() }}</p>
                                                <a href=view_href>"View as at this review"</a>" · "<a href=compare_href>"Changes since"</a>
                                            </li>
                                        }
                                    }).collect_view()}
                                </ol>
                            </section>
                            <section aria-labelledby="moments-list">
                                <h2 id="moments-list">"Latest changes"</h2>
                                <p class="help">"Open the plan as it was after any change."</p>
                                <table class="moments" id="moments">
                                    <thead><tr><th scope="col">"When"</th><th scope="col">"Who"</th><th scope="col">""</th></tr></thead>
                                    <tbody>
                                        {d.moments.iter().rev().map(|m| view! {
                                            <tr data-seq=m.seq>
                                                <td>{format!("{} UTC", crate::dates::numeric_time(m.at))}</td>
                                                <td>{m.by.clone()}</td>
                                                <td><a href=format!("/plans/{plan}/version?at=seq-{}", m.seq)>"View as at this change"</a></td>
                                            </tr>
                                        }).collect_view()}
                                    </tbody>
                                </table>
                            </section>
                            {redact}
                        }
                        .into_any()
                        }
                    }
                })}
            </Suspense>
        </main>
        <Marking bottom=true/>
    }
}

/// The reviews a partner or viewer may read: those recorded while they
/// were members, each to open; no comparisons, no other versions.
#[component]
fn MemberReviews(plan: String, reviews: Vec<plan::versions::ReviewRecord>) -> impl IntoView {
    view! {
        <section aria-labelledby="reviews-list">
            <h2 id="reviews-list">"Reviews recorded while you were a member"</h2>
            <p class="help">"Earlier versions and comparisons are for the plan's LRO, plan owner and SIO."</p>
            {reviews.is_empty().then(|| view! { <p>"No review has been recorded since you joined the plan."</p> })}
            <ol class="review-list" id="review-list">
                {reviews.into_iter().rev().map(|r| view! {
                    <li data-review=r.number>
                        <strong>{format!("Review {} — {}", r.number, crate::dates::long(r.reviewed_on))}</strong>
                        {format!(" recorded by {}", r.by)}
                        <p class="lro-update">{if r.lro_update.trim().is_empty() { "(no LRO update)".to_string() } else { r.lro_update.clone() }}</p>
                        <a href=format!("/plans/{plan}/version?at=review-{}", r.number)>"View as at this review"</a>
                    </li>
                }).collect_view()}
            </ol>
        </section>
    }
}

#[component]
pub fn VersionPage() -> impl IntoView {
    let id = plan_param();
    let query = use_query_map();
    let at = Memo::new(move |_| query.read().get("at").unwrap_or_else(|| "now".into()));
    let version = crate::wire::resource(move || (id.get(), at.get()), |(id, at)| plan_version(id, at));
    // (may restore, sees the history)
    let rights = crate::wire::resource(
        move || id.get(),
        |id| async move {
            plan_reviews(id)
                .await
                .map(|d| (d.can_restore, d.sees_history))
                .unwrap_or_default()
        },
    );
    view! {
        <Suspense fallback=|| view! { <Marking/><p class="loading">"Loading…"</p> }>
            {move || Suspend::new(async move {
                let (restore, history) = rights.await;
                match version.await {
                    Err(e) => view! { <Marking/><main class="page" id="main"><ErrorPage error=e/></main><Marking bottom=true/> }.into_any(),
                    Ok(v) => {
                        let marking = Signal::stored(v.export.header.marking);
                        let plan = v.export.id;
                        let key = v.at.key();
                        let restore_from = (restore && key != "now").then(|| key.clone());
                        view! {
                            <PageTitle text=format!("{} — {} — Pillars", v.export.header.subject_name, v.label)/>
                            <Marking marking=marking/>
                            <AccountBar/>
                            <crate::components::RecordsPrinting plan=plan detail=key.clone()/>
                            <main class="page plan version" id="main" data-version=key.clone()>
                                <nav class="breadcrumbs" aria-label="Breadcrumb">
                                    <a href=format!("/plans/{plan}")>"← The live plan"</a>" · "
                                    <a href=format!("/plans/{plan}/versions")>"Reviews and versions"</a>
                                    {history.then(|| view! {
                                        " · "<a href=format!("/plans/{plan}/compare?from={key}")>"Changes since this version"</a>
                                    })}
                                </nav>
                                <p class="version-banner" role="note" id="version-banner">
                                    {format!("Read-only: {}. This is not the live plan.", v.label)}
                                </p>
                                <h1>{v.export.header.subject_name.clone()}</h1>
                                <p class="help print-hint">"To keep a copy, print this page or save it as PDF from your browser; the marking and this banner print with it."</p>
                                <VersionBody export=v.export restore_from=restore_from/>
                            </main>
                            <Marking marking=marking bottom=true/>
                        }
                        .into_any()
                    }
                }
            })}
        </Suspense>
    }
}
