//! The LRO's form to add a member by email, and the people invited onto
//! the plan who have no account yet (they join at their first sign-in
//! through their agency's provider; the LRO may withdraw an invitation).

use crate::live::LiveHandle;
use crate::present;
use crate::team::{plan_invitations, Invitations, SetPlanMember, WithdrawPlanInvitation};
use leptos::prelude::*;
use plan::access::Role;

#[component]
pub fn AddMember(set: ServerAction<SetPlanMember>) -> impl IntoView {
    let plan = expect_context::<LiveHandle>().plan_id;
    let withdraw = ServerAction::<WithdrawPlanInvitation>::new();
    let invitations = crate::wire::resource(
        move || (set.version().get(), withdraw.version().get()),
        move |_| plan_invitations(plan),
    );
    let invited = move || matches!(set.value().get(), Some(Ok(true)));
    let withdraw_error = move || {
        withdraw
            .value()
            .get()
            .and_then(Result::err)
            .map(|e| present::user_message(&e))
    };
    view! {
        <Transition fallback=|| ()>
            {move || Suspend::new(async move {
                let Invitations { agencies, open } = invitations.await.unwrap_or_default();
                let can_invite = !agencies.is_empty();
                view! {
                    <ActionForm action=set attr:id="add-member" attr:class="add-member">
                        <input type="hidden" name="plan" value=plan.to_string()/>
                        <label for="member-email">"Add a member by email"</label>
                        <input id="member-email" name="email" type="email" required/>
                        <label for="member-role">"as"</label>
                        <select id="member-role" name="role">{role_options(Role::Partner)}</select>
                        {can_invite.then(|| view! {
                            <label for="member-agency">"If they have no account yet, their agency"</label>
                            <select id="member-agency" name="agency">
                                <option value="">"(they have an account)"</option>
                                {agencies.into_iter().map(|a| view! { <option value=a.clone()>{a.clone()}</option> }).collect_view()}
                            </select>
                        })}
                        <button type="submit">"Add member"</button>
                    </ActionForm>
                    {can_invite.then(|| view! {
                        <p class="hint">
                            "Someone without an account is invited: they join the plan, in the role chosen, the first time they sign in through their agency's sign-in button."
                        </p>
                    })}
                    <p class="hint" role="status" id="member-invited">
                        {move || invited().then_some("Invited: they join the plan at their first sign-in.")}
                    </p>
                    {(!open.is_empty()).then(|| view! {
                        <h3 id="invited-heading">"Invited, not yet signed in"</h3>
                        <table class="members" id="invitations" aria-labelledby="invited-heading">
                            <thead>
                                <tr>
                                    <th scope="col">"Email"</th>
                                    <th scope="col">"Agency"</th>
                                    <th scope="col">"Role"</th>
                                    <th scope="col">"Invited"</th>
                                    <th scope="col"><span class="visually-hidden">"Withdraw"</span></th>
                                </tr>
                            </thead>
                            <tbody>
                                {open.into_iter().map(|i| {
                                    let email = i.email.clone();
                                    let attr = i.email.clone();
                                    let named = i.email.clone();
                                    view! {
                                        <tr class="invitation" data-email=attr>
                                            <td>{i.email}</td>
                                            <td>{i.agency}</td>
                                            <td>{i.role.label()}</td>
                                            <td>{i.invited_on} " by " {i.invited_by}</td>
                                            <td>
                                                <button type="button" class="link-button" on:click=move |_| {
                                                    withdraw.dispatch(WithdrawPlanInvitation { plan, email: email.clone() });
                                                }>
                                                    "Withdraw" <span class="visually-hidden">" the invitation of " {named}</span>
                                                </button>
                                            </td>
                                        </tr>
                                    }
                                }).collect_view()}
                            </tbody>
                        </table>
                    })}
                    <p class="form-error" role="alert" id="invitation-error">{withdraw_error}</p>
                }
            })}
        </Transition>
    }
}

/// The roles as a select's options, `current` chosen.
pub(super) fn role_options(current: Role) -> impl IntoView {
    Role::ALL
        .into_iter()
        .map(|r| view! { <option value=r.key() selected=r == current>{r.label()}</option> })
        .collect_view()
}
