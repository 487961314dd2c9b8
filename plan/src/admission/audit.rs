//! What an admitted update changed, as the audit trail records it: only the
//! fields the update touched are read, before and after it is applied.

use super::place::Place;
use crate::access::{Change, SHORT_VALUE};
use crate::actions::Action;
use crate::doc::{read_bool, read_string, PlanDoc};
use crate::template::standard_objective;
use std::collections::BTreeSet;
use std::sync::Arc;
use yrs::ReadTxn;

/// A field the audit trail names.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Key {
    /// A header value or text, or a section (its key).
    Named(String),
    Threats,
    /// A standard or custom objective.
    Objective(Arc<str>),
    Action(Arc<str>),
}

/// The audit field a place belongs to (`None` for places that hold
/// nothing the plan shows).
pub fn key_of(place: &Place) -> Option<Key> {
    Some(match place {
        Place::Text(key) => Key::Named(key.to_string()),
        Place::Header(key) => Key::Named(key.to_string()),
        Place::Threat(_) => Key::Threats,
        Place::Objective(id) | Place::Custom(id) | Place::CustomField(id, _) | Place::CustomText(id) => {
            Key::Objective(id.clone())
        }
        Place::Action(id) | Place::ActionField(id, _) | Place::ActionP(id, _) | Place::ActionText(id, _) => {
            Key::Action(id.clone())
        }
        Place::Gone | Place::Foreign => return None,
    })
}

/// A reading of the touched fields.
pub enum Value {
    Plain(String),
    Action(Option<Action>),
}

/// Reads each key's value now.
pub fn read<T: ReadTxn>(plan: &PlanDoc, txn: &T, keys: &BTreeSet<Key>) -> Vec<Value> {
    keys.iter().map(|key| read_one(plan, txn, key)).collect()
}

fn read_one<T: ReadTxn>(plan: &PlanDoc, txn: &T, key: &Key) -> Value {
    match key {
        Key::Named(name) => Value::Plain(named(plan, txn, name)),
        Key::Threats => {
            let keys: Vec<String> = plan.threats(txn).into_iter().map(String::from).collect();
            Value::Plain(keys.join(", "))
        }
        Key::Objective(id) => {
            let (text, selected) = match standard_objective(id) {
                Some(o) => (o.text.to_string(), plan.objective_selected(txn, id)),
                None => match plan.custom_objective_ref(txn, id) {
                    Ok(map) => (
                        read_string(&map, txn, "text").unwrap_or_default(),
                        read_bool(&map, txn, "selected"),
                    ),
                    Err(_) => return Value::Plain(String::new()),
                },
            };
            Value::Plain(format!("{}{text}", if selected { "Y: " } else { "" }))
        }
        Key::Action(id) => Value::Action(plan.action(txn, id).ok()),
    }
}

fn named<T: ReadTxn>(plan: &PlanDoc, txn: &T, name: &str) -> String {
    let header = || plan.header(txn);
    let opt = |v: Option<String>| v.unwrap_or_default();
    match name {
        "marking" => header().marking.to_string(),
        "subject_kind" => opt(header().subject_kind.map(|k| k.to_string())),
        "tier" => opt(header().tier.map(|t| t.to_string())),
        "last_review" => opt(header().last_review.map(|d| d.to_string())),
        "created" => opt(header().created.map(|d| d.to_string())),
        text => {
            let field = text.parse::<crate::TextField>();
            field
                .ok()
                .and_then(|f| plan.text_ref(txn, &f))
                .map(|t| yrs::GetString::get_string(&t, txn))
                .unwrap_or_default()
        }
    }
}

/// What differs between two readings of the same keys.
pub fn changes(keys: &BTreeSet<Key>, before: Vec<Value>, after: Vec<Value>) -> Vec<Change> {
    let mut out = Vec::new();
    for ((key, old), new) in keys.iter().zip(before).zip(after) {
        match (old, new) {
            (Value::Plain(old), Value::Plain(new)) if old != new => {
                let field = match key {
                    Key::Named(name) => name.clone(),
                    Key::Threats => "threats".into(),
                    Key::Objective(id) => format!("objective:{id}"),
                    Key::Action(id) => format!("action:{id}"),
                };
                out.push(change(field, &old, &new));
            }
            (Value::Action(old), Value::Action(new)) => action_changes(old, new, &mut out),
            _ => {}
        }
    }
    out
}

fn action_changes(before: Option<Action>, after: Option<Action>, out: &mut Vec<Change>) {
    match (before, after) {
        (Some(old), None) => out.push(change(format!("action:{}", old.id), &old.text, "")),
        (None, Some(new)) => out.push(change(format!("action:{}", new.id), "", &new.text)),
        (Some(old), Some(new)) => {
            for ((field, was), (_, now)) in action_fields(&old).into_iter().zip(action_fields(&new)) {
                if was != now {
                    out.push(change(format!("action:{}:{field}", old.id), &was, &now));
                }
            }
        }
        (None, None) => {}
    }
}

fn action_fields(a: &Action) -> [(&'static str, String); 10] {
    let opt = |v: Option<String>| v.unwrap_or_default();
    [
        ("ps", a.ps.iter().map(|p| p.as_str()).collect::<Vec<_>>().join(", ")),
        ("date", opt(a.date.map(|d| d.to_string()))),
        ("target_date", opt(a.target_date.map(|d| d.to_string()))),
        ("text", a.text.clone()),
        ("owner_name", a.owner_name.clone()),
        ("owner_agency", a.owner_agency.clone()),
        ("update", a.update.clone()),
        ("status", opt(a.status.map(|s| s.to_string()))),
        ("disruption", opt(a.disruption.map(|d| d.to_string()))),
        ("submitted", if a.submitted { "Y" } else { "N" }.to_string()),
    ]
}

fn short(value: &str) -> Option<String> {
    (value.chars().count() <= SHORT_VALUE).then(|| value.to_string())
}

fn change(field: String, old: &str, new: &str) -> Change {
    let (old, new) = match (short(old), short(new)) {
        (Some(o), Some(n)) => (Some(o), Some(n)),
        _ => (None, None),
    };
    Change { field, old, new }
}
