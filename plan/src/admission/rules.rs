//! The plan model's rules and each role's allow-list, applied to the
//! places an update writes and deletes.

use super::audit::{key_of, Key};
use super::decode::Content;
use super::place::{holds_chars, structural, Kind, Place, Slot};
use super::resolve::Fresh;
use super::{deleted_entities, denied, name, Refusal, Writer};
use crate::access::{same_agency, Role, PARTNER_ACTION_FIELDS};
use crate::doc::PlanDoc;
use crate::strategy::ThreatCatalogue;
use std::collections::{BTreeSet, HashMap, HashSet};
use std::ops::Range;
use std::sync::Arc;
use yrs::{Any, ReadTxn};

pub struct Judge<'a, T: ReadTxn> {
    plan: &'a PlanDoc,
    txn: &'a T,
    writer: &'a Writer<'a>,
    threats: &'a ThreatCatalogue,
    /// Actions and custom objectives this update creates.
    created: HashSet<Arc<str>>,
    /// Owning agency of existing actions, read once each.
    agencies: HashMap<Arc<str>, Option<String>>,
    touched: BTreeSet<Key>,
}

impl<'a, T: ReadTxn> Judge<'a, T> {
    pub fn new(plan: &'a PlanDoc, txn: &'a T, writer: &'a Writer<'a>, threats: &'a ThreatCatalogue) -> Self {
        Judge {
            plan,
            txn,
            writer,
            threats,
            created: HashSet::new(),
            agencies: HashMap::new(),
            touched: BTreeSet::new(),
        }
    }

    /// The audit fields the update touches.
    pub fn touched(self) -> BTreeSet<Key> {
        self.touched
    }

    fn exists(&self, place: &Place, id: &str) -> bool {
        match place {
            Place::Custom(_) | Place::CustomField(..) | Place::CustomText(_) => {
                self.plan.custom_objective_ref(self.txn, id).is_ok()
            }
            _ => self.plan.action_ref(self.txn, id).is_ok(),
        }
    }

    /// Where something lands in an action or objective that is gone (and not
    /// created by this update), it changes nothing.
    fn live(&self, place: &Place) -> Place {
        match super::place::entity(place) {
            Some(id) if !matches!(place, Place::Action(_) | Place::Custom(_)) => {
                if self.created.contains(id) || self.exists(place, id) {
                    place.clone()
                } else {
                    Place::Gone
                }
            }
            _ => place.clone(),
        }
    }

    pub fn inserts(&mut self, fresh: &[Fresh], slots: &[Slot]) -> Result<(), Refusal> {
        // Entities first: their fields are judged knowing they are new.
        for (f, slot) in fresh.iter().zip(slots) {
            if let (Place::Action(id) | Place::Custom(id), Some(item)) = (&slot.place, f.item) {
                let fresh_entry = item.origin.is_none() && item.right_origin.is_none() && !self.exists(&slot.place, id);
                match &item.content {
                    Content::Map if fresh_entry => {
                        self.created.insert(id.clone());
                    }
                    Content::Deleted if fresh_entry => {}
                    _ => {
                        return Err(denied(
                            name(&slot.place),
                            "an action or objective is edited field by field, never replaced",
                        ))
                    }
                }
            }
        }
        let mut agency_given: HashSet<Arc<str>> = HashSet::new();
        for (f, slot) in fresh.iter().zip(slots) {
            let place = self.live(&slot.place);
            if self.writer.role == Role::Viewer {
                return Err(denied(name(&place), "viewers cannot change the plan"));
            }
            if matches!(place, Place::Gone) {
                continue;
            }
            let content = f.item.map(|i| &i.content);
            let overwrites = f.item.is_some_and(|i| i.origin.is_some());
            self.fits(&place, content, overwrites)?;
            self.may_change(&place)?;
            self.may_tag(&place, content)?;
            if let Place::ActionField(id, "owner_agency") = &place {
                // Deleted content here would erase the owner: only values count.
                self.owner_agency(id, content)?;
                agency_given.insert(id.clone());
            }
            self.touch(&place);
        }
        if self.writer.role == Role::Partner {
            for id in &self.created {
                // Partners create no objectives, so whatever they create is an action.
                if !agency_given.contains(id) {
                    let rule = format!("a partner can add only actions owned by {}", self.writer.agency);
                    return Err(denied(format!("action:{id}"), rule));
                }
            }
        }
        Ok(())
    }

    pub fn deletions(&mut self, deletions: &[(Range<u32>, Slot)]) -> Result<(), Refusal> {
        let deleted = deleted_entities(deletions);
        for (_, slot) in deletions {
            let place = self.live(&slot.place);
            if matches!(place, Place::Gone) || matches!(slot.kind, Kind::Gc | Kind::Deleted) {
                continue;
            }
            if self.writer.role == Role::Viewer {
                return Err(denied(name(&place), "viewers cannot change the plan"));
            }
            let whole = matches!(place, Place::Action(_) | Place::Custom(_));
            if !whole && structural(&place).is_some() {
                let id = super::place::entity(&place).expect("structural places belong to an entity");
                if !deleted.contains(id) && !self.created.contains(id) {
                    return Err(denied(
                        name(&place),
                        "a field goes only with its whole action or objective",
                    ));
                }
            }
            if whole && self.writer.role == Role::Partner && !self.created.contains(&*entity_id(&place)) {
                return Err(denied(name(&place), "partners cannot delete actions"));
            }
            if !whole {
                self.may_change(&place)?;
            }
            self.touch(&place);
        }
        Ok(())
    }

