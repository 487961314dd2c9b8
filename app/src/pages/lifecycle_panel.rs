//! A plan's life on its page: the banner of a closed plan (read-only for
//! everyone), and the LRO's forms to close it, with an outcome, a summary
//! and the disruptions it achieved, or to reopen it. Closing or reopening
//! reloads every open page of the plan (the server closes them with 4409).

use crate::dates;
use crate::lifecycle::{ClosePlan, ReopenPlan};
use crate::live::LiveHandle;
use crate::present;
use leptos::prelude::*;
use plan::access::Role;
use plan::lifecycle::{Outcome, PlanLife};

/// Says that the plan is closed, why, and when its retention review is.
#[component]
pub fn ClosedBanner(life: Option<PlanLife>) -> impl IntoView {
    let life = life?;
    let closing = life.closing()?.clone();
    let when = life
        .closed_at
        .map(|at| dates::long(at.date_naive()))
        .unwrap_or_default();
    let outcome = closing.outcome.map(Outcome::label).unwrap_or("Closed");
    let review = life
        .review_on
        .map(|d| format!(" Its retention review is due on {}.", dates::long(d)))
        .unwrap_or_default();
    Some(view! {
        <section class="closed-banner" role="note" id="closed-banner" aria-labelledby="closed-heading">
            <h2 id="closed-heading">{format!("Closed on {when}: {outcome}")}</h2>
            <p>{format!("Closed by {}. Nobody can change this plan now; its history and reviews remain.{review}", closing.by)}</p>
            <p class="closing-summary">{closing.summary}</p>
            {(!closing.disruptions.is_empty()).then(|| view! {
                <p class="closing-disruptions"><strong>"Disruptions achieved: "</strong>{closing.disruptions}</p>
            })}
        </section>
    })
}

/// The LRO's closing or reopening form.
#[component]
pub fn LifecyclePanel(life: Option<PlanLife>) -> impl IntoView {
    let live = expect_context::<LiveHandle>();
    if live.role != Role::Lro {
        return ().into_any();
    }
    let plan = live.plan_id.to_string();
    let closed = life.is_some_and(|l| l.closed);
    let close = ServerAction::<ClosePlan>::new();
    let reopen = ServerAction::<ReopenPlan>::new();
    let failed = move || {
        let error = |v: Option<Result<PlanLife, ServerFnError>>| v.and_then(Result::err);
        error(close.value().get())
            .or_else(|| error(reopen.value().get()))
            .map(|e| present::user_message(&e))
    };
    let form = if closed {
        view! {
            <ActionForm action=reopen attr:id="reopen-plan" attr:class="form">
                <input type="hidden" name="plan" value=plan/>
                <div class="field">
                    <label for="reopen-reason">"Why reopen it?"</label>
                    <textarea id="reopen-reason" name="reason" required maxlength="5000"></textarea>
                </div>
                <button type="submit" id="reopen-plan-button">"Reopen the plan"</button>
            </ActionForm>
        }
        .into_any()
    } else {
        view! {
            <p class="hint">
                "Close the plan when the group is dismantled or no longer a priority. A closed plan is read-only "
                "for everyone and leaves the live portfolio; its history and reviews remain, and it is kept until "
                "its retention review (MoPI)."
            </p>
            <ActionForm action=close attr:id="close-plan" attr:class="form">
                <input type="hidden" name="plan" value=plan/>
                <div class="field">
                    <label for="close-outcome">"Outcome"</label>
                    <select id="close-outcome" name="outcome">
                        {Outcome::ALL.into_iter().map(|o| view! { <option value=o.key()>{o.label()}</option> }).collect_view()}
                    </select>
                </div>
                <div class="field">
                    <label for="close-summary">"Closing summary"</label>
                    <textarea id="close-summary" name="summary" required maxlength="5000"></textarea>
                </div>
                <div class="field">
                    <label for="close-disruptions">"Disruptions achieved"</label>
                    <textarea id="close-disruptions" name="disruptions" maxlength="5000"></textarea>
                </div>
                <button type="submit" id="close-plan-button">"Close the plan"</button>
            </ActionForm>
        }
        .into_any()
    };
    view! {
        <section class="part lifecycle" aria-labelledby="lifecycle-heading" id="lifecycle">
            <h2 id="lifecycle-heading">{if closed { "Reopen this plan" } else { "Close this plan" }}</h2>
            {form}
            <p class="form-error" role="alert" id="lifecycle-error">{failed}</p>
        </section>
    }
    .into_any()
}
