//! `/disruptions` (and `?plan=` for one plan): the disruption return, for
//! LROs and plan owners: the assessed actions not yet submitted, laid out
//! for print with the marking heading and footing it, a CSV download (which
//! records the return), and "Mark submitted" for all rows or one. Marking
//! goes through each plan's document (admitted, audited, live).

use crate::actions_across::{disruptions, MarkSubmitted, RecordDisruptionReturn};
use crate::changes::watch_changes;
use crate::components::{AccountBar, Marking};
use crate::escape::PageTitle;
use crate::present;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;
use plan::across::disruptions::DisruptionReturn;
use plan::across::ps_label;
use plan::SecurityMarking;
use uuid::Uuid;

#[component]
pub fn DisruptionsPage() -> impl IntoView {
    let params = use_query_map();
    let plan = Memo::new(move |_| params.with(|p| p.get("plan").and_then(|id| Uuid::parse_str(id.trim()).ok())));
    let changed = RwSignal::new(0u64);
    watch_changes("/api/plans/changes", "plan", changed);
    let mark = ServerAction::<MarkSubmitted>::new();
    let data = crate::wire::resource(
        move || (plan.get(), changed.get(), mark.version().get()),
        |(plan, _, _)| disruptions(plan),
    );
    let marking = Signal::derive(move || {
        data.get()
            .and_then(Result::ok)
            .map_or(SecurityMarking::OfficialSensitive, |d| d.marking)
    });
    view! {
        <PageTitle text="Disruptions to submit — Pillars"/>
        <Marking marking=marking/>
        <AccountBar/>
        <main class="page disruptions-page" id="main">
            <header class="page-header"><h1>"Disruptions to submit"</h1></header>
            <Transition fallback=|| view! { <p class="loading">"Loading the return…"</p> }>
                {move || Suspend::new(async move {
                    match data.await {
                        Ok(ret) => view! { <Return data=ret mark=mark/> }.into_any(),
                        Err(e) => view! { <p class="error" role="alert" id="disruptions-error">{present::user_message(&e)}</p> }.into_any(),
                    }
                })}
            </Transition>
        </main>
        <Marking marking=marking bottom=true/>
    }
}

#[component]
fn Return(data: DisruptionReturn, mark: ServerAction<MarkSubmitted>) -> AnyView {
    let scope = if data.plan.is_some() {
        "This plan's return."
    } else {
        "Across every plan where you are the LRO or plan owner."
    };
    // No field at all for every plan: an empty one would not read as a plan id.
    let plan = data.plan.map(|p| p.to_string());
    let error = move || {
        mark.value()
            .get()
            .and_then(Result::err)
            .map(|e| view! { <p class="error" role="alert" id="mark-error">{present::user_message(&e)}</p> })
    };
    let empty = data.rows.is_empty();
    view! {
        <p class="scope">{scope} " " {format!("{} action(s) assessed and not yet submitted.", data.rows.len())}</p>
        // A plain form, not an ActionForm: the browser follows the answer's
        // redirect to the recorded return's CSV, which it downloads.
        <form method="post" action={<RecordDisruptionReturn as leptos::server_fn::ServerFn>::PATH} class="no-print exports" id="disruptions-csv-form">
            {plan.clone().map(|plan| view! { <input type="hidden" name="plan" value=plan/> })}
            <label for="disruptions-csv-for">"For whom (optional)"</label>
            <input id="disruptions-csv-for" name="recipients" type="text" maxlength="500" autocomplete="off"
                placeholder="e.g. Regional Organised Crime Unit"/>
            <button type="submit" id="disruptions-csv">"Download as CSV (recorded)"</button>
        </form>
        {error}
        {(!empty).then(|| view! {
            <ActionForm action=mark attr:class="no-print" attr:id="mark-all">
                {plan.clone().map(|plan| view! { <input type="hidden" name="plan" value=plan/> })}
                <button type="submit">"Mark all submitted"</button>
            </ActionForm>
        })}
        <div class="table-scroll">
            <table class="disruptions-table" id="disruptions">
                <thead><tr>
                    <th scope="col">"Plan"</th><th scope="col">"Date"</th><th scope="col">"Action"</th>
                    <th scope="col">"Owner / agency"</th><th scope="col">"Disruption"</th><th scope="col">"Ps"</th>
                    <th scope="col" class="no-print">""</th>
                </tr></thead>
                <tbody>
                    {empty.then(|| view! { <tr class="empty"><td colspan="7">"Nothing to submit."</td></tr> })}
                    {data.rows.into_iter().map(|r| {
                        let a = r.action;
                        let (id, row_id) = (a.id.clone(), a.id.clone());
                        view! {
                            <tr data-action=row_id>
                                <td><a href=present::plan_href(r.plan_id)>{r.plan_name}</a></td>
                                <td>{present::format_opt_date(a.date)}</td>
                                <td>{a.text.clone()}</td>
                                <td>{present::owner_text(&a.owner_name, &a.owner_agency)}</td>
                                <td class=present::disruption_class(a.disruption)>{present::disruption_text(a.disruption)}</td>
                                <td>{ps_label(&a)}</td>
                                <td class="no-print">
                                    <ActionForm action=mark>
                                        <input type="hidden" name="plan" value=r.plan_id.to_string()/>
                                        <input type="hidden" name="action" value=id/>
                                        <button type="submit">"Mark submitted"</button>
                                    </ActionForm>
                                </td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
    .into_any()
}
