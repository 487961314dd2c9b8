//! Redaction rewrites updates and states so that a document built from
//! them is the original with the passage masked, and nothing else changes.

use super::redact::*;
use crate::fields::TextField;
use crate::{NewPlan, PlanDoc, Section, SubjectKind, Tier};
use yrs::updates::decoder::Decode;
use yrs::{Doc, Options, ReadTxn, StateVector, Update};

const SECRET: &str = "The informant is Jo Bloggs 😀 of Elm Street.";

fn plan_with(options: Options) -> PlanDoc {
    let new = NewPlan {
        subject_kind: SubjectKind::Ocg,
        subject_name: "Red Kings".into(),
        subject_ref: "OCG-1".into(),
        tier: Tier::new(2).unwrap(),
        lro: "DI Okafor".into(),
    };
    let seed = PlanDoc::create(&new, chrono::NaiveDate::from_ymd_opt(2026, 11, 1).unwrap());
    let doc = PlanDoc::new(Doc::with_options(options));
    apply(&doc, &seed.encode_state());
    doc
}

fn utf16(skip_gc: bool) -> Options {
    Options {
        offset_kind: yrs::OffsetKind::Utf16,
        skip_gc,
        ..Default::default()
    }
}

fn apply(doc: &PlanDoc, update: &[u8]) {
    doc.transact_mut()
        .apply_update(Update::decode_v1(update).unwrap())
        .unwrap();
}

/// Runs `edit` in one transaction and returns the update it made.
fn edit(doc: &PlanDoc, edit: impl FnOnce(&PlanDoc, &mut yrs::TransactionMut)) -> Vec<u8> {
    let mut t = doc.transact_mut();
    edit(doc, &mut t);
    t.encode_update_v1()
}

fn built(updates: &[Vec<u8>]) -> PlanDoc {
    let doc = PlanDoc::new(crate::new_doc());
    for u in updates {
        apply(&doc, u);
    }
    doc
}

fn aim(doc: &PlanDoc) -> String {
    doc.section_text(&doc.transact(), Section::Aim)
}

fn masked(text: &str) -> String {
    MASK.to_string().repeat(text.encode_utf16().count())
}

fn holds(bytes: &[u8], text: &str) -> bool {
    bytes.windows(text.len()).any(|w| w == text.as_bytes())
}

/// The plan's history: created, the secret written (with other text), the
/// secret deleted. Returns the updates and the state after each.
fn history(skip_gc: bool) -> (Vec<Vec<u8>>, Vec<Vec<u8>>) {
    let doc = plan_with(utf16(skip_gc));
    let first = doc.encode_state();
    let written = edit(&doc, |d, t| {
        d.set_section_text(t, Section::Aim, &format!("Keep watch. {SECRET} Then act."));
        d.set_section_text(t, Section::LroUpdate, "Jo Bloggs is not named here: The informant is");
    });
    let with_secret = doc.encode_state();
    let deleted = edit(&doc, |d, t| {
        d.set_section_text(t, Section::Aim, "Keep watch. Act then.")
    });
    (vec![first, written, deleted], vec![with_secret, doc.encode_state()])
}

fn redacted(bytes: &[Vec<u8>], passage: &Passage) -> Vec<Vec<u8>> {
    bytes
        .iter()
        .map(|b| redact_update(b, passage).unwrap().unwrap_or_else(|| b.clone()))
        .collect()
}

