//! A text area bound to one of the plan's root `Y.Text`s: typing becomes
//! the smallest edit of the shared text (so concurrent typing merges
//! character by character), and remote edits update the area without
//! moving the local caret or selection.

use super::LiveHandle;
use leptos::html::Textarea;
use leptos::prelude::*;

/// The live editor for one root text (a section or a header field).
#[component]
pub fn LiveText(
    /// The root text's name, e.g. `aim` (see `plan::Section::key`).
    key: &'static str,
    /// What the field is, for screen readers.
    label: String,
    /// The text as rendered on the server.
    initial: String,
) -> impl IntoView {
    let handle = expect_context::<LiveHandle>();
    let node = NodeRef::<Textarea>::new();
    #[cfg(feature = "hydrate")]
    let binding = binding::Binding::new(handle, key, node);
    let on_local_edit = move || {
        #[cfg(feature = "hydrate")]
        binding.local_edit();
    };
    let on_caret = move || {
        #[cfg(feature = "hydrate")]
        binding.pin_caret();
    };
    view! {
        <textarea
            class="live-text"
            id=format!("text-{key}")
            data-text=key
            aria-label=label
            rows="4"
            readonly=move || !handle.synced_once.get()
            node_ref=node
            on:input=move |_| on_local_edit()
            on:select=move |_| on_caret()
            on:keyup=move |_| on_caret()
            on:mouseup=move |_| on_caret()
            on:focus=move |_| on_caret()
        >
            {initial}
        </textarea>
    }
}

#[cfg(feature = "hydrate")]
mod binding {
    use super::*;
    use plan::caret::{PinnedSelection, Selection};
    use yrs::{GetString, TextRef};

    /// Ties a textarea to a root text of the live replica.
    #[derive(Clone, Copy)]
    pub struct Binding {
        handle: LiveHandle,
        node: NodeRef<Textarea>,
        key: &'static str,
        pinned: StoredValue<Option<PinnedSelection>, LocalStorage>,
    }

    impl Binding {
        pub fn new(handle: LiveHandle, key: &'static str, node: NodeRef<Textarea>) -> Self {
            let this = Binding {
                handle,
                node,
                key,
                pinned: StoredValue::new_local(None),
            };
            // Remote changes (and the first sync) flow into the area.
            Effect::new(move |_| {
                handle.version.track();
                if handle.ready.get() {
                    this.show_remote();
                }
            });
            this
        }

        fn text(&self) -> Option<(plan::PlanDoc, TextRef)> {
            self.handle.replica.with_value(|live| {
                live.as_ref()
                    .map(|live| (live.plan.clone(), live.plan.doc().get_or_insert_text(self.key)))
            })
        }

        /// The person typed: apply the difference to the shared text.
        pub fn local_edit(&self) {
            let (Some((plan, text)), Some(area)) = (self.text(), self.node.get_untracked()) else {
                return;
            };
            {
                let mut txn = plan.transact_mut();
                plan::text::replace_text(&mut txn, &text, &area.value());
            }
            self.pin_caret();
        }

        /// Pins the caret to the characters around it, so a remote change
        /// can be applied without moving it.
        pub fn pin_caret(&self) {
            let (Some((plan, text)), Some(area)) = (self.text(), self.node.get_untracked()) else {
                return;
            };
            let selection = Selection {
                start: area.selection_start().ok().flatten().unwrap_or(0),
                end: area.selection_end().ok().flatten().unwrap_or(0),
            };
            let pinned = PinnedSelection::pin(&text, &plan.transact(), selection);
            self.pinned.set_value(pinned);
        }

        fn show_remote(&self) {
            let (Some((plan, text)), Some(area)) = (self.text(), self.node.get_untracked()) else {
                return;
            };
            let txn = plan.transact();
            let current = text.get_string(&txn);
            if area.value() == current {
                return;
            }
            let selection = self.pinned.with_value(|p| p.as_ref().and_then(|p| p.resolve(&txn)));
            drop(txn);
            area.set_value(&current);
            let area_js: &wasm_bindgen::JsValue = area.as_ref();
            let focused = document().active_element().is_some_and(|e| {
                let active: &wasm_bindgen::JsValue = e.as_ref();
                active == area_js
            });
            if let (true, Some(s)) = (focused, selection) {
                let _ = area.set_selection_range(s.start, s.end);
            }
            self.pin_caret();
        }
    }
}