    fn touch(&mut self, place: &Place) {
        if let Some(key) = key_of(place) {
            self.touched.insert(key);
        }
    }

    /// The plan model: what content each place holds.
    /// `overwrites`: the item follows another at its place (a map entry's
    /// new value replaces the one it follows).
    fn fits(&self, place: &Place, content: Option<&Content>, overwrites: bool) -> Result<(), Refusal> {
        let Some(content) = content else {
            return Ok(()); // garbage-collected ids: nothing lands
        };
        if matches!(place, Place::Foreign) {
            return Err(denied(name(place), "outside the plan model"));
        }
        let id = super::place::entity(place);
        if matches!(content, Content::Deleted) {
            // Deleted content written after a map entry's value overwrites
            // the entry: for a shared-type field that takes the field away,
            // even in an action this update creates. (Without an origin it
            // is the first value: what a created-then-deleted action holds.)
            let whole = matches!(place, Place::Action(_) | Place::Custom(_));
            let new = id.is_some_and(|id| self.created.contains(id));
            if !whole && structural(place).is_some() && (overwrites || !new) {
                return Err(denied(
                    name(place),
                    "a field goes only with its whole action or objective",
                ));
            }
            return Ok(());
        }
        let ok = match (structural(place), content) {
            _ if holds_chars(place) => matches!(content, Content::Chars),
            (Some(_), _) if matches!(place, Place::Action(_) | Place::Custom(_)) => true,
            (Some(Kind::Map), Content::Map) | (Some(Kind::Text), Content::Text) => {
                if !id.is_some_and(|id| self.created.contains(id)) {
                    return Err(denied(
                        name(place),
                        "a field is never replaced by a new shared type (only a new action brings its own)",
                    ));
                }
                true
            }
            (Some(_), _) => false,
            (None, Content::Values(values)) => values.len() == 1,
            (None, _) => false,
        };
        if ok {
            Ok(())
        } else {
            Err(denied(
                name(place),
                "outside the plan model: this field does not hold that content",
            ))
        }
    }

    /// The role's allow-list.
    fn may_change(&mut self, place: &Place) -> Result<(), Refusal> {
        let role = self.writer.role;
        if role.edits_everything() {
            return Ok(());
        }
        if role == Role::Viewer {
            return Err(denied(name(place), "viewers cannot change the plan"));
        }
        let agency = self.writer.agency;
        let (id, field) = match place {
            Place::Action(id) => (id, "action"),
            Place::ActionField(id, field) => (id, *field),
            Place::ActionText(id, part) => (id, part.key()),
            Place::ActionP(id, _) => (id, "ps"),
            _ => {
                let rule = "partners cannot change this: only the LRO, plan owner or SIO can";
                return Err(denied(name(place), rule));
            }
        };
        if self.created.contains(id) {
            return Ok(()); // its own new action; the owner agency is checked by value
        }
        if field == "owner_agency" {
            return Err(denied(
                name(place),
                "partners cannot change which agency owns an action",
            ));
        }
        if !PARTNER_ACTION_FIELDS.contains(&field) {
            return Err(denied(
                name(place),
                format!("partners cannot change an action's {field}"),
            ));
        }
        let owner = self.agency_of(id);
        if !owner.as_deref().is_some_and(|owner| same_agency(owner, agency)) {
            let rule = format!("partners can change only {agency}'s actions");
            return Err(denied(name(place), rule));
        }
        Ok(())
    }

    /// A threat tag set (a value written, whatever it is) must name an
    /// active threat of the current strategy; deleted content sets nothing.
    fn may_tag(&self, place: &Place, content: Option<&Content>) -> Result<(), Refusal> {
        match (place, content) {
            (Place::Threat(key), Some(Content::Values(_))) if !self.threats.may_tag(key) => Err(denied(
                name(place),
                "only a threat of the current Control Strategy that is not retired can be tagged",
            )),
            _ => Ok(()),
        }
    }

    fn owner_agency(&self, id: &Arc<str>, content: Option<&Content>) -> Result<(), Refusal> {
        if self.writer.role != Role::Partner {
            return Ok(());
        }
        let ok = matches!(content, Some(Content::Values(values))
            if matches!(values.as_slice(), [Any::String(s)] if same_agency(s, self.writer.agency)));
        if ok {
            Ok(())
        } else {
            let rule = format!("a partner can add only actions owned by {}", self.writer.agency);
            Err(denied(format!("action:{id}"), rule))
        }
    }

    fn agency_of(&mut self, id: &Arc<str>) -> Option<String> {
        if let Some(known) = self.agencies.get(id) {
            return known.clone();
        }
        let agency = self.plan.action(self.txn, id).ok().map(|a| a.owner_agency);
        self.agencies.insert(id.clone(), agency.clone());
        agency
    }
}

fn entity_id(place: &Place) -> Arc<str> {
    super::place::entity(place).cloned().unwrap_or_else(|| Arc::from(""))
}
