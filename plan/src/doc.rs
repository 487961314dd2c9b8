//! [`PlanDoc`]: the typed view of one plan's yrs document, covering the
//! header, the text sections, the objectives checklist and threat tags.
//! The action log lives in [`crate::actions`].
//!
//! Layout of the document (names are stable; changing one orphans data):
//! - root map `header`: `subject_kind`, `tier`, `marking`, `created`, `last_review`
//! - root texts `subject_name`, `subject_ref`, `lro`, `sio`, `plan_owner`
//!   (root types exist on every peer, so concurrent first edits never clash)
//! - one root text per [`Section`]
//! - root map `objectives`: standard objective id → `true` when selected ('Y')
//! - root map `custom_objectives`: id → map { `p`, `text` (Y.Text), `selected` }
//! - root map `threats`: Control Strategy [`ThreatKey`] → `true` (which
//!   threats exist is the strategy's business, not the document's)
//! - root map `actions`: see [`crate::actions`]

pub use crate::header::{HeaderText, NewPlan, MAX_SHORT_TEXT};
use crate::strategy::ThreatKey;
use crate::template::{standard_objective, Section};
use crate::text::replace_text;
use crate::vocabulary::{SecurityMarking, SubjectKind, Tier, P};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use yrs::{Any, Doc, GetString, Map, MapPrelim, MapRef, Out, ReadTxn, TextPrelim, TextRef, TransactionMut};

/// A new yrs document configured as every Pillars peer configures it.
/// Text offsets count UTF-16 code units, as browsers do.
pub fn new_doc() -> Doc {
    Doc::with_options(yrs::Options {
        offset_kind: yrs::OffsetKind::Utf16,
        ..Default::default()
    })
}

pub(crate) use crate::model_error::field_error;
pub use crate::model_error::ModelError;

/// The header as read from a document. Values that are missing or do not
/// parse read as `None` rather than failing the whole read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Header {
    pub subject_kind: Option<SubjectKind>,
    pub subject_name: String,
    pub subject_ref: String,
    pub tier: Option<Tier>,
    pub lro: String,
    pub sio: String,
    pub plan_owner: String,
    pub marking: SecurityMarking,
    pub created: Option<NaiveDate>,
    pub last_review: Option<NaiveDate>,
}

/// The typed view of one plan's document. Cheap to clone.
#[derive(Clone)]
pub struct PlanDoc {
    doc: Doc,
    pub(crate) header: MapRef,
    pub(crate) objectives: MapRef,
    pub(crate) custom_objectives: MapRef,
    pub(crate) threats: MapRef,
    pub(crate) actions: MapRef,
    /// Every root text (header fields and sections), made up front: asking
    /// the `Doc` for a root type opens a transaction of its own, which would
    /// deadlock inside a caller's transaction.
    texts: std::collections::HashMap<&'static str, TextRef>,
}

impl PlanDoc {
    /// Wraps an existing document (e.g. one loaded from storage).
    pub fn new(doc: Doc) -> Self {
        let keys = HeaderText::ALL
            .iter()
            .map(|h| h.key())
            .chain(Section::ALL.iter().map(|s| s.key()));
        let texts = keys.map(|k| (k, doc.get_or_insert_text(k))).collect();
        PlanDoc {
            texts,
            header: doc.get_or_insert_map("header"),
            objectives: doc.get_or_insert_map("objectives"),
            custom_objectives: doc.get_or_insert_map("custom_objectives"),
            threats: doc.get_or_insert_map("threats"),
            actions: doc.get_or_insert_map("actions"),
            doc,
        }
    }

    /// Starts a plan: header filled in, marking OFFICIAL-SENSITIVE.
    pub fn create(plan: &NewPlan, today: NaiveDate) -> Self {
        let this = PlanDoc::new(new_doc());
        {
            let mut txn = this.transact_mut();
            this.set_subject_kind(&mut txn, plan.subject_kind);
            this.set_tier(&mut txn, plan.tier);
            this.set_marking(&mut txn, SecurityMarking::default());
            this.header.insert(&mut txn, "created", today.to_string());
            this.set_header_text(&mut txn, HeaderText::SubjectName, &plan.subject_name);
            this.set_header_text(&mut txn, HeaderText::SubjectRef, &plan.subject_ref);
            this.set_header_text(&mut txn, HeaderText::Lro, &plan.lro);
        }
        this
    }

