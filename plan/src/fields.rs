//! Names for every free-text field of a plan, so editors, presence ("who is
//! in which field") and permission checks can all point at one.
//!
//! A [`TextField`] prints as a stable key (`aim`, `lro`,
//! `action:{id}:update`, `objective:{id}`) and parses back from it.

use crate::doc::{text_for_write, ModelError, PlanDoc};
use crate::header::HeaderText;
use crate::template::Section;
use std::fmt;
use std::str::FromStr;
use yrs::{Map, Out, ReadTxn, TextRef, TransactionMut};

/// The free-text parts of an action.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ActionText {
    Text,
    OwnerName,
    Update,
}

impl ActionText {
    pub const ALL: [ActionText; 3] = [ActionText::Text, ActionText::OwnerName, ActionText::Update];

    /// The key inside the action's map.
    pub fn key(self) -> &'static str {
        match self {
            ActionText::Text => "text",
            ActionText::OwnerName => "owner_name",
            ActionText::Update => "update",
        }
    }

    /// The template's column name.
    pub fn label(self) -> &'static str {
        match self {
            ActionText::Text => "Action/Planned activity",
            ActionText::OwnerName => "Owner name",
            ActionText::Update => "Update/result",
        }
    }
}

/// One free-text field of a plan.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum TextField {
    Header(HeaderText),
    Section(Section),
    Action { id: String, part: ActionText },
    CustomObjective(String),
}

impl fmt::Display for TextField {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TextField::Header(h) => f.write_str(h.key()),
            TextField::Section(s) => f.write_str(s.key()),
            TextField::Action { id, part } => write!(f, "action:{id}:{}", part.key()),
            TextField::CustomObjective(id) => write!(f, "objective:{id}"),
        }
    }
}

/// A key that names no field.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0:?} is not a field of a plan")]
pub struct UnknownField(pub String);

impl FromStr for TextField {
    type Err = UnknownField;

    fn from_str(key: &str) -> Result<Self, Self::Err> {
        let unknown = || UnknownField(key.to_string());
        if let Some(rest) = key.strip_prefix("action:") {
            let (id, part) = rest.rsplit_once(':').ok_or_else(unknown)?;
            let part = ActionText::ALL
                .into_iter()
                .find(|p| p.key() == part)
                .ok_or_else(unknown)?;
            if id.is_empty() {
                return Err(unknown());
            }
            return Ok(TextField::Action {
                id: id.to_string(),
                part,
            });
        }
        if let Some(id) = key.strip_prefix("objective:") {
            return (!id.is_empty())
                .then(|| TextField::CustomObjective(id.to_string()))
                .ok_or_else(unknown);
        }
        if let Some(h) = HeaderText::ALL.into_iter().find(|h| h.key() == key) {
            return Ok(TextField::Header(h));
        }
        Section::from_key(key).map(TextField::Section).ok_or_else(unknown)
    }
}

impl PlanDoc {
    /// The shared text behind a field, for reading; `None` when the action
    /// or objective it belongs to does not exist (any more).
    pub fn text_ref<T: ReadTxn>(&self, txn: &T, field: &TextField) -> Option<TextRef> {
        match field {
            TextField::Header(h) => Some(self.header_text_ref(*h)),
            TextField::Section(s) => Some(self.section_ref(*s)),
            TextField::Action { id, part } => match self.action_ref(txn, id).ok()?.get(txn, part.key()) {
                Some(Out::YText(t)) => Some(t),
                _ => None,
            },
            TextField::CustomObjective(id) => match self.custom_objective_ref(txn, id).ok()?.get(txn, "text") {
                Some(Out::YText(t)) => Some(t),
                _ => None,
            },
        }
    }

    /// The shared text behind a field, for writing. A nested entry that is
    /// missing its text (only in documents written by something else) gets
    /// an empty one.
    pub fn text_ref_for_write(&self, txn: &mut TransactionMut, field: &TextField) -> Result<TextRef, ModelError> {
        match field {
            TextField::Header(h) => Ok(self.header_text_ref(*h)),
            TextField::Section(s) => Ok(self.section_ref(*s)),
            TextField::Action { id, part } => {
                let map = self.action_ref(txn, id)?;
                Ok(text_for_write(&map, txn, part.key()))
            }
            TextField::CustomObjective(id) => {
                let map = self.custom_objective_ref(txn, id)?;
                Ok(text_for_write(&map, txn, "text"))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{NewAction, RagStatus, P};
    use yrs::GetString;

    #[test]
    fn every_kind_of_field_round_trips_through_its_key() {
        let fields = [
            TextField::Header(HeaderText::PlanOwner),
            TextField::Section(Section::Aim),
            TextField::Section(Section::Objectives(P::Prevent)),
            TextField::Action {
                id: "a1".into(),
                part: ActionText::Update,
            },
            TextField::CustomObjective("o-9".into()),
        ];
        for field in fields {
            assert_eq!(field.to_string().parse::<TextField>(), Ok(field));
        }
        assert_eq!("aim".parse::<TextField>(), Ok(TextField::Section(Section::Aim)));
        for bad in ["", "nope", "action:", "action:x:colour", "action::text", "objective:"] {
            assert!(bad.parse::<TextField>().is_err(), "{bad}");
        }
    }

    #[test]
    fn nested_fields_resolve_to_their_texts_and_missing_ones_do_not() {
        let plan = PlanDoc::new(crate::new_doc());
        let mut txn = plan.transact_mut();
        let id = plan
            .add_action(
                &mut txn,
                &NewAction {
                    owner_name: "DS Lee".into(),
                    owner_agency: "Police".into(),
                    status: RagStatus::Amber,
                    ..NewAction::new([P::Pursue], "Warrant")
                },
            )
            .unwrap();
        let objective = plan.add_custom_objective(&mut txn, P::Protect, "Protect the school");
        let owner = TextField::Action {
            id: id.clone(),
            part: ActionText::OwnerName,
        };
        assert_eq!(plan.text_ref(&txn, &owner).unwrap().get_string(&txn), "DS Lee");
        let objective = TextField::CustomObjective(objective);
        assert_eq!(
            plan.text_ref(&txn, &objective).unwrap().get_string(&txn),
            "Protect the school"
        );
        let gone = TextField::Action {
            id: "missing".into(),
            part: ActionText::Text,
        };
        assert!(plan.text_ref(&txn, &gone).is_none());
        assert!(matches!(
            plan.text_ref_for_write(&mut txn, &gone),
            Err(ModelError::UnknownAction(_))
        ));
        let update = TextField::Action {
            id,
            part: ActionText::Update,
        };
        let text = plan.text_ref_for_write(&mut txn, &update).unwrap();
        crate::text::replace_text(&mut txn, &text, "Arrested");
        assert_eq!(plan.text_ref(&txn, &update).unwrap().get_string(&txn), "Arrested");
    }
}
