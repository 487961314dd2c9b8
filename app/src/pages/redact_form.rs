//! "Redact a passage", for the plan's LRO on the versions page: the
//! passage as it stands in one field of one version, and why. The server
//! masks it in every stored copy of the plan; open pages reload.

use crate::present;
use crate::versions::RedactPassage;
use leptos::prelude::*;
use plan::header::HeaderText;
use plan::Section;

/// `versions`: (key, label) of each version the passage may be found in,
/// besides the plan now.
#[component]
pub fn RedactForm(plan: String, versions: Vec<(String, String)>) -> impl IntoView {
    let redact = ServerAction::<RedactPassage>::new();
    let fields: Vec<(&'static str, &'static str)> = HeaderText::ALL
        .iter()
        .map(|h| (h.key(), h.label()))
        .chain(Section::ALL.iter().map(|s| (s.key(), s.title())))
        .collect();
    view! {
        <section class="redact" aria-labelledby="redact-heading">
            <h2 id="redact-heading">"Redact a passage"</h2>
            <p class="help">
                "Masks the passage in every stored version, snapshot, review and recorded change of this plan. "
                "The history of changes records who redacted what field, when and why, never the passage. "
                "Everyone with the plan open reloads it."
            </p>
            <ActionForm action=redact attr:id="redact-form" attr:class="redact-form">
                <input type="hidden" name="plan" value=plan/>
                <label>"Where it stands: "
                    <select name="at" id="redact-at">
                        <option value="now">"the plan now"</option>
                        {versions.into_iter().map(|(k, l)| view! { <option value=k>{l}</option> }).collect_view()}
                    </select>
                </label>
                <label>" in "
                    <select name="field" id="redact-field">
                        {fields.into_iter().map(|(k, l)| view! { <option value=k>{l}</option> }).collect_view()}
                    </select>
                </label>
                <label>"Passage, exactly as written: "
                    <input type="text" name="text" id="redact-text" required minlength="3" autocomplete="off"/>
                </label>
                <label>"Why it is redacted: "
                    <input type="text" name="reason" id="redact-reason" required maxlength="500" autocomplete="off"/>
                </label>
                <button type="submit" id="redact">"Redact"</button>
            </ActionForm>
            <p role="status" id="redact-result">
                {move || redact.value().get().map(|r| match r {
                    Ok(done) => format!("Redacted: {} characters masked, {} stored rows rewritten.", done.masked, done.rows),
                    Err(e) => present::user_message(&e),
                })}
            </p>
        </section>
    }
}
