//! The plans list's "New plan" form, or, for an account that may not lead
//! plans, why there is none.

use crate::api::CreatePlan;
use crate::present;
use leptos::html;
use leptos::prelude::*;
use plan::Tier;

/// In place of the "New plan" form, for accounts that may not lead plans:
/// why there is no form, and who can change that.
#[component]
pub(super) fn MayNotLeadPlans() -> impl IntoView {
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
