//! `/`: the plans list and the "New plan" form.

use super::new_plan_form::MayNotLeadPlans;
pub use super::new_plan_form::NewPlanForm;
use crate::api::{list_plans, CreatePlan};
use crate::components::{AccountBar, Marking};
use crate::escape::PageTitle;
use crate::present::{self, ReviewState};
use chrono::NaiveDate;

use leptos::prelude::*;
use plan::{PlanSummary, RagStatus};

pub const LIST_TITLE: &str = "Pillars — 4P SOC management plans";

/// The plans list page.
#[component]
pub fn PlansPage() -> impl IntoView {
    let create = ServerAction::<CreatePlan>::new();
    let changed = RwSignal::new(0u64);
    crate::changes::watch_changes("/api/plans/changes", "plan", changed);
    // Re-fetched after every create and whenever the server says a plan
    // changed; the first fetch is serialised into the server-rendered page,
    // so hydration does not fetch it again.
    let plans = crate::wire::resource(move || (create.version().get(), changed.get()), |_| list_plans());
    // Made here, not inside the Suspend below (see `AccountBar`).
    let viewer = crate::wire::resource(|| (), |_| crate::session::current_user());
    let today = present::today();

    view! {
        <PageTitle text=LIST_TITLE/>
        <Marking/>
        <AccountBar/>
        <main class="page" id="main">
            <header class="page-header">
                <h1>{LIST_TITLE}</h1>
            </header>
            <section class="plans-section" aria-labelledby="plans-heading">
                <h2 id="plans-heading">"Plans"</h2>
                <Transition fallback=|| view! { <p class="loading">"Loading plans…"</p> }>
                    {move || Suspend::new(async move {
                        match plans.await {
                            Ok(list) => view! { <PlansTable plans=list today=today/> }.into_any(),
                            Err(e) => {
                                view! {
                                    <p class="error" role="alert" id="plans-error">
                                        {present::user_message(&e)}
                                    </p>
                                }
                                    .into_any()
                            }
                        }
                    })}
                </Transition>
            </section>
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    match viewer.await {
                        Ok(Some(v)) if v.may_lead_plans => view! { <NewPlanForm action=create/> }.into_any(),
                        _ => view! { <MayNotLeadPlans/> }.into_any(),
                    }
                })}
            </Suspense>
        </main>
        <Marking bottom=true/>
    }
}

/// The table of plans (always present; an empty-state row when none).
#[component]
pub fn PlansTable(plans: Vec<PlanSummary>, today: NaiveDate) -> impl IntoView {
    let empty = plans.is_empty().then(|| {
        view! {
            <tr class="empty" id="plans-empty">
                <td colspan="5">"No plans yet. Start one with the “New plan” form below, or ask a plan's LRO to add you to it."</td>
            </tr>
        }
    });
    view! {
        <div class="table-scroll" role="region" aria-labelledby="plans-heading" tabindex="0">
            <table id="plans" class="plans">
                <thead>
                    <tr>
                        <th scope="col">"Subject"</th>
                        <th scope="col">"Tier"</th>
                        <th scope="col">"LRO"</th>
                        <th scope="col">"Next review"</th>
                        <th scope="col">"Actions by status"</th>
                    </tr>
                </thead>
                <tbody>
                    {empty}
                    {plans.into_iter().map(|p| view! { <PlanRow plan=p today=today/> }).collect_view()}
                </tbody>
            </table>
        </div>
    }
}

#[component]
fn PlanRow(plan: PlanSummary, today: NaiveDate) -> impl IntoView {
    let review = ReviewState::of(plan.next_review, today);
    let counts = plan.actions;
    let name = if plan.subject_name.trim().is_empty() {
        "(unnamed)".to_string()
    } else {
        plan.subject_name.clone()
    };
    let reference = (!plan.subject_ref.trim().is_empty()).then(|| {
        view! { <span class="subject-ref">{plan.subject_ref.clone()}</span> }
    });
    let unset = (counts.unset > 0).then(|| {
        view! {
            <li class="rag rag-unset">
                <span class="rag-label">"Not set"</span>
                " "
                <span class="rag-count">{counts.unset}</span>
            </li>
        }
    });
    view! {
        <tr class="plan-row" data-plan-id=plan.id.to_string()>
            <th scope="row" class="subject">
                <span class="kind-badge" title=present::kind_long(plan.subject_kind)>
                    {present::kind_short(plan.subject_kind)}
                </span>
                " "
                <a class="subject-name" href=present::plan_href(plan.id)>{name}</a>
                " "
                {reference}
            </th>
            <td class="tier">{present::tier_text(plan.tier)}</td>
            <td class="lro">{present::or_not_set(&plan.lro)}</td>
            <td class=review.class()>
                {present::format_opt_date(plan.next_review)}
                {review.flag().map(|f| view! { " " <strong class="flag">{f}</strong> })}
            </td>
            <td class="counts">
                <ul class="rag-counts">
                    <li class=present::count_class(RagStatus::Red, counts.red)>
                        <span class="rag-label">"RED"</span>
                        " "
                        <span class="rag-count">{counts.red}</span>
                    </li>
                    <li class=present::count_class(RagStatus::Amber, counts.amber)>
                        <span class="rag-label">"AMBER"</span>
                        " "
                        <span class="rag-count">{counts.amber}</span>
                    </li>
                    <li class=present::count_class(RagStatus::Green, counts.green)>
                        <span class="rag-label">"GREEN"</span>
                        " "
                        <span class="rag-count">{counts.green}</span>
                    </li>
                    {unset}
                </ul>
            </td>
        </tr>
    }
}
