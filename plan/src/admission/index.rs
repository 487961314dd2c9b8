//! What admission remembers of a plan's document between updates: the
//! place of every id ever integrated, and which ids are deleted. Both are
//! kept as ranges per client, so looking one up costs a tree search
//! whatever the size of the plan.

use super::decode::Id;
use super::place::Slot;
use std::collections::{BTreeMap, HashMap};
use std::ops::Range;

/// A run of consecutive clocks of one client, all in one slot.
#[derive(Debug, Clone)]
struct Run {
    end: u32,
    slot: Slot,
}

/// Id ranges → slots, for every id the document holds.
#[derive(Debug, Default, Clone)]
pub struct PlaceIndex {
    clients: HashMap<u64, BTreeMap<u32, Run>>,
}

impl PlaceIndex {
    /// The slot of the item holding `id`, if the document has it.
    pub fn get(&self, id: Id) -> Option<&Slot> {
        let (_, run) = self.clients.get(&id.client)?.range(..=id.clock).next_back()?;
        (id.clock < run.end).then_some(&run.slot)
    }

    /// The next clock the document expects from `client` (0 if none yet).
    pub fn clock(&self, client: u64) -> u32 {
        self.clients
            .get(&client)
            .and_then(|runs| runs.last_key_value())
            .map_or(0, |(_, run)| run.end)
    }

    /// Records `start..end` of `client` in `slot`. Ranges arrive in clock
    /// order per client, each starting where the document's clock is.
    pub fn insert(&mut self, client: u64, range: Range<u32>, slot: Slot) {
        if range.is_empty() {
            return;
        }
        let runs = self.clients.entry(client).or_default();
        // Typing appends to the run before it: keep one run per field.
        if let Some((_, last)) = runs.range_mut(..range.start).next_back() {
            if last.end == range.start && last.slot == slot {
                last.end = range.end;
                return;
            }
        }
        runs.insert(range.start, Run { end: range.end, slot });
    }

    /// The slots covering `client`'s `range`, piece by piece; `None` for a
    /// piece the document does not have.
    pub fn pieces(&self, client: u64, range: Range<u32>) -> Vec<(Range<u32>, Option<&Slot>)> {
        let mut out = Vec::new();
        let mut at = range.start;
        let runs = self.clients.get(&client);
        let first = runs
            .and_then(|r| r.range(..=at).next_back().map(|(s, _)| *s))
            .unwrap_or(at);
        if let Some(runs) = runs {
            for (&start, run) in runs.range(first..range.end) {
                if run.end <= at {
                    continue;
                }
                if start > at {
                    out.push((at..start.min(range.end), None));
                }
                let end = run.end.min(range.end);
                out.push((at.max(start)..end, Some(&run.slot)));
                at = end;
                if at >= range.end {
                    break;
                }
            }
        }
        if at < range.end {
            out.push((at..range.end, None));
        }
        out
    }

    /// How many runs are kept (for measurements).
    pub fn len(&self) -> usize {
        self.clients.values().map(BTreeMap::len).sum()
    }

    pub fn is_empty(&self) -> bool {
        self.clients.is_empty()
    }
}

/// The ids the document has deleted, as merged ranges per client.
#[derive(Debug, Default, Clone)]
pub struct Deleted {
    clients: HashMap<u64, BTreeMap<u32, u32>>,
}

impl Deleted {
    /// The parts of `range` not yet deleted.
    pub fn missing(&self, client: u64, range: Range<u32>) -> Vec<Range<u32>> {
        let Some(ranges) = self.clients.get(&client) else {
            return vec![range];
        };
        let mut out = Vec::new();
        let mut at = range.start;
        let first = ranges.range(..=at).next_back().map_or(at, |(s, _)| *s);
        for (&start, &end) in ranges.range(first..range.end) {
            if end <= at {
                continue;
            }
            if start > at {
                out.push(at..start);
            }
            at = at.max(end);
            if at >= range.end {
                break;
            }
        }
        if at < range.end {
            out.push(at..range.end);
        }
        out
    }

    /// Marks `range` deleted, merging it with the ranges it touches.
    pub fn insert(&mut self, client: u64, range: Range<u32>) {
        if range.is_empty() {
            return;
        }
        let ranges = self.clients.entry(client).or_default();
        let (mut start, mut end) = (range.start, range.end);
        if let Some((&s, &e)) = ranges.range(..=start).next_back() {
            if e >= start {
                start = s;
                end = end.max(e);
            }
        }
        let touching: Vec<u32> = ranges.range(start..=end).map(|(s, _)| *s).collect();
        for s in touching {
            if let Some(e) = ranges.remove(&s) {
                end = end.max(e);
            }
        }
        ranges.insert(start, end);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::admission::place::{Kind, Place};

    fn slot(text: &'static str) -> Slot {
        Slot {
            place: Place::Text(text),
            kind: Kind::Chars,
        }
    }

    #[test]
    fn runs_are_found_by_any_clock_inside_them_and_typing_extends_one_run() {
        let mut index = PlaceIndex::default();
        index.insert(7, 0..3, slot("aim"));
        index.insert(7, 3..5, slot("aim"));
        index.insert(7, 5..6, slot("lro"));
        assert_eq!(index.len(), 2);
        assert_eq!(index.clock(7), 6);
        assert_eq!(index.get(Id { client: 7, clock: 4 }), Some(&slot("aim")));
        assert_eq!(index.get(Id { client: 7, clock: 5 }), Some(&slot("lro")));
        assert_eq!(index.get(Id { client: 7, clock: 6 }), None);
        assert_eq!(index.get(Id { client: 8, clock: 0 }), None);
        let pieces: Vec<_> = index
            .pieces(7, 2..9)
            .into_iter()
            .map(|(r, s)| (r, s.map(|s| s.place.clone())))
            .collect();
        assert_eq!(
            pieces,
            [
                (2..5, Some(Place::Text("aim"))),
                (5..6, Some(Place::Text("lro"))),
                (6..9, None)
            ]
        );
    }

    #[test]
    fn deleted_ranges_merge_and_report_what_is_not_deleted_yet() {
        let mut deleted = Deleted::default();
        deleted.insert(1, 5..10);
        deleted.insert(1, 12..14);
        assert_eq!(deleted.missing(1, 0..20), [0..5, 10..12, 14..20]);
        assert_eq!(deleted.missing(1, 6..9), Vec::<Range<u32>>::new());
        deleted.insert(1, 9..13);
        assert_eq!(deleted.missing(1, 0..20), [0..5, 14..20]);
        assert_eq!(deleted.missing(2, 0..3), [0..3]);
    }
}
