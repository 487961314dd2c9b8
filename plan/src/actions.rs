//! Part B: the tactical activity and action log.
//!
//! Actions live in the root map `actions`, keyed by a stable id (never by
//! position, so concurrent inserts and deletes cannot shift other rows).
//! Each action is a map: `ps` (a map P → `true`, so two people aligning the
//! same action to different Ps concurrently both win), `date`, `target_date`,
//! `text`, `owner_name`, `update` (each a `Y.Text`), `owner_agency`,
//! `status`, `disruption`, `submitted`.

use crate::doc::{field_error, read_bool, read_parsed, read_string, text_for_write, ModelError, PlanDoc};
use crate::text::replace_text;
use crate::vocabulary::{Disruption, RagStatus, P};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;
use yrs::{Any, Map, MapPrelim, MapRef, Out, ReadTxn, TextPrelim, TransactionMut};

/// An action as read from a document.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Action {
    pub id: String,
    /// The Ps it aligns to. Empty only if concurrent edits removed every P;
    /// the editor then asks for one.
    pub ps: BTreeSet<P>,
    pub date: Option<NaiveDate>,
    pub target_date: Option<NaiveDate>,
    pub text: String,
    pub owner_name: String,
    pub owner_agency: String,
    pub update: String,
    /// `None` when missing or unreadable.
    pub status: Option<RagStatus>,
    /// `None` until assessed.
    pub disruption: Option<Disruption>,
    pub submitted: bool,
}

impl Action {
    /// Past its target date and not complete.
    pub fn is_overdue(&self, today: NaiveDate) -> bool {
        self.status != Some(RagStatus::Green) && self.target_date.is_some_and(|t| t < today)
    }
}

/// A new action. `ps` must name at least one P.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewAction {
    pub ps: BTreeSet<P>,
    pub date: Option<NaiveDate>,
    #[serde(default)]
    pub target_date: Option<NaiveDate>,
    pub text: String,
    #[serde(default)]
    pub owner_name: String,
    #[serde(default)]
    pub owner_agency: String,
    #[serde(default)]
    pub update: String,
    #[serde(default = "default_status")]
    pub status: RagStatus,
    #[serde(default)]
    pub disruption: Option<Disruption>,
    #[serde(default)]
    pub submitted: bool,
}

fn default_status() -> RagStatus {
    RagStatus::Red
}

impl NewAction {
    /// An action aligned to `ps` with this description and nothing else
    /// recorded yet: not started (RED), owner unknown, not submitted. Fill
    /// in the rest with struct update syntax.
    pub fn new(ps: impl IntoIterator<Item = P>, text: impl Into<String>) -> NewAction {
        NewAction {
            ps: ps.into_iter().collect(),
            date: None,
            target_date: None,
            text: text.into(),
            owner_name: String::new(),
            owner_agency: String::new(),
            update: String::new(),
            status: default_status(),
            disruption: None,
            submitted: false,
        }
    }
}

/// One change to an existing action.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "field", content = "value", rename_all = "snake_case")]
pub enum ActionChange {
    /// Aligns (`true`) or unaligns the action to a P; refused if it would
    /// leave no P.
    Align(P, bool),
    Date(Option<NaiveDate>),
    TargetDate(Option<NaiveDate>),
    Text(String),
    OwnerName(String),
    OwnerAgency(String),
    Update(String),
    Status(RagStatus),
    Disruption(Option<Disruption>),
    Submitted(bool),
}

impl PlanDoc {
    /// Adds an action; returns its id.
    pub fn add_action(&self, txn: &mut TransactionMut, action: &NewAction) -> Result<String, ModelError> {
        if action.ps.is_empty() {
            return Err(ModelError::NoP);
        }
        if action.text.trim().is_empty() {
            return Err(field_error("text", "an action needs a description"));
        }
        let id = uuid::Uuid::new_v4().to_string();
        let ps: MapPrelim = action.ps.iter().map(|p| (p.as_str(), Any::Bool(true))).collect();
        let mut entry = MapPrelim::default();
        entry.insert("ps".into(), ps.into());
        if let Some(d) = action.date {
            entry.insert("date".into(), Any::from(d.to_string()).into());
        }
        if let Some(d) = action.target_date {
            entry.insert("target_date".into(), Any::from(d.to_string()).into());
        }
        entry.insert("text".into(), TextPrelim::new(action.text.as_str()).into());
        entry.insert("owner_name".into(), TextPrelim::new(action.owner_name.as_str()).into());
        entry.insert("owner_agency".into(), Any::from(action.owner_agency.as_str()).into());
        entry.insert("update".into(), TextPrelim::new(action.update.as_str()).into());
        entry.insert("status".into(), Any::from(action.status.as_str()).into());
        if let Some(d) = action.disruption {
            entry.insert("disruption".into(), Any::from(d.as_str()).into());
        }
        entry.insert("submitted".into(), Any::Bool(action.submitted).into());
        self.actions.insert(txn, id.as_str(), entry);
        Ok(id)
    }

