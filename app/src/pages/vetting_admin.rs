//! `/admin`'s vetting section: each person's level and the date it expires
//! on, set by administrators and vetting officers (who see only this part
//! of the page), and every change made, newest first. Administrators also
//! make people vetting officers here.

use crate::present;
use crate::vetting::{people_vetting, PersonVetting, SetVetting, SetVettingOfficer, VettingChangeView};
use leptos::prelude::*;

#[component]
pub fn VettingSection() -> impl IntoView {
    let set = ServerAction::<SetVetting>::new();
    let officers = ServerAction::<SetVettingOfficer>::new();
    let directory = crate::wire::resource(
        move || (set.version().get(), officers.version().get()),
        |_| people_vetting(),
    );
    view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                // Only administrators and vetting officers get an answer.
                directory.await.ok().map(|d| {
                    let levels = d.levels.clone();
                    let grants = d.grants_officers;
                    view! {
                        <section aria-labelledby="vetting-heading" id="vetting">
                            <h2 id="vetting-heading">"Vetting"</h2>
                            <p class="hint">
                                "Each person's vetting and the day it expires on. A plan needs the level its marking implies, or more if its LRO raised it: "
                                "a member below it, or whose vetting has expired, cannot open the plan until it is renewed here. Every change is recorded."
                            </p>
                            <div class="table-scroll">
                                <table class="members" id="vetting-people">
                                    {head(["Name", "Agency", "Vetting", "Vetting officer", "Change"])}
                                    <tbody>
                                        {d.people.into_iter().map(|p| view! {
                                            <PersonRow person=p levels=levels.clone() grants=grants set=set officers=officers/>
                                        }).collect_view()}
                                    </tbody>
                                </table>
                            </div>
                            <p class="form-error" role="alert" id="vetting-error">
                                {move || present::refusal(set.value().get()).or_else(|| present::refusal(officers.value().get()))}
                            </p>
                            <h3 id="vetting-changes-heading">"Changes of vetting"</h3>
                            <Changes changes=d.changes/>
                        </section>
                    }
                })
            })}
        </Suspense>
    }
}

/// A table's head row.
fn head(columns: [&'static str; 5]) -> impl IntoView {
    let cells = columns.map(|c| view! { <th scope="col">{c}</th> });
    view! { <thead><tr>{cells.into_iter().collect_view()}</tr></thead> }
}

/// What someone holds, in words: "NPPV2, expires on 31 March 2027".
fn held(p: &PersonVetting) -> String {
    match p.expires_at {
        Some(at) if p.expired => format!("{}, expired on {}", p.level, crate::dates::long(at.date_naive())),
        Some(at) => format!("{}, expires on {}", p.level, crate::dates::long(at.date_naive())),
        None => p.level.clone(),
    }
}

#[component]
fn PersonRow(
    person: PersonVetting,
    levels: Vec<String>,
    grants: bool,
    set: ServerAction<SetVetting>,
    officers: ServerAction<SetVettingOfficer>,
) -> impl IntoView {
    let shown = held(&person);
    let expires = person
        .expires_at
        .map(|at| at.date_naive().to_string())
        .unwrap_or_default();
    let (id, name) = (person.id, person.name.clone());
    let officer_cell = if grants {
        let on = !person.vetting_officer;
        let name = name.clone();
        view! {
            {present::yes_no(person.vetting_officer)} " "
            <button type="button" class="link-button toggle-vetting-officer"
                on:click=move |_| { officers.dispatch(SetVettingOfficer { user: id, on }); }>
                {if on { "Make vetting officer" } else { "Withdraw" }}
                <span class="visually-hidden">" " {name} " as vetting officer"</span>
            </button>
        }
        .into_any()
    } else {
        view! { {present::yes_no(person.vetting_officer)} }.into_any()
    };
    view! {
        <tr class="person-vetting" data-email=person.email.clone()>
            <td>{name.clone()}</td>
            <td>{person.agency.clone()}</td>
            <td class="held" class:lapsed=person.expired>{shown}</td>
            <td>{officer_cell}</td>
            <td>
                <ActionForm action=set attr:class="set-vetting add-member">
                    <input type="hidden" name="user" value=id.to_string()/>
                    <select name="level" aria-label=format!("Vetting level of {name}")>
                        {super::plan_vetting::level_options(levels, &person.level)}
                    </select>
                    <input type="date" name="expires" value=expires aria-label=format!("Expires on (for {name})")/>
                    <button type="submit" class="secondary">"Set" <span class="visually-hidden">" " {name.clone()} "'s vetting"</span></button>
                </ActionForm>
            </td>
        </tr>
    }
}

#[component]
fn Changes(changes: Vec<VettingChangeView>) -> impl IntoView {
    view! {
        <div class="table-scroll">
            <table class="history" id="vetting-changes">
                {head(["When", "Who", "Whose", "Was", "Now"])}
                <tbody>
                    {changes.into_iter().map(|c| view! {
                        <tr>
                            <td>{crate::dates::numeric_time(c.at)}</td><td>{c.by}</td><td>{c.whom}</td>
                            <td>{c.old}</td><td>{c.new}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
}
