//! An editor bound to one of the plan's `Y.Text`s: typing becomes the
//! smallest edit of the shared text (so concurrent typing merges character
//! by character), and remote edits update the editor without moving the
//! local caret or selection.

use super::presence::FieldPeers;
use super::LiveHandle;
use leptos::html::{Input, Textarea};
use leptos::prelude::*;
use plan::TextField;
use yrs::GetString;

/// The current text of a field ("" when it does not exist).
pub fn field_text(handle: &LiveHandle, field: &TextField) -> String {
    handle.read(|plan, txn| plan.text_ref(txn, field).map(|t| t.get_string(txn)).unwrap_or_default())
}

/// A live editor for one text field: a text area, or a one-line input.
#[component]
pub fn LiveText(
    field: TextField,
    /// What the field is, for screen readers (and the visible label, if
    /// `show_label`).
    label: String,
    #[prop(optional)] multiline: bool,
    #[prop(optional)] show_label: bool,
) -> impl IntoView {
    let handle = expect_context::<LiveHandle>();
    let key = field.to_string();
    let id = format!("text-{}", key.replace(':', "-"));
    // One-line inputs carry the text as an attribute (escaped); text
    // areas are filled by their binding once live.
    let initial = untrack(|| {
        if multiline {
            String::new()
        } else {
            field_text(&handle, &field)
        }
    });
    let area = NodeRef::<Textarea>::new();
    let line = NodeRef::<Input>::new();
    #[cfg(feature = "hydrate")]
    let binding = binding::Binding::new(
        handle,
        field.clone(),
        if multiline {
            binding::Node::Area(area)
        } else {
            binding::Node::Line(line)
        },
    );
    let on_local_edit = move || {
        #[cfg(feature = "hydrate")]
        binding.local_edit();
    };
    let on_caret = move || {
        #[cfg(feature = "hydrate")]
        binding.pin_caret();
    };
    let focus_key = key.clone();
    let on_focus = move || {
        on_caret();
        handle.focus(Some(focus_key.clone()));
    };
    let allowed = field.clone();
    let disabled = move || !handle.may_edit_text(&allowed);
    let editor = if multiline {
        view! {
            <textarea
                class="live-text"
                id=id.clone()
                data-text=key.clone()
                aria-label=label.clone()
                rows="4"
                disabled=disabled
                node_ref=area
                on:input=move |_| on_local_edit()
                on:select=move |_| on_caret()
                on:keyup=move |_| on_caret()
                on:mouseup=move |_| on_caret()
                on:focus=move |_| on_focus()
                on:blur=move |_| handle.focus(None)
            >
                // Filled from the replica once live: Leptos does not escape
                // a textarea's text when rendering on the server, and the
                // text is shown as text (`.static-only`) until then anyway.
            </textarea>
        }
        .into_any()
    } else {
        view! {
            <input
                type="text"
                class="live-text live-line"
                id=id.clone()
                data-text=key.clone()
                aria-label=label.clone()
                value=initial
                disabled=disabled
                node_ref=line
                on:input=move |_| on_local_edit()
                on:select=move |_| on_caret()
                on:keyup=move |_| on_caret()
                on:mouseup=move |_| on_caret()
                on:focus=move |_| on_focus()
                on:blur=move |_| handle.focus(None)
            />
        }
        .into_any()
    };
    view! {
        <div class="live-field">
            {show_label.then(|| view! { <label class="field-label" for=id.clone()>{label.clone()}</label> })}
            <FieldPeers field=key.clone()/>
            {editor}
        </div>
    }
}

#[cfg(feature = "hydrate")]
mod binding {
    use super::*;
    use plan::caret::{PinnedSelection, Selection};
    use web_sys::{HtmlInputElement, HtmlTextAreaElement};

    #[derive(Clone, Copy)]
    pub enum Node {
        Area(NodeRef<Textarea>),
        Line(NodeRef<Input>),
    }

