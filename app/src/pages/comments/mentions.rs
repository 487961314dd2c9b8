//! `@` in a comment offers the plan's members, and only them: typing `@`
//! and the start of a name lists those who match; choosing one writes
//! `@Name` and mentions them (the server notifies them, and refuses anyone
//! who is not on the plan).

use crate::live::LiveHandle;
use crate::team::{plan_members, MemberView};
use leptos::prelude::*;
use uuid::Uuid;

/// The `@partial` being typed at the end of `text`, if any.
pub fn typing_mention(text: &str) -> Option<&str> {
    let at = text.rfind('@')?;
    let partial = &text[at + 1..];
    let starts_word = at == 0 || text[..at].ends_with(char::is_whitespace);
    (starts_word && !partial.contains(char::is_whitespace) && partial.len() <= 40).then_some(partial)
}

/// The people mentioned whose `@Name` is still in `text`, as the server
/// function takes them.
pub fn mentioned(text: &str, chosen: &[(Uuid, String)]) -> String {
    chosen
        .iter()
        .filter(|(_, name)| text.contains(&format!("@{name}")))
        .map(|(id, _)| id.to_string())
        .collect::<Vec<_>>()
        .join(",")
}

#[component]
pub fn MentionPicker(text: RwSignal<String>, chosen: RwSignal<Vec<(Uuid, String)>>) -> impl IntoView {
    let plan = expect_context::<LiveHandle>().plan_id;
    let members = RwSignal::new(None::<Vec<MemberView>>);
    let partial = Memo::new(move |_| text.with(|t| typing_mention(t).map(str::to_lowercase)));
    // The members are fetched the first time someone types `@`.
    Effect::new(move |_| {
        if partial.get().is_some() && members.with_untracked(Option::is_none) {
            members.set(Some(Vec::new()));
            leptos::task::spawn_local(async move {
                if let Ok(list) = plan_members(plan).await {
                    members.set(Some(list));
                }
            });
        }
    });
    let matches = move || {
        let partial = partial.get()?;
        let found: Vec<MemberView> = members.with(|m| {
            m.iter()
                .flatten()
                .filter(|m| m.name.to_lowercase().contains(&partial))
                .take(6)
                .cloned()
                .collect()
        });
        (!found.is_empty()).then_some(found)
    };
    let choose = move |member: MemberView| {
        text.update(|t| {
            if let Some(at) = t.rfind('@') {
                t.truncate(at);
                t.push_str(&format!("@{} ", member.name));
            }
        });
        chosen.update(|c| c.push((member.user_id, member.name)));
    };
    view! {
        {move || matches().map(|found| view! {
            <div class="mention-choices" role="group" aria-label="Mention a member of the plan">
                {found.into_iter().map(|m| {
                    let label = format!("{} ({})", m.name, m.agency);
                    view! {
                        <button type="button" class="secondary mention" on:click=move |_| choose(m.clone())>{label}</button>
                    }
                }).collect_view()}
            </div>
        })}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_at_starting_a_word_opens_the_choice_until_a_space() {
        assert_eq!(typing_mention("Ask @pa"), Some("pa"));
        assert_eq!(typing_mention("@"), Some(""));
        assert_eq!(typing_mention("mail pat@council"), None, "an email is not a mention");
        assert_eq!(typing_mention("Ask @Pat Partner then"), None);
    }

    #[test]
    fn only_those_still_named_are_mentioned() {
        let (a, b) = (Uuid::new_v4(), Uuid::new_v4());
        let chosen = vec![(a, "Pat Partner".to_string()), (b, "Sam".to_string())];
        assert_eq!(mentioned("Ask @Pat Partner about it", &chosen), a.to_string());
    }
}
