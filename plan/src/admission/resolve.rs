//! Finds the place of each new struct, the way yrs will integrate it: an
//! item goes where its left origin is (failing that, its right origin); an
//! item with neither names its parent, a root or the item holding a shared
//! type. Origins may be earlier structs of the same update.

use super::decode::{Content, Id, ItemStruct, Parent, Struct, StructKind};
use super::index::PlaceIndex;
use super::place::{in_root, inside, Kind, Place, Slot};
use std::collections::HashMap;
use std::ops::Range;

/// A struct (or the part of it the document lacks) to be integrated.
#[derive(Debug, Clone)]
pub struct Fresh<'a> {
    pub client: u64,
    pub range: Range<u32>,
    pub item: Option<&'a ItemStruct>,
}

impl<'a> Fresh<'a> {
    pub fn new(s: &'a Struct, from: u32) -> Self {
        Fresh {
            client: s.id.client,
            range: from.max(s.id.clock)..s.id.clock + s.len,
            item: match &s.kind {
                StructKind::Item(item) => Some(item),
                _ => None,
            },
        }
    }
}

/// Why a struct has no place.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Unplaced {
    /// It depends on an id the document does not have.
    Pending(Id),
    /// Its origins lie in two different places.
    Torn(String),
    /// Its place is not part of the plan model.
    Outside(String),
}

enum Found<'s> {
    Known(&'s Slot),
    Local(usize),
    Missing,
}

/// Fresh structs by client, in clock order, for lookups by id.
pub struct Locals {
    by_client: HashMap<u64, Vec<(u32, u32, usize)>>,
}

impl Locals {
    pub fn new(fresh: &[Fresh]) -> Self {
        let mut by_client: HashMap<u64, Vec<(u32, u32, usize)>> = HashMap::new();
        for (i, f) in fresh.iter().enumerate() {
            by_client
                .entry(f.client)
                .or_default()
                .push((f.range.start, f.range.end, i));
        }
        Locals { by_client }
    }

    /// The fresh struct holding `id`.
    pub fn find(&self, id: Id) -> Option<usize> {
        let list = self.by_client.get(&id.client)?;
        let at = list.partition_point(|(start, _, _)| *start <= id.clock);
        let (_, end, i) = *list.get(at.checked_sub(1)?)?;
        (id.clock < end).then_some(i)
    }

    /// The fresh structs overlapping `client`'s `range`, with the overlaps.
    pub fn overlapping(&self, client: u64, range: Range<u32>) -> Vec<(Range<u32>, usize)> {
        let Some(list) = self.by_client.get(&client) else {
            return Vec::new();
        };
        list.iter()
            .filter(|(s, e, _)| *s < range.end && range.start < *e)
            .map(|(s, e, i)| ((*s).max(range.start)..(*e).min(range.end), *i))
            .collect()
    }
}

/// Places every fresh struct. `Err` names the first struct with no place
/// and why. With `tolerant`, places outside the model become
/// [`Place::Foreign`] rather than an error (for loading stored documents).
pub fn resolve(fresh: &[Fresh], index: &PlaceIndex, tolerant: bool) -> Result<Vec<Slot>, (usize, Unplaced)> {
    let locals = Locals::new(fresh);
    let mut slots: Vec<Option<Slot>> = vec![None; fresh.len()];
    let mut visiting = vec![false; fresh.len()];
    for start in 0..fresh.len() {
        let mut stack = vec![start];
        while let Some(&i) = stack.last() {
            if slots[i].is_some() {
                stack.pop();
                continue;
            }
            visiting[i] = true;
            match place_one(&fresh[i], index, &locals, &slots) {
                Ok(slot) => {
                    slots[i] = Some(slot);
                    stack.pop();
                }
                Err(Step::Needs(j)) if !visiting[j] => stack.push(j),
                // A cycle of origins: only a crafted update has one.
                Err(Step::Needs(_)) => return Err((i, Unplaced::Torn("its origins form a cycle".into()))),
                Err(Step::Unplaced(_)) if tolerant => {
                    // Kept placeable, so whatever later builds on it is foreign too.
                    slots[i] = Some(Slot {
                        place: Place::Foreign,
                        kind: Kind::Value,
                    });
                    stack.pop();
                }
                Err(Step::Unplaced(why)) => return Err((i, why)),
            }
        }
    }
    Ok(slots.into_iter().map(|s| s.expect("every struct was placed")).collect())
}