    pub fn doc(&self) -> &Doc {
        &self.doc
    }

    pub fn transact_mut(&self) -> TransactionMut<'_> {
        yrs::Transact::transact_mut(&self.doc)
    }

    pub fn transact(&self) -> yrs::Transaction<'_> {
        yrs::Transact::transact(&self.doc)
    }

    // ---- header ----

    pub fn header<T: ReadTxn>(&self, txn: &T) -> Header {
        Header {
            subject_kind: read_parsed(&self.header, txn, "subject_kind"),
            subject_name: self.header_text(txn, HeaderText::SubjectName),
            subject_ref: self.header_text(txn, HeaderText::SubjectRef),
            tier: read_i64(&self.header, txn, "tier").and_then(|t| Tier::new(t).ok()),
            lro: self.header_text(txn, HeaderText::Lro),
            sio: self.header_text(txn, HeaderText::Sio),
            plan_owner: self.header_text(txn, HeaderText::PlanOwner),
            marking: read_parsed(&self.header, txn, "marking").unwrap_or_default(),
            created: read_parsed(&self.header, txn, "created"),
            last_review: read_parsed(&self.header, txn, "last_review"),
        }
    }

    pub fn header_text_ref(&self, field: HeaderText) -> TextRef {
        self.texts[field.key()].clone()
    }

    pub fn header_text<T: ReadTxn>(&self, txn: &T, field: HeaderText) -> String {
        self.header_text_ref(field).get_string(txn)
    }

    pub fn set_header_text(&self, txn: &mut TransactionMut, field: HeaderText, value: &str) {
        replace_text(txn, &self.header_text_ref(field), value);
    }

    pub fn set_subject_kind(&self, txn: &mut TransactionMut, kind: SubjectKind) {
        self.header.try_update(txn, "subject_kind", kind.as_str());
    }

    pub fn set_tier(&self, txn: &mut TransactionMut, tier: Tier) {
        self.header.try_update(txn, "tier", i64::from(tier));
    }

    pub fn set_marking(&self, txn: &mut TransactionMut, marking: SecurityMarking) {
        self.header.try_update(txn, "marking", marking.as_str());
    }

    /// Records a review; the next review date follows from it and the tier.
    pub fn set_last_review(&self, txn: &mut TransactionMut, date: Option<NaiveDate>) {
        match date {
            Some(d) => {
                self.header.try_update(txn, "last_review", d.to_string());
            }
            None => {
                self.header.remove(txn, "last_review");
            }
        }
    }

    // ---- text sections ----

    pub fn section_ref(&self, section: Section) -> TextRef {
        self.texts[section.key()].clone()
    }

    pub fn section_text<T: ReadTxn>(&self, txn: &T, section: Section) -> String {
        self.section_ref(section).get_string(txn)
    }

    pub fn set_section_text(&self, txn: &mut TransactionMut, section: Section, value: &str) {
        replace_text(txn, &self.section_ref(section), value);
    }

    // ---- objectives checklist ----

    pub fn objective_selected<T: ReadTxn>(&self, txn: &T, id: &str) -> bool {
        read_bool(&self.objectives, txn, id)
    }

    /// Ticks ('Y') or clears a standard objective.
    pub fn select_objective(&self, txn: &mut TransactionMut, id: &str, selected: bool) -> Result<(), ModelError> {
        if standard_objective(id).is_none() {
            return Err(ModelError::UnknownObjective(id.to_string()));
        }
        self.objectives.try_update(txn, id, selected);
        Ok(())
    }

    /// Adds a custom objective under a P; returns its id.
    pub fn add_custom_objective(&self, txn: &mut TransactionMut, p: P, text: &str) -> String {
        let id = uuid::Uuid::new_v4().to_string();
        let mut entry = MapPrelim::default();
        entry.insert("p".into(), Any::from(p.as_str()).into());
        entry.insert("text".into(), TextPrelim::new(text).into());
        entry.insert("selected".into(), Any::Bool(true).into());
        self.custom_objectives.insert(txn, id.as_str(), entry);
        id
    }

    pub fn custom_objective_ref<T: ReadTxn>(&self, txn: &T, id: &str) -> Result<MapRef, ModelError> {
        match self.custom_objectives.get(txn, id) {
            Some(Out::YMap(map)) => Ok(map),
            _ => Err(ModelError::UnknownObjective(id.to_string())),
        }
    }

    pub fn set_custom_objective(
        &self,
        txn: &mut TransactionMut,
        id: &str,
        text: Option<&str>,
        selected: Option<bool>,
    ) -> Result<(), ModelError> {
        let entry = self.custom_objective_ref(txn, id)?;
        if let Some(text) = text {
            let target = text_for_write(&entry, txn, "text");
            replace_text(txn, &target, text);
        }
        if let Some(selected) = selected {
            entry.try_update(txn, "selected", selected);
        }
        Ok(())
    }

    pub fn remove_custom_objective(&self, txn: &mut TransactionMut, id: &str) -> Result<(), ModelError> {
        self.custom_objectives
            .remove(txn, id)
            .map(|_| ())
            .ok_or_else(|| ModelError::UnknownObjective(id.to_string()))
    }

    // ---- Control Strategy threats ----

    /// Tags (or untags) the plan with a threat. Whether the threat may be
    /// tagged is the current strategy's to say (see [`crate::admission`]).
    pub fn tag_threat(&self, txn: &mut TransactionMut, threat: &ThreatKey, tagged: bool) {
        if tagged {
            self.threats.try_update(txn, threat.as_str(), true);
        } else {
            self.threats.remove(txn, threat.as_str());
        }
    }

    /// The threats the plan is tagged with, by key.
    pub fn threats<T: ReadTxn>(&self, txn: &T) -> Vec<ThreatKey> {
        let mut keys: Vec<ThreatKey> = self
            .threats
            .iter(txn)
            .filter(|(_, value)| matches!(value, Out::Any(Any::Bool(true))))
            // Keys the model never writes read as absent, like other bad values.
            .filter_map(|(key, _)| ThreatKey::parse(key).ok())
            .collect();
        keys.sort();
        keys
    }
}

