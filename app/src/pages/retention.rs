//! The retention reviews due (MoPI), on `/audit`: each closed plan whose
//! review date has come, with the two decisions an auditor or administrator
//! records: keep it (why, and when to review it again) or dispose of it
//! (why). Disposal erases the plan for good, leaving its tombstone.

use crate::dates;
use crate::lifecycle::{retention_due, DecideRetention};
use crate::present;
use leptos::prelude::*;
use plan::lifecycle::DueReview;

#[component]
pub fn RetentionReviews() -> impl IntoView {
    let decide = ServerAction::<DecideRetention>::new();
    let due = crate::wire::resource(move || decide.version().get(), |_| retention_due());
    let error = move || {
        decide
            .value()
            .get()
            .and_then(Result::err)
            .map(|e| present::user_message(&e))
    };
    view! {
        <section aria-labelledby="retention-heading" id="retention">
            <h2 id="retention-heading">"Retention reviews due"</h2>
            <p class="hint">
                "Closed plans whose retention review has come (Management of Police Information). Keep a plan that "
                "still has a policing purpose, saying why and when to review it again; dispose of one that has none. "
                "Disposal erases the plan, its history, reviews and access log for good; only its id, reference, "
                "dates and your reason remain."
            </p>
            <p class="form-error" role="alert" id="retention-error">{error}</p>
            <Transition fallback=|| ()>
                {move || Suspend::new(async move {
                    match due.await {
                        Ok(list) if list.is_empty() => view! { <p class="empty" id="retention-none">"None due."</p> }.into_any(),
                        Ok(list) => view! {
                            <ul class="retention-list" id="retention-list">
                                {list.into_iter().map(|d| view! { <DueItem due=d decide=decide/> }).collect_view()}
                            </ul>
                        }.into_any(),
                        Err(e) => view! { <p class="error" role="alert">{present::user_message(&e)}</p> }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}

#[component]
fn DueItem(due: DueReview, decide: ServerAction<DecideRetention>) -> impl IntoView {
    let id = due.plan.to_string();
    let name = if due.subject_ref.is_empty() {
        id.clone()
    } else {
        format!("{} ({id})", due.subject_ref)
    };
    let closed = due.closed_at.map(|at| dates::long(at.date_naive())).unwrap_or_default();
    let field = |what: &str| format!("{what}-{}", due.plan);
    let (retain_reason, next_review, dispose_reason) =
        (field("retain-reason"), field("next-review"), field("dispose-reason"));
    let (id1, id2, name2) = (id.clone(), id.clone(), name.clone());
    view! {
        <li class="retention-item" data-plan=id>
            <h3>{name.clone()}</h3>
            <p>{format!("Closed {closed}; review due {}.", dates::long(due.review_on))}</p>
            <ActionForm action=decide attr:class="form retain">
                <input type="hidden" name="plan" value=id1/>
                <input type="hidden" name="decision" value="retain"/>
                <div class="field">
                    <label for=retain_reason.clone()>"Why keep it?"</label>
                    <input id=retain_reason name="reason" type="text" required maxlength="5000"/>
                </div>
                <div class="field">
                    <label for=next_review.clone()>"Review it again on"</label>
                    <input id=next_review name="next_review" type="date" required/>
                </div>
                <button type="submit" class="secondary">"Keep it"<span class="visually-hidden">" " {name2}</span></button>
            </ActionForm>
            <ActionForm action=decide attr:class="form dispose">
                <input type="hidden" name="plan" value=id2/>
                <input type="hidden" name="decision" value="dispose"/>
                <div class="field">
                    <label for=dispose_reason.clone()>"Why dispose of it?"</label>
                    <input id=dispose_reason name="reason" type="text" required maxlength="5000"/>
                </div>
                <button type="submit">"Dispose of it (erase for good)"<span class="visually-hidden">" " {name}</span></button>
            </ActionForm>
        </li>
    }
}
