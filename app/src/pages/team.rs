//! The foot of the plan page: who is on the plan (the LRO adds, re-roles
//! and removes members) and, for the LRO, the history of changes.

use crate::live::LiveHandle;
use crate::present;
use crate::team::{plan_history, plan_members, MemberView, RemovePlanMember, SetPlanMember};
use leptos::prelude::*;

#[component]
pub fn TeamPanel() -> impl IntoView {
    let live = expect_context::<LiveHandle>();
    let plan = live.plan_id;
    let manages = live.role.manages_members();
    let set = ServerAction::<SetPlanMember>::new();
    let remove = ServerAction::<RemovePlanMember>::new();
    let raise = ServerAction::<crate::vetting::RaisePlanVetting>::new();
    let members = crate::wire::resource(
        move || (set.version().get(), remove.version().get()),
        move |_| plan_members(plan),
    );
    let vetting = crate::wire::resource(
        move || (set.version().get(), remove.version().get(), raise.version().get()),
        move |_| crate::vetting::plan_vetting(plan),
    );
    let error = move || {
        let failed = |v: Option<Result<(), ServerFnError>>| v.and_then(Result::err);
        (set.value().get().and_then(Result::err))
            .or_else(|| failed(remove.value().get()))
            .map(|e| present::user_message(&e))
    };
    view! {
        <section class="part team" aria-labelledby="team-heading" id="team">
            <h2 id="team-heading">"Members"</h2>
            <p class="hint">
                "Only members can see this plan. The LRO manages members; plan owners and SIOs edit the whole plan; partners edit their own agency's actions; viewers read."
            </p>
            <Transition fallback=|| view! { <p class="loading">"Loading members…"</p> }>
                {move || Suspend::new(async move {
                    let vetting = vetting.await.ok();
                    let lapses = vetting.as_ref().map(|v| v.lapses.clone()).unwrap_or_default();
                    let lapse_of = move |id| lapses.iter().find(|(u, _)| *u == id).map(|(_, l)| super::plan_vetting::lapse_text(l));
                    members.await.map(|list| {
                        view! {
                            <table class="members" id="members">
                                <thead>
                                    <tr>
                                        <th scope="col">"Name"</th>
                                        <th scope="col">"Agency"</th>
                                        <th scope="col">"Role"</th>
                                        {manages.then(|| view! { <th scope="col">"Vetting"</th> })}
                                    </tr>
                                </thead>
                                <tbody>
                                    {list.into_iter().map(|m| {
                                        let lapse = manages.then(|| lapse_of(m.user_id).unwrap_or_default());
                                        view! { <MemberRow member=m manages=manages set=set remove=remove lapse=lapse/> }
                                    }).collect_view()}
                                </tbody>
                            </table>
                            {vetting.map(|v| view! { <super::plan_vetting::PlanVettingNote vetting=v raise=raise/> })}
                        }
                    })
                })}
            </Transition>
            <p class="form-error" role="alert" id="members-error">{error}</p>
            {manages.then(|| view! { <super::add_member::AddMember set=set/> <HandOver/> <History/> <WhoHasLooked/> })}
        </section>
    }
    .into_any()
}

#[component]
fn MemberRow(
    member: MemberView,
    manages: bool,
    set: ServerAction<SetPlanMember>,
    remove: ServerAction<RemovePlanMember>,
    /// Why vetting shuts them out (empty: it does not), for the LRO.
    lapse: Option<String>,
) -> impl IntoView {
    let live = expect_context::<LiveHandle>();
    let plan = live.plan_id;
    let MemberView {
        user_id,
        name,
        email,
        agency,
        role,
    } = member;
    let role_cell = if manages {
        let email = email.clone();
        view! {
            <select
                aria-label=format!("Role of {name}")
                data-member=email.clone()
                on:change=move |ev| {
                    set.dispatch(SetPlanMember { plan, email: email.clone(), role: event_target_value(&ev), agency: None });
                }
            >
                {super::add_member::role_options(role)}
            </select>
            " "
            <button
                type="button"
                class="link-button"
                on:click=move |_| {
                    remove.dispatch(RemovePlanMember { plan, user: user_id });
                }
            >
                "Remove" <span class="visually-hidden">" " {name.clone()}</span>
            </button>
        }
        .into_any()
    } else {
        view! { {role.label()} }.into_any()
    };
    view! {
        <tr class="member" data-email=email>
            <td>{name.clone()}</td>
            <td>{agency}</td>
            <td>{role_cell}</td>
            {lapse.map(|l| view! { <td class="lapse">{l}</td> })}
        </tr>
    }
}