    enum Control {
        Area(HtmlTextAreaElement),
        Line(HtmlInputElement),
    }

    impl Node {
        fn get(&self) -> Option<Control> {
            match self {
                Node::Area(n) => n.get_untracked().map(Control::Area),
                Node::Line(n) => n.get_untracked().map(Control::Line),
            }
        }
    }

    impl Control {
        fn value(&self) -> String {
            match self {
                Control::Area(e) => e.value(),
                Control::Line(e) => e.value(),
            }
        }

        fn set_value(&self, value: &str) {
            match self {
                Control::Area(e) => e.set_value(value),
                Control::Line(e) => e.set_value(value),
            }
        }

        fn selection(&self) -> Selection {
            let (start, end) = match self {
                Control::Area(e) => (e.selection_start(), e.selection_end()),
                Control::Line(e) => (e.selection_start(), e.selection_end()),
            };
            Selection {
                start: start.ok().flatten().unwrap_or(0),
                end: end.ok().flatten().unwrap_or(0),
            }
        }

        fn select(&self, s: Selection) {
            let _ = match self {
                Control::Area(e) => e.set_selection_range(s.start, s.end),
                Control::Line(e) => e.set_selection_range(s.start, s.end),
            };
        }

        fn is_focused(&self) -> bool {
            let me: &wasm_bindgen::JsValue = match self {
                Control::Area(e) => e.as_ref(),
                Control::Line(e) => e.as_ref(),
            };
            document().active_element().is_some_and(|active| {
                let active: &wasm_bindgen::JsValue = active.as_ref();
                active == me
            })
        }
    }

    /// Ties an editor to a text of the live replica.
    #[derive(Clone, Copy)]
    pub struct Binding {
        handle: LiveHandle,
        node: Node,
        field: StoredValue<TextField>,
        pinned: StoredValue<Option<PinnedSelection>, LocalStorage>,
    }

    impl Binding {
        pub fn new(handle: LiveHandle, field: TextField, node: Node) -> Self {
            let this = Binding {
                handle,
                node,
                field: StoredValue::new(field),
                pinned: StoredValue::new_local(None),
            };
            // Remote changes flow into the editor.
            Effect::new(move |_| {
                handle.version.track();
                this.show_remote();
            });
            this
        }

        /// The person typed: apply the difference to the shared text.
        pub fn local_edit(&self) {
            let Some(control) = self.node.get() else { return };
            let value = control.value();
            let field = self.field.get_value();
            let applied = self
                .handle
                .edit(|plan, txn| match plan.text_ref_for_write(txn, &field) {
                    Ok(text) => {
                        plan::text::replace_text(txn, &text, &value);
                        true
                    }
                    Err(_) => false,
                });
            if applied {
                self.pin_caret();
            }
        }

        /// Pins the caret to the characters around it, so a remote change
        /// can be applied without moving it.
        pub fn pin_caret(&self) {
            let Some(control) = self.node.get() else { return };
            let plan = self.handle.plan();
            let txn = plan.transact();
            let pinned = plan
                .text_ref(&txn, &self.field.get_value())
                .and_then(|text| PinnedSelection::pin(&text, &txn, control.selection()));
            self.pinned.set_value(pinned);
        }

        fn show_remote(&self) {
            let Some(control) = self.node.get() else { return };
            let plan = self.handle.plan();
            let txn = plan.transact();
            let Some(text) = plan.text_ref(&txn, &self.field.get_value()) else {
                return; // its action was deleted; the row is going away
            };
            let current = text.get_string(&txn);
            if control.value() == current {
                return;
            }
            let selection = self.pinned.with_value(|p| p.as_ref().and_then(|p| p.resolve(&txn)));
            drop(txn);
            control.set_value(&current);
            if let (true, Some(s)) = (control.is_focused(), selection) {
                control.select(s);
            }
            self.pin_caret();
        }
    }
}
