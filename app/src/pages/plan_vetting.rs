//! The vetting a plan needs, in its members panel: the level (what its
//! marking implies, or more if its LRO raised it), the LRO's form to set
//! it, and, beside each member it shuts out, why.

use crate::live::LiveHandle;
use crate::present;
use crate::vetting::{PlanVettingView, RaisePlanVetting};
use leptos::prelude::*;
use plan::vetting::Lapse;

/// Why vetting shuts a member out: "vetting expired on 3 January 2027",
/// "needs NPPV2", or both.
pub fn lapse_text(lapse: &Lapse) -> String {
    let expired = lapse
        .expired_on
        .map(|d| format!("vetting expired on {}", crate::dates::long(d)));
    let needs = lapse.needs.as_ref().map(|n| format!("needs {n}"));
    [expired, needs].into_iter().flatten().collect::<Vec<_>>().join("; ")
}

/// A select's options: each level, `current` chosen.
pub fn level_options(levels: Vec<String>, current: &str) -> impl IntoView {
    levels
        .into_iter()
        .map(|l| {
            let selected = l == current;
            view! { <option value=l.clone() selected=selected>{l.clone()}</option> }
        })
        .collect_view()
}

/// What the plan needs and, for its LRO, the form to set it.
#[component]
pub fn PlanVettingNote(vetting: PlanVettingView, raise: ServerAction<RaisePlanVetting>) -> impl IntoView {
    let plan = expect_context::<LiveHandle>().plan_id;
    let why = match &vetting.raised {
        Some(_) => format!("raised by its LRO; its marking implies {}", vetting.implied),
        None => "as its marking implies".to_string(),
    };
    let error = move || present::refusal(raise.value().get());
    let form = (!vetting.choices.is_empty()).then(|| {
        let needs = vetting.needs.clone();
        view! {
            <ActionForm action=raise attr:id="raise-vetting" attr:class="add-member">
                <input type="hidden" name="plan" value=plan.to_string()/>
                <label for="plan-vetting-level">"Members need at least"</label>
                <select id="plan-vetting-level" name="level">
                    {level_options(vetting.choices, &needs)}
                </select>
                <button type="submit" class="secondary">"Set the plan's vetting"</button>
            </ActionForm>
            <p class="form-error" role="alert" id="raise-vetting-error">{error}</p>
        }
    });
    view! {
        <p class="hint" id="plan-vetting">
            "Vetting this plan needs: " <strong>{vetting.needs}</strong> ", in date (" {why} "). "
            "Members below it, or whose vetting has expired, stay listed but cannot open the plan."
        </p>
        {form}
    }
}