    /// The map holding one action, for binding editors to its fields.
    pub fn action_ref<T: ReadTxn>(&self, txn: &T, id: &str) -> Result<MapRef, ModelError> {
        match self.actions.get(txn, id) {
            Some(Out::YMap(map)) => Ok(map),
            _ => Err(ModelError::UnknownAction(id.to_string())),
        }
    }

    pub fn action<T: ReadTxn>(&self, txn: &T, id: &str) -> Result<Action, ModelError> {
        let map = self.action_ref(txn, id)?;
        Ok(read_action(id, &map, txn))
    }

    /// Every action, ordered by date (undated last), then text, then id.
    pub fn actions<T: ReadTxn>(&self, txn: &T) -> Vec<Action> {
        let mut all: Vec<Action> = self
            .actions
            .iter(txn)
            .filter_map(|(id, value)| match value {
                Out::YMap(map) => Some(read_action(id, &map, txn)),
                _ => None,
            })
            .collect();
        all.sort_by(|a, b| (a.date.is_none(), a.date, &a.text, &a.id).cmp(&(b.date.is_none(), b.date, &b.text, &b.id)));
        all
    }

    /// The actions shown in one P's table.
    pub fn actions_for<T: ReadTxn>(&self, txn: &T, p: P) -> Vec<Action> {
        self.actions(txn).into_iter().filter(|a| a.ps.contains(&p)).collect()
    }

    pub fn change_action(&self, txn: &mut TransactionMut, id: &str, change: &ActionChange) -> Result<(), ModelError> {
        let map = self.action_ref(txn, id)?;
        match change {
            ActionChange::Align(p, aligned) => {
                let ps = match map.get(txn, "ps") {
                    Some(Out::YMap(ps)) => ps,
                    _ => map.insert(txn, "ps", MapPrelim::default()),
                };
                if *aligned {
                    ps.try_update(txn, p.as_str(), true);
                } else {
                    let others = read_ps(&ps, txn).into_iter().filter(|q| q != p).count();
                    if others == 0 {
                        return Err(ModelError::NoP);
                    }
                    ps.remove(txn, p.as_str());
                }
            }
            ActionChange::Date(d) => set_date(&map, txn, "date", *d),
            ActionChange::TargetDate(d) => set_date(&map, txn, "target_date", *d),
            ActionChange::Text(t) => {
                if t.trim().is_empty() {
                    return Err(field_error("text", "an action needs a description"));
                }
                set_text(&map, txn, "text", t);
            }
            ActionChange::OwnerName(t) => set_text(&map, txn, "owner_name", t),
            ActionChange::Update(t) => set_text(&map, txn, "update", t),
            ActionChange::OwnerAgency(a) => {
                map.try_update(txn, "owner_agency", a.as_str());
            }
            ActionChange::Status(s) => {
                map.try_update(txn, "status", s.as_str());
            }
            ActionChange::Disruption(Some(d)) => {
                map.try_update(txn, "disruption", d.as_str());
            }
            ActionChange::Disruption(None) => {
                map.remove(txn, "disruption");
            }
            ActionChange::Submitted(b) => {
                map.try_update(txn, "submitted", *b);
            }
        }
        Ok(())
    }

    pub fn delete_action(&self, txn: &mut TransactionMut, id: &str) -> Result<(), ModelError> {
        self.actions
            .remove(txn, id)
            .map(|_| ())
            .ok_or_else(|| ModelError::UnknownAction(id.to_string()))
    }
}

fn set_text(map: &MapRef, txn: &mut TransactionMut, key: &str, value: &str) {
    let target = text_for_write(map, txn, key);
    replace_text(txn, &target, value);
}

fn set_date(map: &MapRef, txn: &mut TransactionMut, key: &str, date: Option<NaiveDate>) {
    match date {
        Some(d) => {
            map.try_update(txn, key, d.to_string());
        }
        None => {
            map.remove(txn, key);
        }
    }
}

fn read_ps<T: ReadTxn>(ps: &MapRef, txn: &T) -> BTreeSet<P> {
    P::ALL
        .iter()
        .copied()
        .filter(|p| read_bool(ps, txn, p.as_str()))
        .collect()
}

fn read_action<T: ReadTxn>(id: &str, map: &MapRef, txn: &T) -> Action {
    Action {
        id: id.to_string(),
        ps: match map.get(txn, "ps") {
            Some(Out::YMap(ps)) => read_ps(&ps, txn),
            _ => BTreeSet::new(),
        },
        date: read_parsed(map, txn, "date"),
        target_date: read_parsed(map, txn, "target_date"),
        text: read_string(map, txn, "text").unwrap_or_default(),
        owner_name: read_string(map, txn, "owner_name").unwrap_or_default(),
        owner_agency: read_string(map, txn, "owner_agency").unwrap_or_default(),
        update: read_string(map, txn, "update").unwrap_or_default(),
        status: read_parsed(map, txn, "status"),
        disruption: read_parsed(map, txn, "disruption"),
        submitted: read_bool(map, txn, "submitted"),
    }
}
