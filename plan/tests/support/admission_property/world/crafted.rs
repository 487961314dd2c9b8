//! Hand-built attacks: deletions of ids in the future, in the past and
//! spanning both, skip structs, deleted content over map entries, and
//! corrupted bytes.

use super::super::driver::Tally;
use super::super::generate::{add_action, new_action};
use super::super::lib0::{deleted_after, deleted_ranges, deletes, skip};
use super::replica::{edit, replica_of};
use super::send::hex;
use super::{Expect, World, ACTION_KEYS, AGENCIES};
use plan::access::{same_agency, Role};
use std::collections::{BTreeMap, BTreeSet};
use yrs::{Map, Out, ReadTxn};

impl World {
    /// Any client the plan or a member knows: the server's clients and the
    /// members' current ones (whose next clocks are public).
    pub(super) fn some_client(&mut self) -> u64 {
        let mut clients: BTreeSet<u64> = self
            .server
            .transact()
            .state_vector()
            .iter()
            .map(|(c, _)| c.get())
            .collect();
        clients.extend(self.members.iter().map(|m| m.client));
        let clients: Vec<u64> = clients.into_iter().collect();
        *self.rng.pick(&clients)
    }

    pub(super) fn server_clock(&self, client: u64) -> u32 {
        self.server.transact().state_vector().get(&yrs::ClientID::new(client))
    }

    pub(super) fn future_delete(&mut self, m: usize, tally: &mut Tally) -> Result<(), String> {
        let victim = self.some_client();
        let start = self.server_clock(victim) + self.rng.range(0, 2);
        let len = self.rng.range(1, 6);
        self.log.push(format!("  delete {victim}#{start}+{len} (future)"));
        self.send(
            m,
            &deletes(&[(victim, vec![(start, len)])]),
            Expect::Refuse,
            "future delete",
            tally,
        )?;
        Ok(())
    }

    pub(super) fn past_delete(&mut self, m: usize, tally: &mut Tally) -> Result<(), String> {
        let deleted = deleted_ranges(&self.seen.state);
        if deleted.is_empty() {
            return self.future_delete(m, tally);
        }
        let count = self.rng.range(1, 3.min(deleted.len() as u32));
        let mut by_client: BTreeMap<u64, Vec<(u32, u32)>> = BTreeMap::new();
        for _ in 0..count {
            let (client, start, end) = *self.rng.pick(&deleted);
            let from = self.rng.range(start, end - 1);
            let to = self.rng.range(from + 1, end);
            by_client.entry(client).or_default().push((from, to - from));
        }
        let ranges: Vec<(u64, Vec<(u32, u32)>)> = by_client
            .into_iter()
            .map(|(c, mut list)| {
                list.sort();
                (c, list)
            })
            .collect();
        self.log.push(format!("  delete {ranges:?} (past)"));
        self.send(m, &deletes(&ranges), Expect::NothingOrNoop, "past delete", tally)?;
        Ok(())
    }

    pub(super) fn overlapping_delete(&mut self, m: usize, tally: &mut Tally) -> Result<(), String> {
        let sv = self.seen.sv.clone();
        let mut known: Vec<(u64, u32)> = sv.iter().map(|(c, n)| (c.get(), *n)).filter(|(_, n)| *n > 0).collect();
        known.sort();
        let (victim, next) = *self.rng.pick(&known);
        let start = next - self.rng.range(1, next.min(4));
        let end = next + self.rng.range(1, 4);
        let mut ranges = vec![(victim, vec![(start, end - start)])];
        if self.rng.chance(30) {
            // and, for another client, something already deleted
            if let Some(&(client, s, e)) = deleted_ranges(&self.seen.state).iter().find(|(c, _, _)| *c != victim) {
                ranges.push((client, vec![(s, e - s)]));
            }
        }
        self.log
            .push(format!("  delete {ranges:?} (overlapping the next clock {next})"));
        self.send(m, &deletes(&ranges), Expect::Refuse, "overlapping delete", tally)?;
        Ok(())
    }

    /// Deletes a random range of ids the plan has (deleted or not).
    pub(super) fn present_delete(&mut self, m: usize, tally: &mut Tally) -> Result<(), String> {
        let sv = self.seen.sv.clone();
        let mut known: Vec<(u64, u32)> = sv.iter().map(|(c, n)| (c.get(), *n)).filter(|(_, n)| *n > 0).collect();
        known.sort();
        let (victim, next) = *self.rng.pick(&known);
        let start = self.rng.range(0, next - 1);
        let len = self.rng.range(1, (next - start).min(6));
        self.log.push(format!("  delete {victim}#{start}+{len} (present)"));
        self.send(
            m,
            &deletes(&[(victim, vec![(start, len)])]),
            Expect::Any,
            "present delete",
            tally,
        )?;
        Ok(())
    }