#[test]
fn a_doc_built_from_redacted_updates_is_the_original_with_the_passage_masked() {
    for skip_gc in [false, true] {
        let (updates, states) = history(skip_gc);
        let at = built(&updates[..2]);
        let passage = locate(&at, &TextField::Section(Section::Aim), SECRET).unwrap();
        assert_eq!(passage.len(), SECRET.encode_utf16().count());
        let rewritten = redacted(&updates, &passage);
        let kept_states = redacted(&states, &passage);
        for bytes in rewritten.iter().chain(&kept_states) {
            assert!(!holds(bytes, "informant is Jo"), "skip_gc {skip_gc}");
            assert!(!holds(bytes, "Elm Street"), "skip_gc {skip_gc}");
        }

        let then = built(&rewritten[..2]);
        assert_eq!(aim(&then), format!("Keep watch. {} Then act.", masked(SECRET)));
        assert_eq!(
            then.section_text(&then.transact(), Section::LroUpdate),
            "Jo Bloggs is not named here: The informant is",
            "the same words elsewhere are other characters: untouched"
        );
        let now = built(&rewritten);
        assert_eq!(aim(&now), "Keep watch. Act then.");
        let original = built(&updates);
        let sv = |d: &PlanDoc| d.transact().state_vector();
        assert_eq!(sv(&now), sv(&original));
        assert_eq!(
            now.export(&now.transact(), uuid::Uuid::nil(), &Default::default()),
            original.export(&original.transact(), uuid::Uuid::nil(), &Default::default())
        );
        // A redacted state stands for its original: same state vector, and
        // the later updates apply to it as they did.
        let from_state = PlanDoc::from_state(&kept_states[0]).unwrap();
        assert_eq!(sv(&from_state), sv(&built(&updates[..2])));
        apply(&from_state, &rewritten[2]);
        assert_eq!(aim(&from_state), "Keep watch. Act then.");
        let mut diff = from_state.transact().encode_state_as_update_v1(&StateVector::default());
        diff = redact_update(&diff, &passage).unwrap().unwrap_or(diff);
        assert!(!holds(&diff, "Elm Street"));
    }
}

#[test]
fn a_passage_typed_key_by_key_is_found_in_every_small_update() {
    let doc = plan_with(utf16(false));
    let mut updates = vec![doc.encode_state()];
    let text = doc.section_ref(Section::Aim);
    for (i, c) in SECRET.encode_utf16().collect::<Vec<_>>().chunks(1).enumerate() {
        let s = String::from_utf16_lossy(c);
        // Surrogate halves go together, as a browser sends them.
        if s == "\u{FFFD}" && c[0] >= 0xDC00 {
            continue;
        }
        let piece = if (0xD800..0xDC00).contains(&c[0]) {
            "😀".to_string()
        } else {
            s
        };
        updates.push(edit(&doc, |_, t| yrs::Text::insert(&text, t, i as u32, &piece)));
    }
    let passage = locate(&doc, &TextField::Section(Section::Aim), "Jo Bloggs 😀 of Elm").unwrap();
    let rewritten = redacted(&updates, &passage);
    let after = built(&rewritten);
    assert_eq!(
        aim(&after),
        format!("The informant is {} Street.", masked("Jo Bloggs 😀 of Elm"))
    );
    assert_eq!(after.transact().state_vector(), doc.transact().state_vector());
}

#[test]
fn a_passage_must_stand_in_the_field_and_be_long_enough() {
    let (updates, _) = history(false);
    let at = built(&updates[..2]);
    let aim = TextField::Section(Section::Aim);
    assert_eq!(locate(&at, &aim, "Jo"), Err(RedactError::TooShort));
    assert!(matches!(locate(&at, &aim, "not there"), Err(RedactError::NotFound(_))));
    assert!(matches!(
        locate(&built(&updates), &aim, SECRET),
        Err(RedactError::NotFound(_))
    ));
    assert!(matches!(
        redact_update(&[1, 2, 3], &Passage::default()),
        Err(RedactError::Malformed(_))
    ));
    assert_eq!(
        redact_update(&updates[0], &locate(&at, &aim, SECRET).unwrap()),
        Ok(None)
    );
}

#[test]
fn plain_copies_are_scrubbed_character_for_character_even_mid_typing() {
    let secret = "Jo Bloggs of Elm Street";
    assert_eq!(
        scrub_text("Aim: Jo Bloggs of Elm Street, now", secret).unwrap(),
        format!("Aim: {}, now", masked(secret))
    );
    assert_eq!(
        scrub_text("Aim: Jo Bloggs of E", secret).unwrap(),
        format!("Aim: {}", masked("Jo Bloggs of E"))
    );
    assert_eq!(
        scrub_text("ggs of Elm Street.", secret).unwrap(),
        format!("{}.", masked("ggs of Elm Street"))
    );
    assert_eq!(scrub_text("Aim: Jo Blo", secret), None, "too short a start to judge");
    assert_eq!(scrub_text("Nothing here", secret), None);
    let mut json = serde_json::json!([{ "field": "aim", "old": "x Jo Bloggs of Elm Street", "new": null }]);
    assert!(scrub_json(&mut json, secret));
    assert_eq!(json[0]["old"], format!("x {}", masked(secret)));
    assert_eq!(json[0]["field"], "aim");
}
