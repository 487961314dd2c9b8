//! `/`: the plans list and the "New plan" form.

use crate::api::{list_plans, CreatePlan};
use crate::components::{AccountBar, Marking};
use crate::escape::PageTitle;
use crate::present::{self, ReviewState};
use chrono::NaiveDate;
use leptos::html;
use leptos::prelude::*;
use plan::{PlanSummary, RagStatus, Tier};

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

/// In place of the "New plan" form, for accounts that may not lead plans:
/// why there is no form, and who can change that.
#[component]
fn MayNotLeadPlans() -> impl IntoView {
    view! {
        <section class="new-plan" aria-labelledby="new-plan-heading" id="may-not-lead-plans">
            <h2 id="new-plan-heading">"New plan"</h2>
            <p class="hint">
                "Plans are started by the officer who leads them (their LRO). Your account does not lead plans, "
                "so you take part in the plans you are added to. If you should lead plans, ask an administrator."
            </p>
        </section>
    }
}

/// The "New plan" form. Works without JavaScript (a plain form post); with
/// it, errors show beside the form and what was typed is kept.
#[component]
pub fn NewPlanForm(action: ServerAction<CreatePlan>) -> impl IntoView {
    let form_ref = NodeRef::<html::Form>::new();
    let error = move || {
        action
            .value()
            .get()
            .and_then(|r| r.err())
            .map(|e| present::user_message(&e))
    };
    let error_field = move || error().and_then(|m| present::error_field(&m));
    let invalid = move |field: &'static str| move || (error_field() == Some(field)).then_some("true");
    let described = move |field: &'static str, hint: Option<&'static str>| {
        move || {
            let mut ids: Vec<&str> = hint.into_iter().collect();
            if error_field() == Some(field) {
                ids.push("new-plan-error");
            }
            (!ids.is_empty()).then(|| ids.join(" "))
        }
    };
    let created = move || action.value().get().and_then(|r| r.ok());

    // After a successful create, clear the form for the next plan.
    Effect::new(move |_| {
        if let Some(Ok(_)) = action.value().get() {
            if let Some(form) = form_ref.get() {
                form.reset();
            }
        }
    });

    view! {
        <section class="new-plan" aria-labelledby="new-plan-heading">
            <h2 id="new-plan-heading">"New plan"</h2>
            <ActionForm action=action node_ref=form_ref attr:id="new-plan" attr:class="form">
                <div class="field">
                    <label for="subject_kind">"Subject type"</label>
                    <select
                        id="subject_kind"
                        name="subject_kind"
                        aria-invalid=invalid("subject_kind")
                        aria-describedby=described("subject_kind", None)
                    >
                        <option value="OCG" selected>"OCG — Organised Crime Group"</option>
                        <option value="PI">"PI — Priority Individual"</option>
                    </select>
                </div>
                <div class="field">
                    <label for="subject_name">"Subject name " <span class="required">"(required)"</span></label>
                    <input
                        type="text"
                        id="subject_name"
                        name="subject_name"
                        autocomplete="off"
                        aria-required="true"
                        aria-invalid=invalid("subject_name")
                        aria-describedby=described("subject_name", None)
                    />
                </div>
                <div class="field">
                    <label for="subject_ref">"Reference"</label>
                    <input
                        type="text"
                        id="subject_ref"
                        name="subject_ref"
                        autocomplete="off"
                        aria-invalid=invalid("subject_ref")
                        aria-describedby=described("subject_ref", None)
                    />
                </div>
                <div class="field">
                    <label for="tier">"Tier " <span class="required">"(required)"</span></label>
                    <select
                        id="tier"
                        name="tier"
                        aria-required="true"
                        aria-invalid=invalid("tier")
                        aria-describedby=described("tier", Some("tier-hint"))
                    >
                        <option value="" selected>"Choose a tier"</option>
                        {Tier::ALL
                            .iter()
                            .map(|t| {
                                let label = if t.get() == 1 {
                                    "Tier 1 (highest threat)".to_string()
                                } else {
                                    format!("Tier {t}")
                                };
                                view! { <option value=t.to_string()>{label}</option> }
                            })
                            .collect_view()}
                    </select>
                    <p class="hint" id="tier-hint">
                        "The tier sets how often the plan is reviewed. "
                        {plan::template::REVIEW_GUIDANCE}
                    </p>
                </div>
                <div class="field">
                    <label for="lro">"Lead Responsible Officer (LRO)"</label>
                    <input
                        type="text"
                        id="lro"
                        name="lro"
                        autocomplete="off"
                        aria-invalid=invalid("lro")
                        aria-describedby=described("lro", None)
                    />
                </div>
                <div class="form-actions">
                    <button type="submit" id="create-plan" disabled=move || action.pending().get()>
                        "Create plan"
                    </button>
                    {move || action.pending().get().then(|| view! { <span class="pending">"Creating…"</span> })}
                </div>
                {move || {
                    error()
                        .map(|message| {
                            let field = present::error_field(&message);
                            view! {
                                <p
                                    class="error"
                                    id="new-plan-error"
                                    role="alert"
                                    data-field=field
                                >
                                    {message}
                                </p>
                            }
                        })
                }}
                {move || {
                    created()
                        .map(|p| {
                            view! {
                                <p class="success" id="new-plan-created" role="status">
                                    "Created the plan for "
                                    <a href=present::plan_href(p.id)>{p.subject_name}</a>
                                    "."
                                </p>
                            }
                        })
                }}
            </ActionForm>
        </section>
    }
}