// ---- tolerant readers: a bad value in a document reads as absent ----

pub(crate) fn read_string<T: ReadTxn>(map: &MapRef, txn: &T, key: &str) -> Option<String> {
    match map.get(txn, key)? {
        Out::Any(Any::String(s)) => Some(s.to_string()),
        Out::YText(t) => Some(t.get_string(txn)),
        _ => None,
    }
}

pub(crate) fn read_parsed<T: ReadTxn, V: std::str::FromStr>(map: &MapRef, txn: &T, key: &str) -> Option<V> {
    read_string(map, txn, key)?.parse().ok()
}

pub(crate) fn read_i64<T: ReadTxn>(map: &MapRef, txn: &T, key: &str) -> Option<i64> {
    match map.get(txn, key)? {
        Out::Any(Any::Number(n)) => n.as_i64(),
        Out::Any(Any::String(s)) => s.parse().ok(),
        _ => None,
    }
}

pub(crate) fn read_bool<T: ReadTxn>(map: &MapRef, txn: &T, key: &str) -> bool {
    matches!(map.get(txn, key), Some(Out::Any(Any::Bool(true))))
}

/// The `Y.Text` under `key`, for writing. An entry that is missing or not a
/// text (only possible in documents written by something else) is replaced
/// by an empty text rather than failing the edit.
pub(crate) fn text_for_write(map: &MapRef, txn: &mut TransactionMut, key: &str) -> TextRef {
    match map.get(txn, key) {
        Some(Out::YText(t)) => t,
        _ => map.insert(txn, key, TextPrelim::new("")),
    }
}