    pub(super) fn skip_struct(&mut self, m: usize, tally: &mut Tally) -> Result<(), String> {
        let client = if self.rng.chance(50) {
            self.members[m].client
        } else {
            self.some_client()
        };
        let clock = self.server_clock(client);
        let len = self.rng.range(1, 4);
        self.log.push(format!("  skip struct {client}#{clock}+{len}"));
        self.send(m, &skip(client, clock, len), Expect::Refuse, "skip", tally)?;
        Ok(())
    }

    /// Deleted content written over a map entry: yrs takes it as the
    /// entry's new value and deletes the one it follows. Over a shared-type
    /// field of an existing action (the sender's own, for a partner), or
    /// over any entry of an action the same update adds.
    pub(super) fn overwrite(&mut self, m: usize, tally: &mut Tally) -> Result<(), String> {
        let client = self.new_client();
        let replica = replica_of(&self.seen.state, client);
        let role = self.members[m].role;
        let agency = self.members[m].agency.clone();
        let existing = self.actions_where(&replica, |a| {
            role != Role::Partner || same_agency(&a.owner_agency, &agency)
        });
        if existing.is_empty() || self.rng.chance(50) {
            // a new action, then deleted content over one of its entries
            let owner = if role == Role::Partner {
                agency.clone()
            } else {
                self.rng.pick(&AGENCIES).to_string()
            };
            let action = new_action(&mut self.rng, owner);
            let id = self.rng.id();
            let (Some((add, _)), _) = edit(&replica, false, |_, t| Some(add_action(t, &id, &action))) else {
                return Ok(());
            };
            self.actions.push(id);
            let decoded = plan::admission::decode::decode(&add).map_err(|e| format!("our own update: {e}"))?;
            let keys: Vec<(String, u32)> = decoded
                .structs
                .iter()
                .filter_map(|s| match &s.kind {
                    plan::admission::decode::StructKind::Item(item) if s.id.client == client => item
                        .key
                        .as_ref()
                        .filter(|k| ACTION_KEYS.contains(&&***k))
                        .map(|k| (k.to_string(), s.id.clock)),
                    _ => None,
                })
                .collect();
            let (key, clock) = self.rng.pick(&keys).clone();
            let next = replica.transact().state_vector().get(&yrs::ClientID::new(client));
            let erase = deleted_after(client, next, (client, clock));
            let update = yrs::merge_updates_v1([add.as_slice(), erase.as_slice()]).map_err(|e| e.to_string())?;
            // A partner's new action must stay its agency's.
            let expect = if role == Role::Partner && key == "owner_agency" {
                Expect::Refuse
            } else if role == Role::Viewer {
                Expect::Refuse
            } else {
                Expect::Any
            };
            self.log
                .push(format!("  add an action and write deleted content over its {key}"));
            self.send(m, &update, expect, "overwrite", tally)?;
        } else {
            let id = self.rng.pick(&existing).clone();
            let key = *self.rng.pick(&["ps", "text", "owner_name", "update"]);
            let target = {
                let txn = replica.transact();
                let map = replica.action_ref(&txn, &id).unwrap();
                let branch = match map.get(&txn, key) {
                    Some(Out::YMap(m)) => AsRef::<yrs::branch::Branch>::as_ref(&m).id(),
                    Some(Out::YText(t)) => AsRef::<yrs::branch::Branch>::as_ref(&t).id(),
                    _ => return Ok(()),
                };
                match branch {
                    yrs::branch::BranchID::Nested(item) => (item.client.get(), item.clock),
                    yrs::branch::BranchID::Root(_) => return Ok(()),
                }
            };
            self.log
                .push(format!("  write deleted content over the {key} of action {id}"));
            // The model keeps an action's fields while it exists, whoever writes.
            self.send(m, &deleted_after(client, 0, target), Expect::Refuse, "overwrite", tally)?;
        }
        Ok(())
    }

    /// An honest-looking update with a byte changed, cut or spliced.
    pub(super) fn corrupt(&mut self, m: usize, tally: &mut Tally) -> Result<(), String> {
        // Under a new client id: the member's own may have unsent updates at
        // the clocks the server expects next.
        let client = self.new_client();
        let replica = replica_of(&self.seen.state, client);
        let (what, local) = match self.members[m].role {
            Role::Partner => self.partner_edit(m, &replica, false),
            _ => self.lro_edit(&replica, false),
        };
        let Some((mut update, _)) = local else {
            return Ok(());
        };
        let how = self.rng.below(4);
        match how {
            0 => {
                let i = self.rng.below(update.len());
                update[i] ^= 1 << self.rng.below(8);
            }
            1 => update.truncate(self.rng.below(update.len())),
            2 => {
                let i = self.rng.below(update.len() + 1);
                update.insert(i, self.rng.next_u64() as u8);
            }
            _ => {
                let i = self.rng.below(update.len());
                update[i] = self.rng.next_u64() as u8;
            }
        }
        self.log.push(format!("  corrupted ({how}) {what}: {}", hex(&update)));
        self.send(m, &update, Expect::Any, "corrupt", tally)?;
        Ok(())
    }
}
