//! "Restore this section" / "Restore this action": a form that brings a
//! part back from an older version as a new, audited edit (LRO only).

use crate::versions::RestoreFrom;
use leptos::prelude::*;

/// `kind` is `section` or `action`; `key` the section key or action id.
#[component]
pub fn RestoreButton(
    plan: String,
    from: String,
    kind: &'static str,
    key: String,
    label: &'static str,
    done: &'static str,
) -> AnyView {
    let action = ServerAction::<RestoreFrom>::new();
    view! {
        <ActionForm action=action attr:class="restore">
            <input type="hidden" name="plan" value=plan/>
            <input type="hidden" name="from" value=from/>
            <input type="hidden" name="kind" value=kind/>
            <input type="hidden" name="key" value=key.clone()/>
            <button type="submit" class="secondary" data-restore=key data-restore-kind=kind>{label}</button>
            <span class="form-status" role="status">
                {move || action.value().get().map(|r| match r {
                    Ok(()) => done.to_string(),
                    Err(e) => crate::present::user_message(&e),
                })}
            </span>
        </ActionForm>
    }
    .into_any()
}
