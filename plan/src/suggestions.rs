//! Suggested changes to a text section, free of storage and networking: a
//! member who may not edit a section proposes a replacement for words in
//! it (anchored like a range comment) or a new paragraph at its end; a
//! lead accepts or rejects. Accepting applies it only if the words are as
//! they were when it was suggested: otherwise it is outdated, never
//! applied blindly.

use crate::comments::locate;
use crate::template::Section;
use crate::PlanDoc;
use yrs::{GetString, Text, TransactionMut};

/// The longest proposed text, in characters.
pub const MAX_PROPOSAL_CHARS: usize = 10_000;

/// What a suggestion changes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Proposed {
    /// Replace the words between two sticky positions, which read
    /// `original` when suggested.
    Replace {
        start: Vec<u8>,
        end: Vec<u8>,
        original: String,
        text: String,
    },
    /// Add a paragraph at the end of the section.
    Paragraph { text: String },
}

impl Proposed {
    /// A replacement of the words between `range` (which read `original`
    /// when suggested), or, with no range, a paragraph: as stored.
    pub fn from_parts(range: Option<(Vec<u8>, Vec<u8>)>, original: Option<String>, text: String) -> Proposed {
        match range {
            Some((start, end)) => Proposed::Replace {
                start,
                end,
                original: original.unwrap_or_default(),
                text,
            },
            None => Proposed::Paragraph { text },
        }
    }
}

/// Why a suggestion could not be made or applied; the user's message.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SuggestionError {
    #[error("text: at most {MAX_PROPOSAL_CHARS} characters (this has {0})")]
    TooLong(usize),
    #[error("text: write the paragraph to add")]
    EmptyParagraph,
    #[error("the words were changed since it was suggested: it is outdated")]
    Outdated,
}

/// Checks the proposed text: a paragraph has some; a replacement may be
/// empty (a suggested deletion).
pub fn check_text(proposed: &Proposed) -> Result<(), SuggestionError> {
    let text = match proposed {
        Proposed::Replace { text, .. } => text,
        Proposed::Paragraph { text } if text.trim().is_empty() => return Err(SuggestionError::EmptyParagraph),
        Proposed::Paragraph { text } => text,
    };
    match text.chars().count() {
        n if n > MAX_PROPOSAL_CHARS => Err(SuggestionError::TooLong(n)),
        _ => Ok(()),
    }
}

/// Whether the suggestion still applies to the section as it is now.
pub fn is_current<T: yrs::ReadTxn>(plan: &PlanDoc, txn: &T, section: Section, proposed: &Proposed) -> bool {
    match proposed {
        Proposed::Paragraph { .. } => true,
        Proposed::Replace {
            start, end, original, ..
        } => locate(plan, txn, section, start, end).is_some_and(|now| &now.text == original),
    }
}

/// Applies the suggestion to the section, if it is current.
pub fn apply(
    plan: &PlanDoc,
    txn: &mut TransactionMut,
    section: Section,
    proposed: &Proposed,
) -> Result<(), SuggestionError> {
    let text = plan.section_ref(section);
    match proposed {
        Proposed::Paragraph { text: paragraph } => {
            let now = text.get_string(txn);
            let len = now.encode_utf16().count() as u32;
            let joint = if now.trim().is_empty() {
                ""
            } else if now.ends_with('\n') {
                "\n"
            } else {
                "\n\n"
            };
            text.insert(txn, len, &format!("{joint}{}", paragraph.trim()));
            Ok(())
        }
        Proposed::Replace {
            start,
            end,
            original,
            text: new,
        } => {
            let now = locate(plan, txn, section, start, end).ok_or(SuggestionError::Outdated)?;
            if &now.text != original {
                return Err(SuggestionError::Outdated);
            }
            if now.end > now.start {
                text.remove_range(txn, now.start, now.end - now.start);
            }
            if !new.is_empty() {
                text.insert(txn, now.start, new);
            }
            Ok(())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::comments::Anchor;
    use crate::new_doc;

    fn plan(aim: &str) -> PlanDoc {
        let plan = PlanDoc::new(new_doc());
        plan.set_section_text(&mut plan.transact_mut(), Section::Aim, aim);
        plan
    }

    fn replace(plan: &PlanDoc, from: u32, to: u32, original: &str, text: &str) -> Proposed {
        let Some(Anchor::Range { start, end, .. }) = Anchor::range(plan, &plan.transact(), Section::Aim, from, to)
        else {
            panic!("a range")
        };
        Proposed::Replace {
            start,
            end,
            original: original.into(),
            text: text.into(),
        }
    }

    fn aim(plan: &PlanDoc) -> String {
        plan.section_text(&plan.transact(), Section::Aim)
    }

    #[test]
    fn a_replacement_applies_to_its_words_wherever_they_moved() {
        let plan = plan("Disrupt the supply of drugs");
        let s = replace(&plan, 8, 18, "the supply", "the county lines supply");
        plan.set_section_text(
            &mut plan.transact_mut(),
            Section::Aim,
            "Jointly: Disrupt the supply of drugs",
        );
        assert!(is_current(&plan, &plan.transact(), Section::Aim, &s));
        apply(&plan, &mut plan.transact_mut(), Section::Aim, &s).unwrap();
        assert_eq!(aim(&plan), "Jointly: Disrupt the county lines supply of drugs");
    }

    #[test]
    fn a_replacement_whose_words_changed_is_outdated_and_changes_nothing() {
        let plan = plan("Disrupt the supply of drugs");
        let s = replace(&plan, 8, 18, "the supply", "the trade");
        plan.set_section_text(
            &mut plan.transact_mut(),
            Section::Aim,
            "Disrupt the whole supply of drugs",
        );
        assert!(!is_current(&plan, &plan.transact(), Section::Aim, &s));
        assert_eq!(
            apply(&plan, &mut plan.transact_mut(), Section::Aim, &s),
            Err(SuggestionError::Outdated)
        );
        assert_eq!(aim(&plan), "Disrupt the whole supply of drugs");
    }

    #[test]
    fn a_paragraph_goes_at_the_end_and_must_say_something() {
        let plan = plan("Disrupt");
        let p = Proposed::Paragraph {
            text: " Protect the young people exploited. ".into(),
        };
        apply(&plan, &mut plan.transact_mut(), Section::Aim, &p).unwrap();
        assert_eq!(aim(&plan), "Disrupt\n\nProtect the young people exploited.");
        assert_eq!(
            check_text(&Proposed::Paragraph { text: " ".into() }),
            Err(SuggestionError::EmptyParagraph)
        );
        let long = Proposed::Paragraph {
            text: "x".repeat(MAX_PROPOSAL_CHARS + 1),
        };
        assert_eq!(check_text(&long), Err(SuggestionError::TooLong(MAX_PROPOSAL_CHARS + 1)));
    }
}