/// The LRO hands the plan to another officer, who becomes its LRO at once.
#[component]
fn HandOver() -> impl IntoView {
    let plan = expect_context::<LiveHandle>().plan_id;
    let hand_over = ServerAction::<crate::team::HandOverPlan>::new();
    let error = move || {
        hand_over
            .value()
            .get()
            .and_then(Result::err)
            .map(|e| present::user_message(&e))
    };
    view! {
        <h2 id="handover-heading">"Hand the plan over"</h2>
        <p class="hint">
            "The officer you name becomes the plan's LRO at once, with every LRO power; the plan's history records the handover."
        </p>
        <ActionForm action=hand_over attr:id="hand-over" attr:class="form">
            <input type="hidden" name="plan" value=plan.to_string()/>
            <div class="field">
                <label for="handover-email">"The new LRO's email"</label>
                <input id="handover-email" name="email" type="email" required/>
            </div>
            <div class="field">
                <label for="handover-then">"Then you"</label>
                <select id="handover-then" name="then">
                    <option value="plan_owner">"stay on as plan owner"</option>
                    <option value="leave">"leave the plan"</option>
                </select>
            </div>
            <button type="submit" id="hand-over-button">"Hand over"</button>
        </ActionForm>
        <p class="form-error" role="alert" id="handover-error">{error}</p>
    }
}

/// The LRO's view of every change: who, when, what (latest first).
#[component]
fn History() -> impl IntoView {
    let plan = expect_context::<LiveHandle>().plan_id;
    let shown = RwSignal::new(false);
    let history = crate::wire::resource(
        move || shown.get(),
        move |show| async move {
            if show {
                plan_history(plan).await.map(Some)
            } else {
                Ok(None)
            }
        },
    );
    view! {
        <h2 id="history-heading">"History of changes"</h2>
        <p>
            <button type="button" class="secondary" id="show-history" on:click=move |_| shown.set(true)>
                "Show the history"
            </button>
        </p>
        <crate::components::DownloadForm action=format!("/api/plans/{plan}/history")
            params=vec![("format".to_string(), "csv".to_string())] id="history-csv" label="Download it (CSV)"/>
        <Transition fallback=|| ()>
            {move || Suspend::new(async move {
                history.await.ok().flatten().map(|rows| {
                    view! {
                        <div class="table-scroll">
                            <table class="history" id="history">
                                <thead>
                                    <tr>
                                        <th scope="col">"When"</th>
                                        <th scope="col">"Who"</th>
                                        <th scope="col">"Field"</th>
                                        <th scope="col">"Was"</th>
                                        <th scope="col">"Now"</th>
                                    </tr>
                                </thead>
                                <tbody>
                                    {rows.into_iter().rev().map(|r| view! {
                                        <tr data-field=r.field>
                                            <td>{r.at}</td>
                                            <td>{r.who} " (" {r.agency} ")"</td>
                                            <td>{r.what}</td>
                                            <td>{r.old.unwrap_or_else(|| "(long text)".into())}</td>
                                            <td>{r.new.unwrap_or_else(|| "(long text)".into())}</td>
                                        </tr>
                                    }).collect_view()}
                                </tbody>
                            </table>
                        </div>
                    }
                })
            })}
        </Transition>
    }
}

/// The LRO's view of the access log: everyone who has read or handed out
/// the plan, refused attempts too (latest first).
#[component]
fn WhoHasLooked() -> impl IntoView {
    let plan = expect_context::<LiveHandle>().plan_id;
    view! {
        <h2 id="access-heading">"Who has looked at this plan"</h2>
        <p class="hint">
            "Every opening, reading, print and download of this plan, with the reader's role at the time. "
            "Refused attempts by people who are not members are shown too."
        </p>
        <super::access_table::AccessLogOnDemand
            load=move || crate::access_log::plan_access_log(plan)
            button=("show-access-log", "Show who has looked")
            id="plan-access-log" show_plan=false show_origin=false/>
    }
}