enum Step {
    Needs(usize),
    Unplaced(Unplaced),
}

fn find<'s>(id: Id, index: &'s PlaceIndex, locals: &Locals, slots: &'s [Option<Slot>]) -> Found<'s> {
    if let Some(slot) = index.get(id) {
        return Found::Known(slot);
    }
    match locals.find(id) {
        Some(i) => match &slots[i] {
            Some(slot) => Found::Known(slot),
            None => Found::Local(i),
        },
        None => Found::Missing,
    }
}

/// An origin yrs can take a parent from: an item with a place.
fn usable(slot: &Slot) -> bool {
    slot.kind != Kind::Gc && slot.place != Place::Gone
}

fn place_one(f: &Fresh, index: &PlaceIndex, locals: &Locals, slots: &[Option<Slot>]) -> Result<Slot, Step> {
    let Some(item) = f.item else {
        return Ok(Slot {
            place: Place::Gone,
            kind: Kind::Gc,
        });
    };
    let neighbour = |id: Option<Id>| -> Result<Option<Slot>, Step> {
        let Some(id) = id else { return Ok(None) };
        match find(id, index, locals, slots) {
            Found::Known(slot) => Ok(Some(slot.clone())),
            Found::Local(j) => Err(Step::Needs(j)),
            Found::Missing => Err(Step::Unplaced(Unplaced::Pending(id))),
        }
    };
    let left = neighbour(item.origin)?.filter(usable);
    let right = neighbour(item.right_origin)?.filter(usable);
    let place = match (&left, &right) {
        (Some(l), Some(r)) if l.place != r.place => {
            return Err(Step::Unplaced(Unplaced::Torn(format!(
                "its origins lie in {} and {}",
                super::place::describe(&l.place),
                super::place::describe(&r.place)
            ))));
        }
        (Some(l), _) => l.place.clone(),
        (None, Some(r)) => r.place.clone(),
        (None, None) if item.origin.is_some() || item.right_origin.is_some() => Place::Gone,
        (None, None) => match &item.parent {
            Some(Parent::Root(name)) => {
                in_root(name, item.key.as_ref()).map_err(|e| Step::Unplaced(Unplaced::Outside(e)))?
            }
            Some(Parent::Item(pid)) => {
                let parent = match find(*pid, index, locals, slots) {
                    Found::Known(slot) => slot.clone(),
                    Found::Local(j) => return Err(Step::Needs(j)),
                    Found::Missing => return Err(Step::Unplaced(Unplaced::Pending(*pid))),
                };
                if matches!(parent.kind, Kind::Chars | Kind::Value) && parent.place != Place::Gone {
                    return Err(Step::Unplaced(Unplaced::Outside(format!(
                        "its parent {pid} in {} is not a shared type",
                        super::place::describe(&parent.place)
                    ))));
                }
                inside(&parent, item.key.as_ref()).map_err(|e| Step::Unplaced(Unplaced::Outside(e)))?
            }
            None => Place::Gone,
        },
    };
    let kind = match (&place, &item.content) {
        (Place::Gone, _) => Kind::Gc,
        (_, Content::Chars) => Kind::Chars,
        (_, Content::Values(_)) => Kind::Value,
        (_, Content::Deleted) => Kind::Deleted,
        (_, Content::Map) => Kind::Map,
        (_, Content::Text) => Kind::Text,
        (_, Content::Foreign) => Kind::Value,
    };
    // Whatever the model does not hold is foreign wherever it stands.
    let place = if item.content == Content::Foreign {
        Place::Foreign
    } else {
        place
    };
    Ok(Slot { place, kind })
}
