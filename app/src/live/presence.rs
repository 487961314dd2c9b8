//! Who is on the plan: a bar listing everyone (name and colour, and the
//! part of the plan each is in), and markers on the field someone is in.

use super::LiveHandle;
use leptos::prelude::*;
use plan::presence::Peer;
use plan::{ActionText, TextField};

/// Where a person is, in words: "in Aim", "in an action's Update/result".
pub fn whereabouts(field: Option<&str>) -> String {
    let Some(field) = field else {
        return "viewing".to_string();
    };
    match field.parse::<TextField>() {
        Ok(TextField::Header(h)) => format!("in {}", h.label()),
        Ok(TextField::Section(s)) => format!("in {}", s.title()),
        Ok(TextField::Action { part, .. }) => match part {
            ActionText::Text => "in an action's description".to_string(),
            ActionText::OwnerName => "in an action's owner".to_string(),
            ActionText::Update => "in an action's Update/result".to_string(),
        },
        Ok(TextField::CustomObjective(_)) => "in an added objective".to_string(),
        Err(_) if field.starts_with("action:") => "in the action log".to_string(),
        Err(_) => match field {
            "marking" => "in Security marking".to_string(),
            "subject_kind" => "in Subject type".to_string(),
            "tier" => "in Tier".to_string(),
            "last_review" => "in Last review".to_string(),
            _ => "editing".to_string(),
        },
    }
}

/// The people bar at the top of the plan page (shown once live).
#[component]
pub fn PresenceBar() -> impl IntoView {
    let handle = expect_context::<LiveHandle>();
    let me = move || handle.me.get();
    view! {
        <section class="presence live-only" aria-label="People on this plan">
            <h2 class="visually-hidden">"People on this plan"</h2>
            <ul id="presence" class="people">
                <li class="person me" style:--person-color=move || me().map(|m| m.color).unwrap_or_default()>
                    <span class="dot" aria-hidden="true"></span>
                    "You: " <span id="my-name">{move || me().map(|m| m.name).unwrap_or_default()}</span>
                </li>
                <For each=move || handle.peers.get() key=|p| (p.client_id, p.name.clone(), p.field.clone()) let:peer>
                    <PersonChip peer=peer/>
                </For>
            </ul>
        </section>
    }
    .into_any()
}

#[component]
fn PersonChip(peer: Peer) -> impl IntoView {
    let place = whereabouts(peer.field.as_deref());
    view! {
        <li class="person" style:--person-color=peer.color.clone() data-peer=peer.name.clone() data-field=peer.field.clone()>
            <span class="dot" aria-hidden="true"></span>
            <span class="name">{peer.name.clone()}</span>
            " "
            <span class="where">{place}</span>
        </li>
    }
}

/// Name tags of the others who are in `field` right now.
#[component]
pub fn FieldPeers(field: String) -> impl IntoView {
    let handle = expect_context::<LiveHandle>();
    let here = Memo::new(move |_| {
        handle
            .peers
            .get()
            .into_iter()
            .filter(|p| p.field.as_deref() == Some(field.as_str()))
            .collect::<Vec<_>>()
    });
    view! {
        <Show when=move || !here.get().is_empty()>
            <p class="field-peers" aria-live="polite">
                <For each=move || here.get() key=|p| p.client_id let:peer>
                    <span class="field-peer" style:--person-color=peer.color.clone()>
                        {peer.name.clone()}
                    </span>
                </For>
                <span class="visually-hidden">" is editing this"</span>
            </p>
        </Show>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn whereabouts_name_the_part_of_the_plan() {
        assert_eq!(whereabouts(None), "viewing");
        assert_eq!(whereabouts(Some("aim")), "in Aim");
        assert_eq!(whereabouts(Some("lro")), "in Lead Responsible Officer (LRO)");
        assert_eq!(whereabouts(Some("action:1:update")), "in an action's Update/result");
        assert_eq!(whereabouts(Some("action:1:status")), "in the action log");
        assert_eq!(whereabouts(Some("tier")), "in Tier");
        assert_eq!(whereabouts(Some("???")), "editing");
    }
}
