//! `/plans/:id/compare?from=…&to=…`: what changed between two versions
//! (by default since the last review): text with insertions and deletions
//! marked, fields old → new, actions added, removed and changed, each with
//! who changed it. A removed action can be restored (LRO).

use super::restore_button::RestoreButton;
use crate::components::{AccountBar, ErrorPage, Marking};
use crate::escape::PageTitle;
use crate::versions::{compare_versions, plan_reviews};
use leptos::prelude::*;
use leptos_router::hooks::{use_params_map, use_query_map};
use plan::versions::{ActionChangeKind, FieldChange, Piece, VersionComparison};

fn by(names: &[String]) -> String {
    if names.is_empty() {
        String::new()
    } else {
        format!(" — changed by {}", names.join(", "))
    }
}

#[component]
pub fn ComparePage() -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    let id = Memo::new(move |_| params.read().get("id").unwrap_or_default());
    let between = Memo::new(move |_| {
        (
            query.read().get("from").unwrap_or_default(),
            query.read().get("to").unwrap_or_default(),
        )
    });
    let data = crate::wire::resource(
        move || (id.get(), between.get()),
        |(id, (from, to))| compare_versions(id, from, to),
    );
    let can_restore = crate::wire::resource(
        move || id.get(),
        |id| async move { plan_reviews(id).await.map(|d| d.can_restore).unwrap_or(false) },
    );
    view! {
        <PageTitle text="Changes between versions — Pillars"/>
        <Marking/>
        <AccountBar/>
        <main class="page compare-page" id="main">
            <nav class="breadcrumbs" aria-label="Breadcrumb">
                <a href=move || format!("/plans/{}", id.get())>"← The live plan"</a>" · "
                <a href=move || format!("/plans/{}/versions", id.get())>"Reviews and versions"</a>
            </nav>
            <h1>"Changes between versions"</h1>
            <Suspense fallback=|| view! { <p class="loading">"Comparing…"</p> }>
                {move || Suspend::new(async move {
                    let restore = can_restore.await;
                    match data.await {
                        Err(e) => view! { <ErrorPage error=e/> }.into_any(),
                        Ok(c) => view! { <Comparison c=c plan=id.get_untracked() restore=restore/> }.into_any(),
                    }
                })}
            </Suspense>
        </main>
        <Marking bottom=true/>
    }
}

fn field_rows(fields: Vec<FieldChange>) -> AnyView {
    view! {
        <table class="field-changes">
            <thead><tr><th scope="col">"Field"</th><th scope="col">"Was"</th><th scope="col">"Now"</th><th scope="col">"Changed by"</th></tr></thead>
            <tbody>
                {fields.into_iter().map(|f| view! {
                    <tr data-field=f.field.clone()>
                        <td>{f.label}</td><td class="old"><del>{f.old}</del></td><td class="new"><ins>{f.new}</ins></td><td>{f.by.join(", ")}</td>
                    </tr>
                }).collect_view()}
            </tbody>
        </table>
    }
    .into_any()
}

#[component]
fn Comparison(c: VersionComparison, plan: String, restore: bool) -> AnyView {
    let from_key = c.from.key();
    let empty = c.comparison.is_empty();
    let cmp = c.comparison;
    view! {
        <p class="version-banner" id="compare-banner">{format!("From: {}. To: {}.", c.from_label, c.to_label)}</p>
        {empty.then(|| view! { <p id="no-changes">"Nothing changed between these versions."</p> })}
        {cmp.sections.into_iter().map(|s| view! {
            <section class="section-diff" data-section=s.field.clone()>
                <h2>{format!("{}{}", s.heading, by(&s.by))}</h2>
                <p class="diff">
                    {s.pieces.into_iter().map(|p| match p {
                        Piece::Same(t) => view! { <span>{t}</span> }.into_any(),
                        Piece::Inserted(t) => view! { <ins>{t}</ins> }.into_any(),
                        Piece::Deleted(t) => view! { <del>{t}</del> }.into_any(),
                    }).collect_view()}
                </p>
            </section>
        }).collect_view()}
        {(!cmp.fields.is_empty()).then(|| view! { <section><h2>"Header, threats and objectives"</h2>{field_rows(cmp.fields)}</section> })}
        {(!cmp.actions.is_empty()).then(|| view! {
            <section class="action-diffs">
                <h2>"Actions"</h2>
                {cmp.actions.into_iter().map(|a| {
                    let (word, class) = match a.kind {
                        ActionChangeKind::Added => ("Added", "added"),
                        ActionChangeKind::Removed => ("Removed", "removed"),
                        ActionChangeKind::Changed => ("Changed", "changed"),
                    };
                    let restorable = restore && a.kind == ActionChangeKind::Removed;
                    let (plan, from_key, action_id) = (plan.clone(), from_key.clone(), a.id.clone());
                    let form = restorable.then(move || view! {
                        <RestoreButton plan=plan from=from_key kind="action" key=action_id
                            label="Restore this action" done="Restored as a new action."/>
                    });
                    view! {
                        <div class=format!("action-diff {class}") data-action=a.id.clone() data-kind=class>
                            <h3>{format!("{word}: {}{}", a.text, by(&a.by))}</h3>
                            {(!a.fields.is_empty()).then(|| field_rows(a.fields))}
                            {form}
                        </div>
                    }
                }).collect_view()}
            </section>
        })}
    }
    .into_any()
}
