//! `/admin`: agencies and user accounts, for administrators.

use crate::admin::{admin_directory, AddAgency, AddUser, DisableUser, SetAuditor, SetMayLeadPlans, SetStrategicLead};
use crate::components::{AccountBar, Marking};
use crate::escape::PageTitle;
use crate::present;
use leptos::prelude::*;

#[component]
pub fn AdminPage() -> impl IntoView {
    let add_agency = ServerAction::<AddAgency>::new();
    let add_user = ServerAction::<AddUser>::new();
    let disable = ServerAction::<DisableUser>::new();
    let lead = ServerAction::<SetStrategicLead>::new();
    let leads_plans = ServerAction::<SetMayLeadPlans>::new();
    let audits = ServerAction::<SetAuditor>::new();
    let directory = crate::wire::resource(
        move || {
            (
                add_agency.version().get(),
                add_user.version().get(),
                disable.version().get(),
                lead.version().get(),
                leads_plans.version().get(),
                audits.version().get(),
            )
        },
        |_| admin_directory(),
    );
    // Read beside the directory (not inside it), so the page renders the
    // same on the server and when it hydrates.
    let sign_in = crate::wire::resource(|| (), |_| crate::sign_in::ways_to_sign_in());
    let failed = |v: Option<Result<(), ServerFnError>>| v.and_then(Result::err).map(|e| present::user_message(&e));
    let issue = ServerAction::<crate::admin::IssueResetLink>::new();
    // Vetting officers who are not administrators see the vetting section
    // only; anyone else who is no administrator is told so.
    let viewer = crate::wire::resource(|| (), |_| crate::session::current_user());
    view! {
        <PageTitle text="Administration — Pillars"/>
        <Marking/>
        <AccountBar/>
        <main class="page admin" id="main">
            <nav class="breadcrumbs" aria-label="Breadcrumb">
                <a href="/">"← All plans"</a>
            </nav>
            <h1>"Administration"</h1>
            <Suspense fallback=|| view! { <p class="loading">"Loading…"</p> }>
                {move || Suspend::new(async move {
                    let viewer = viewer.await.ok().flatten();
                    if viewer.is_some_and(|v| v.vetting_officer && !v.is_admin) {
                        return ().into_any();
                    }
                    match directory.await {
                        Err(e) => view! { <p class="error" role="alert" id="admin-error">{present::user_message(&e)}</p> }.into_any(),
                        Ok(d) => {
                            let agency_options = d.agencies.clone();
                            let invite_agencies = d.agencies.clone();
                            let through_providers = sign_in.await.is_ok_and(|c| !c.providers.is_empty());
                            view! {
                                <section aria-labelledby="agencies-heading">
                                    <h2 id="agencies-heading">"Agencies"</h2>
                                    <table class="members" id="agencies">
                                        <thead><tr><th scope="col">"Name"</th><th scope="col">"Kind"</th></tr></thead>
                                        <tbody>
                                            {d.agencies.into_iter().map(|a| view! { <tr><td>{a.name}</td><td>{a.kind}</td></tr> }).collect_view()}
                                        </tbody>
                                    </table>
                                    <ActionForm action=add_agency attr:id="add-agency" attr:class="add-member">
                                        <label for="agency-name">"Name"</label>
                                        <input id="agency-name" name="name" required/>
                                        <label for="agency-kind">"Kind"</label>
                                        <input id="agency-kind" name="kind" placeholder="e.g. Local authority"/>
                                        <button type="submit">"Add agency"</button>
                                    </ActionForm>
                                    <p class="form-error" role="alert">{move || failed(add_agency.value().get())}</p>
                                </section>
                                <section aria-labelledby="users-heading">
                                    <h2 id="users-heading">"Users"</h2>
                                    <super::admin_reset::ResetLinkNotice issue=issue
                                        users=d.users.iter().map(|u| (u.id, u.name.clone())).collect()/>
                                    <table class="members" id="users">
                                        <thead><tr><th scope="col">"Name"</th><th scope="col">"Email"</th><th scope="col">"Agency"</th><th scope="col">"Administrator"</th><th scope="col">"Strategic lead"</th><th scope="col">"Leads plans"</th><th scope="col">"Auditor"</th><th scope="col">"Account"</th></tr></thead>
                                        <tbody>
                                            {d.users.into_iter().map(|u| view! {
                                                <tr class="user" data-email=u.email.clone()>
                                                    <td>{u.name.clone()}</td><td>{u.email.clone()}</td><td>{u.agency}</td><td>{present::yes_no(u.is_admin)}</td>
                                                    <td>
                                                        {present::yes_no(u.strategic_lead)} " "
                                                        {
                                                            let (id, on) = (u.id, !u.strategic_lead);
                                                            view! {
                                                                <button type="button" class="link-button toggle-lead"
                                                                    on:click=move |_| { lead.dispatch(SetStrategicLead { user: id, on }); }>
                                                                    {if on { "Make lead" } else { "Withdraw" }}
                                                                    <span class="visually-hidden">" " {u.name.clone()}</span>
                                                                </button>
                                                            }
                                                        }
                                                    </td>
                                                    <td class="may-lead-plans">
                                                        {present::yes_no(u.may_lead_plans)} " "
                                                        {
                                                            let (id, on) = (u.id, !u.may_lead_plans);
                                                            view! {
                                                                <button type="button" class="link-button toggle-may-lead-plans"
                                                                    on:click=move |_| { leads_plans.dispatch(SetMayLeadPlans { user: id, on }); }>
                                                                    {if on { "Allow" } else { "Withdraw" }}
                                                                    <span class="visually-hidden">" " {u.name.clone()} " leading plans"</span>
                                                                </button>
                                                            }
                                                        }
                                                    </td>
                                                    <td class="auditor">
                                                        {present::yes_no(u.auditor)} " "
                                                        {
                                                            let (id, on) = (u.id, !u.auditor);
                                                            view! {
                                                                <button type="button" class="link-button toggle-auditor"
                                                                    on:click=move |_| { audits.dispatch(SetAuditor { user: id, on }); }>
                                                                    {if on { "Make auditor" } else { "Withdraw" }}
                                                                    <span class="visually-hidden">" " {u.name.clone()} " auditing the access log"</span>
                                                                </button>
                                                            }
                                                        }
                                                    </td>
                                                    <td>
                                                        {if u.disabled {
                                                            view! { "Disabled" }.into_any()
                                                        } else {
                                                            let id = u.id;
                                                            view! {
                                                                <super::admin_reset::IssueResetLinkForm issue=issue user=id name=u.name.clone()/>
                                                                <button type="button" class="link-button disable-user"
                                                                    on:click=move |_| { disable.dispatch(DisableUser { user: id }); }>
                                                                    "Disable" <span class="visually-hidden">" " {u.name}</span>
                                                                </button>
                                                            }.into_any()
                                                        }}
                                                    </td>
                                                </tr>
                                            }).collect_view()}
                                        </tbody>
                                    </table>
                                    <ActionForm action=add_user attr:id="add-user" attr:class="form">
                                        <div class="field"><label for="user-name">"Name"</label><input id="user-name" name="name" required/></div>
                                        <div class="field"><label for="user-email">"Email"</label><input id="user-email" name="email" type="email" required/></div>
                                        <div class="field">
                                            <label for="user-agency">"Agency"</label>
                                            <select id="user-agency" name="agency">
                                                {agency_options.into_iter().map(|a| view! { <option value=a.id.to_string()>{a.name}</option> }).collect_view()}
                                            </select>
                                        </div>
                                        <div class="field">
                                            <label for="user-password">"First password (at least 12 characters)"</label>
                                            <input id="user-password" name="password" type="password" autocomplete="new-password" required/>
                                        </div>
                                        <label class="check"><input type="checkbox" name="admin" value="yes"/>" Administrator"</label>
                                        <label class="check"><input type="checkbox" name="strategic_lead" value="yes"/>" Strategic lead (edits the Control Strategy)"</label>
                                        <label class="check"><input type="checkbox" name="may_lead_plans" value="yes"/>" Leads plans (creates plans as their LRO; police officers typically)"</label>
                                        <label class="check"><input type="checkbox" name="auditor" value="yes"/>" Auditor (professional standards: searches and exports the access log)"</label>
                                        <button type="submit">"Add user"</button>
                                    </ActionForm>
                                    <p class="form-error" role="alert" id="add-user-error">
                                        {move || failed(add_user.value().get())
                                            .or_else(|| failed(disable.value().get()))
                                            .or_else(|| failed(lead.value().get()))
                                            .or_else(|| failed(leads_plans.value().get()))
                                            .or_else(|| failed(audits.value().get()))}
                                    </p>
                                </section>
                                <Show when=move || through_providers><super::admin_invite::InviteToSignInForm agencies=invite_agencies.clone()/></Show>
                            }
                            .into_any()
                        }
                    }
                })}
            </Suspense>
            <super::vetting_admin::VettingSection/>
        </main>
        <Marking bottom=true/>
    }
}
