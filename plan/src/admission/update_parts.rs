//! What an update brings that the plan lacks: its new structs, the client
//! ids it is the first to write under, and the ranges it newly deletes,
//! each refused where it would be left pending or is another user's.

use super::decode::{Decoded, Id, StructKind};
use super::place::Slot;
use super::resolve::{Fresh, Locals, Unplaced};
use super::{denied, Gate, Refusal, Writer};
use std::collections::{BTreeSet, HashMap};
use std::ops::Range;

impl Gate {
    /// The part of each struct the plan lacks; a struct that starts past
    /// the plan's next clock for its client would be left pending.
    pub(super) fn fresh<'d>(&self, decoded: &'d Decoded) -> Result<Vec<Fresh<'d>>, Refusal> {
        let mut fresh = Vec::new();
        let mut next: HashMap<u64, u32> = HashMap::new();
        for s in &decoded.structs {
            let expected = *next.entry(s.id.client).or_insert_with(|| self.index.clock(s.id.client));
            let end = s.id.clock + s.len;
            if end <= expected {
                continue; // the plan has it already
            }
            if s.id.clock > expected || s.kind == StructKind::Skip {
                let gap = Id {
                    client: s.id.client,
                    clock: expected,
                };
                return Err(denied(
                    format!("client {}", s.id.client),
                    format!("it skips from {gap} to {}: the plan has nothing in between", s.id),
                ));
            }
            next.insert(s.id.client, end);
            fresh.push(Fresh::new(s, expected));
        }
        Ok(fresh)
    }

    /// The client ids this update writes under that nobody owned yet; an
    /// id another user holds (see [`holders`]), or one the plan used before
    /// ownership was recorded, is refused.
    pub(super) fn claims(&self, writer: &Writer, fresh: &[Fresh]) -> Result<Vec<u64>, Refusal> {
        let clients: BTreeSet<u64> = fresh.iter().map(|f| f.client).collect();
        let mut claimed = Vec::new();
        for client in clients {
            match self.holders.holder(client) {
                Some(holder) if holder != writer.user => {
                    return Err(denied(
                        format!("client {client}"),
                        "that client id belongs to another user",
                    ))
                }
                Some(_) if self.holders.owner(client).is_some() => {}
                None if self.index.clock(client) > 0 => {
                    return Err(denied(
                        format!("client {client}"),
                        "that client id was used by someone else",
                    ))
                }
                // Nobody's, or held by this writer's announcement: theirs now.
                _ => claimed.push(client),
            }
        }
        Ok(claimed)
    }

    /// The ranges this update deletes that the plan has not deleted yet,
    /// each with the slot it lies in. Deleting ids the plan does not have
    /// would leave a pending delete set.
    pub(super) fn deletions(
        &self,
        decoded: &Decoded,
        locals: &Locals,
        slots: &[Slot],
    ) -> Result<Vec<(Range<u32>, Slot)>, Refusal> {
        let mut out = Vec::new();
        for (client, range) in &decoded.deletes {
            for missing in self.deleted.missing(*client, range.clone()) {
                for (piece, slot) in self.index.pieces(*client, missing) {
                    match slot {
                        Some(slot) => out.push((piece, slot.clone())),
                        None => {
                            let mut covered = piece.start;
                            for (part, i) in locals.overlapping(*client, piece.clone()) {
                                if part.start != covered {
                                    break;
                                }
                                covered = part.end;
                                out.push((part, slots[i].clone()));
                            }
                            if covered < piece.end {
                                return Err(denied(
                                    format!("client {client}"),
                                    format!(
                                        "it deletes {client}#{covered}..{}, which the plan does not have",
                                        piece.end
                                    ),
                                ));
                            }
                        }
                    }
                }
            }
        }
        Ok(out)
    }
}

pub(super) fn unplaced(f: &Fresh, why: Unplaced) -> Refusal {
    let at = format!("{}#{}", f.client, f.range.start);
    match why {
        Unplaced::Pending(id) => denied(at, format!("it builds on {id}, which the plan does not have")),
        Unplaced::Torn(why) => denied(at, why),
        Unplaced::Outside(why) => denied(at, format!("outside the plan model: {why}")),
    }
}
