//! `/my-actions`: every action owned by the viewer's agency, and separately
//! by the viewer by name, across their plans; grouped by plan, overdue
//! first; filtered by status, overdue and P. Each row the viewer may edit
//! carries a plain form (works without JavaScript) changing its
//! update/result, status and disruption through the plan's document. The
//! page refreshes when one of the viewer's plans changes.

use crate::actions_across::{my_actions, EditMyAction};
use crate::changes::watch_changes;
use crate::components::{AccountBar, Marking};
use crate::escape::PageTitle;
use crate::present;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;
use plan::across::mine::{MyAction, MyActionsQuery, MyActionsView, PlanGroup};
use plan::across::ps_label;
use plan::{Disruption, RagStatus};

#[component]
pub fn MyActionsPage() -> impl IntoView {
    let params = use_query_map();
    let query = Memo::new(move |_| {
        params.with(|p| MyActionsQuery {
            status: p.get("status"),
            overdue: p.get("overdue"),
            p: p.get("p"),
        })
    });
    let changed = RwSignal::new(0u64);
    watch_changes("/api/plans/changes", "plan", changed);
    let data = crate::wire::resource(move || (query.get(), changed.get()), |(q, _)| my_actions(q));
    view! {
        <PageTitle text="My actions — Pillars"/>
        <Marking/>
        <AccountBar/>
        <main class="page my-actions-page" id="main">
            <header class="page-header"><h1>"My actions"</h1></header>
            <Filters query=query.get_untracked()/>
            <Transition fallback=|| view! { <p class="loading">"Loading your actions…"</p> }>
                {move || Suspend::new(async move {
                    match data.await {
                        Ok(view_data) => view! { <Sections data=view_data changed=changed/> }.into_any(),
                        Err(e) => view! { <p class="error" role="alert" id="my-actions-error">{present::user_message(&e)}</p> }.into_any(),
                    }
                })}
            </Transition>
        </main>
        <Marking bottom=true/>
    }
}

#[component]
fn Sections(data: MyActionsView, changed: RwSignal<u64>) -> AnyView {
    let agency = format!("Owned by my agency ({})", data.agency);
    let name = format!("Owned by me by name ({})", data.name);
    view! {
        <p class="scope" id="my-actions-overdue" data-overdue=data.overdue.to_string()>
            {format!("{} of your actions are overdue.", data.overdue)}
        </p>
        <Section id="by-agency" heading=agency groups=data.by_agency changed=changed/>
        <Section id="by-name" heading=name groups=data.by_name changed=changed/>
    }
    .into_any()
}

#[component]
fn Section(id: &'static str, heading: String, groups: Vec<PlanGroup>, changed: RwSignal<u64>) -> AnyView {
    let empty = groups.is_empty().then(|| view! { <p class="empty">"No actions."</p> });
    let label = heading.clone();
    view! {
        <section id=id aria-label=label>
            <h2>{heading}</h2>
            {empty}
            {groups.into_iter().map(|g| view! {
                <div class="plan-group" data-plan=g.plan_id.to_string()>
                    <h3><a href=present::plan_href(g.plan_id)>{g.plan_name}</a> " " <span class="marking-tag">{g.marking.as_str()}</span>
                        {(g.overdue > 0).then(|| view! { <span class="flag overdue">{format!(" {} overdue", g.overdue)}</span> })}</h3>
                    <ul class="my-actions">{g.actions.into_iter().map(|a| view! { <ActionItem item=a plan=g.plan_id changed=changed/> }).collect_view()}</ul>
                </div>
            }).collect_view()}
        </section>
    }
    .into_any()
}

#[component]
fn ActionItem(item: MyAction, plan: uuid::Uuid, changed: RwSignal<u64>) -> AnyView {
    let a = item.action.clone();
    let edit = ServerAction::<EditMyAction>::new();
    // Refresh after a successful edit (the stream also tells, a moment later).
    Effect::new(move |_| {
        if let Some(Ok(())) = edit.value().get() {
            changed.update(|n| *n += 1);
        }
    });
    let error = move || {
        edit.value()
            .get()
            .and_then(Result::err)
            .map(|e| view! { <p class="error" role="alert">{present::user_message(&e)}</p> })
    };
    let details = format!(
        "{} · target {} · {} · {}",
        ps_label(&a),
        present::format_opt_date(a.target_date),
        present::owner_text(&a.owner_name, &a.owner_agency),
        present::disruption_text(a.disruption)
    );
    let (id, update) = (a.id.clone(), a.update.clone());
    let form = item.editable.then(|| {
        let status = a.status;
        let level = a.disruption;
        let (id, update) = (id.clone(), update.clone());
        view! {
            <ActionForm action=edit attr:class="my-action-edit">
                <input type="hidden" name="edit[plan]" value=plan.to_string()/>
                <input type="hidden" name="edit[action]" value=id/>
                <label>"Update/result " <textarea name="edit[update]" rows="2">{crate::escape::raw_text(update)}</textarea></label>
                <label>"Status "
                    <select name="edit[status]">
                        {[RagStatus::Red, RagStatus::Amber, RagStatus::Green].map(|s| view! { <option value=s.as_str() selected=status == Some(s)>{s.as_str()}</option> }).collect_view()}
                    </select>
                </label>
                <label>"Disruption "
                    <select name="edit[disruption]">
                        <option value="" selected=level.is_none()>"Not assessed"</option>
                        {plan::portfolio::LEVELS.map(|l: Disruption| view! { <option value=l.as_str() selected=level == Some(l)>{l.as_str()}</option> }).collect_view()}
                    </select>
                </label>
                <button type="submit">"Save"</button>
            </ActionForm>
        }
    });
    let read_only = (!item.editable)
        .then(|| view! { <p class="help">{format!("Update/result: {}", present::or_not_set(&a.update))}</p> });
    view! {
        <li class="my-action" class:overdue=item.overdue data-action=a.id.clone() data-status=present::rag_text(a.status)>
            <p><span class=present::rag_class(a.status)>{present::rag_text(a.status)}</span> " " <strong>{a.text.clone()}</strong>
                {item.overdue.then(|| view! { <span class="flag overdue">" Overdue"</span> })}</p>
            <p class="help">{details}</p>
            {form}
            {read_only}
            {error}
        </li>
    }
    .into_any()
}

/// A plain GET form: works without JavaScript, and its URL can be shared.
#[component]
fn Filters(query: MyActionsQuery) -> AnyView {
    let is = |current: &Option<String>, value: &str| current.as_deref().is_some_and(|c| c.eq_ignore_ascii_case(value));
    let q = query;
    view! {
        <form class="portfolio-filters" method="get" action="/my-actions" id="my-actions-filters">
            <label>"Status "
                <select name="status">
                    <option value="">"Any"</option>
                    {["RED", "AMBER", "GREEN", "unset"].map(|s| view! { <option value=s selected=is(&q.status, s)>{s}</option> }).collect_view()}
                </select>
            </label>
            <label>"P "
                <select name="p">
                    <option value="">"Any"</option>
                    {plan::P::ACTION_LOG_ORDER.map(|p| view! { <option value=p.as_str() selected=is(&q.p, p.as_str())>{p.as_str()}</option> }).collect_view()}
                </select>
            </label>
            <label><input type="checkbox" name="overdue" value="true" checked=is(&q.overdue, "true")/>" Overdue only"</label>
            <button type="submit">"Apply"</button>
            <a href="/my-actions">"Clear"</a>
        </form>
    }
    .into_any()
}
