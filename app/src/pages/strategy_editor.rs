//! The editor of the next version of the Control Strategy, for
//! administrators and strategic leads: a form posted to the
//! `publish_strategy` server function (a plain post without JavaScript).

use crate::present;
use crate::strategy::PublishStrategy;
use crate::strategy_form::{StrategyForm, ThreatForm};
use leptos::prelude::*;
use plan::strategy::{ManagementModel, PublishedStrategy};

/// One threat's fields; `index` places them in the posted list.
#[component]
fn ThreatFields(index: usize, row: ThreatForm) -> impl IntoView {
    let name = move |field: &str| format!("draft[threats][{index}][{field}]");
    let id = move |field: &str| format!("threat-{index}-{field}");
    let heading = if row.key.is_empty() {
        "New threat".to_string()
    } else {
        row.name.clone()
    };
    let model = row.model.clone();
    view! {
        <fieldset class="threat-editor" data-row=index data-key=row.key.clone()>
            <legend>{heading}</legend>
            <input type="hidden" name=name("key") value=row.key.clone()/>
            <div class="field"><label for=id("name")>"Name"</label><input id=id("name") name=name("name") value=row.name/></div>
            <div class="field">
                <label for=id("area")>"SGG area"</label>
                <input id=id("area") name=name("area") list="strategy-areas-list" value=row.area/>
            </div>
            <div class="field">
                <label for=id("model")>"Management model"</label>
                <select id=id("model") name=name("model")>
                    {ManagementModel::ALL.into_iter().map(|m| view! {
                        <option value=m.key() selected=m.key() == model>{m.label()}</option>
                    }).collect_view()}
                </select>
            </div>
            <div class="field">
                <label for=id("battles")>"Must win battles (one a line)"</label>
                <textarea id=id("battles") name=name("battles") rows="3">{crate::escape::raw_text(row.battles)}</textarea>
            </div>
            <label class="check">
                <input type="checkbox" id=id("retired") name=name("retired") value="on" checked=row.retired.is_some()/>
                " Retired (plans tagged with it keep the tag)"
            </label>
        </fieldset>
    }
}

/// A labelled textarea of the form.
#[component]
fn Lines(id: &'static str, label: &'static str, value: String) -> impl IntoView {
    view! {
        <div class="field">
            <label for=id>{label}</label>
            <textarea id=id name=format!("draft[{}]", id.trim_start_matches("strategy-").replace('-', "_")) rows="4">{crate::escape::raw_text(value)}</textarea>
        </div>
    }
}

/// The form to publish the version after `current`.
#[component]
pub fn StrategyEditor(current: PublishedStrategy, action: ServerAction<PublishStrategy>) -> impl IntoView {
    let form = StrategyForm::of(&current);
    let areas = current.strategy.areas.clone();
    let first_new = form.threats.len();
    // Rows added with "Add a threat" (one blank row is always there).
    let added = RwSignal::new(0usize);
    let blank = || ThreatForm::blank(ManagementModel::RegionallyLed);
    let failed = move || {
        action
            .value()
            .get()
            .and_then(Result::err)
            .map(|e| present::user_message(&e))
    };
    view! {
        <section aria-labelledby="editor-heading" class="strategy-editor">
            <h2 id="editor-heading">"Publish a new version"</h2>
            <p>"The new version supersedes this one, which stays readable. Threats cannot be removed: retire them instead."</p>
            <ActionForm action=action attr:id="strategy-editor" attr:class="form">
                <input type="hidden" name="draft[base_version]" value=form.base_version.to_string()/>
                <div class="field"><label for="strategy-title-input">"Title"</label>
                    <input id="strategy-title-input" name="draft[title]" value=form.title required/></div>
                <div class="field"><label for="strategy-effective">"Effective from"</label>
                    <input id="strategy-effective" type="date" name="draft[effective_from]" value=form.effective_from required/></div>
                <div class="field"><label for="strategy-aim-input">"Aim"</label>
                    <textarea id="strategy-aim-input" name="draft[aim]" rows="2">{crate::escape::raw_text(form.aim)}</textarea></div>
                <Lines id="strategy-spr-themes" label="Strategic Policing Requirement themes (one a line)" value=form.spr_themes/>
                <Lines id="strategy-areas" label="SGG areas (one a line)" value=form.areas/>
                <datalist id="strategy-areas-list">
                    {areas.into_iter().map(|a| view! { <option value=a/> }).collect_view()}
                </datalist>
                {form.threats.into_iter().enumerate().map(|(i, row)| view! { <ThreatFields index=i row=row/> }).collect_view()}
                <ThreatFields index=first_new row=blank()/>
                <For each=move || 1..=added.get() key=|i| *i children=move |i| view! { <ThreatFields index=first_new + i row=blank()/> }/>
                <button type="button" id="add-threat" on:click=move |_| added.update(|n| *n += 1)>"Add a threat"</button>
                <Lines id="strategy-local-priorities" label="Local policing priorities (one a line)" value=form.local_priorities/>
                <button type="submit" id="publish-strategy">"Publish"</button>
            </ActionForm>
            <p class="form-error" role="alert" id="publish-error">{failed}</p>
        </section>
    }
}
