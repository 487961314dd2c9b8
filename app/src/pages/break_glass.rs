//! Break-glass access on the plan page: the offer to an auditor, strategic
//! lead or administrator who is not a member (stating why opens the plan
//! read-only for an hour), and the notice its LRO and plan owner see.

use crate::access_log::BreakGlass;
use crate::dates::numeric_time;
use leptos::prelude::*;
use plan::access_log::BreakGlassNote;

/// Under "Plan not found", for those who may break the glass. It says
/// nothing about whether the plan exists: that shows only once a reason is
/// given (and logged). A plain form: the answer sends the browser to the
/// plan, loaded afresh now that it may be read.
#[component]
pub fn BreakGlassOffer(plan: String) -> impl IntoView {
    let viewer = crate::wire::resource(|| (), |_| crate::session::current_user());
    view! {
        <Suspense fallback=|| ()>
            {move || {
                let plan = plan.clone();
                Suspend::new(async move {
                    let may = viewer.await.ok().flatten().is_some_and(|v| v.auditor || v.strategic_lead || v.is_admin);
                    may.then(|| view! {
                        <section class="break-glass-offer" aria-labelledby="break-glass-heading" id="break-glass">
                            <h2 id="break-glass-heading">"Emergency access (break glass)"</h2>
                            <p class="hint">
                                "If this is a plan you are not a member of and an urgent decision needs it (for example a "
                                "threat to life while its LRO is absent), you may read it for one hour by stating why. "
                                "The plan's LRO and plan owner are told, and your reason is recorded in its access log."
                            </p>
                            <form method="post" action={<BreakGlass as leptos::server_fn::ServerFn>::PATH} id="break-glass-form" class="form">
                                <input type="hidden" name="plan" value=plan/>
                                <div class="field">
                                    <label for="break-glass-reason">"Why do you need it now?"</label>
                                    <textarea id="break-glass-reason" name="reason" required maxlength="5000"></textarea>
                                </div>
                                <button type="submit" id="break-glass-button">"Open it read-only for one hour"</button>
                            </form>
                        </section>
                    })
                })
            }}
        </Suspense>
    }
}

/// Tells the plan's LRO and plan owner who broke the glass lately, and why.
#[component]
pub fn BreakGlassNotice(notes: Vec<BreakGlassNote>) -> impl IntoView {
    (!notes.is_empty()).then(|| {
        view! {
            <section class="break-glass-notice" role="note" id="break-glass-notice" aria-labelledby="break-glass-notice-heading">
                <h2 id="break-glass-notice-heading">"Emergency access to this plan"</h2>
                <ul>
                    {notes.into_iter().map(|n| view! {
                        <li>
                            {format!("{} ({}) opened this plan read-only at {} UTC, until {} UTC: ", n.by, n.agency, numeric_time(n.at), numeric_time(n.until))}
                            <q>{n.reason}</q>
                        </li>
                    }).collect_view()}
                </ul>
            </section>
        }
    })
}
