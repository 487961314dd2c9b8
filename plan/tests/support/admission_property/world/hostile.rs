//! Hostile edits: what the sender's role may not change, what is outside
//! the plan model, and edits under other users' client ids.

use super::super::driver::Tally;
use super::super::generate::{add_action, any_change, new_action};
use super::replica::{edit, replica_of};
use super::{Expect, World, AGENCIES};
use plan::access::{same_agency, Role};
use plan::{ActionChange, PlanDoc, P};
use yrs::{Map, MapPrelim, Text, TextPrelim};

impl World {
    pub(super) fn hostile(&mut self, m: usize, tally: &mut Tally) -> Result<(), String> {
        let replica = self.members[m].replica.clone();
        let diff = self.rng.chance(30);
        let role = self.members[m].role;
        let (what, local) = match role {
            Role::Partner => self.partner_attack(m, &replica, diff),
            Role::Viewer => {
                if self.rng.chance(50) {
                    self.lro_edit(&replica, diff)
                } else {
                    self.partner_edit(m, &replica, diff)
                }
            }
            _ => self.model_attack(&replica, diff),
        };
        let Some((update, _)) = local else {
            self.log.push(format!("  hostile {what}: no change"));
            return Ok(());
        };
        // From an in-sync replica every one of these is refused; from a
        // lagging one it may land in something already deleted.
        let expect = if self.in_sync(m) { Expect::Refuse } else { Expect::Any };
        self.log.push(format!("  hostile {what}"));
        self.send(m, &update, expect, "hostile", tally)?;
        Ok(())
    }

    /// An edit made on a copy of the server's state under someone else's
    /// client id (one the plan already has).
    pub(super) fn impostor(&mut self, m: usize, tally: &mut Tally) -> Result<(), String> {
        let sv = self.seen.sv.clone();
        let mut clients: Vec<u64> = sv
            .iter()
            .map(|(c, _)| c.get())
            .filter(|c| *c != self.members[m].client)
            .collect();
        clients.sort();
        if clients.is_empty() {
            return Ok(());
        }
        let victim = *self.rng.pick(&clients);
        let impostor = replica_of(&self.seen.state, victim);
        let diff = self.rng.chance(30);
        let (what, local) = match self.members[m].role {
            Role::Partner => self.partner_edit(m, &impostor, diff),
            _ => self.lro_edit(&impostor, diff),
        };
        let Some((update, added)) = local else {
            return Ok(());
        };
        let owner = self.owners.get(&victim).copied();
        let me = &self.members[m];
        // A copy of the server's state is in sync: the user's own old
        // client id takes its honest edits; anyone else's refuses them. An
        // edit that only deletes writes under no client id.
        let expect = match owner {
            _ if me.role == Role::Viewer => Expect::Refuse,
            Some(o) if o == me.user => Expect::Admit,
            _ if !added => Expect::Admit,
            _ => Expect::Refuse,
        };
        self.log
            .push(format!("  impostor under client {victim} ({owner:?}): {what}"));
        self.send(m, &update, expect, "impostor", tally)?;
        Ok(())
    }

    /// What a partner may not do.
    pub(super) fn partner_attack(
        &mut self,
        m: usize,
        replica: &PlanDoc,
        diff: bool,
    ) -> (&'static str, Option<(Vec<u8>, bool)>) {
        let agency = self.members[m].agency.clone();
        let own = self.actions_where(replica, |a| same_agency(&a.owner_agency, &agency));
        let others = self.actions_where(replica, |a| !same_agency(&a.owner_agency, &agency));
        let all: Vec<String> = own.iter().chain(&others).cloned().collect();
        let kind = self.rng.below(12);
        match kind {
            0 if !others.is_empty() => {
                let id = self.rng.pick(&others).clone();
                let change = any_change(&mut self.rng);
                let (local, _) = edit(replica, diff, |p, t| {
                    let _ = p.change_action(t, &id, &change);
                    None
                });
                ("another agency's action", local)
            }
            1 if !all.is_empty() => {
                let id = self.rng.pick(&all).clone();
                let (local, _) = edit(replica, diff, |p, t| {
                    p.delete_action(t, &id).unwrap();
                    None
                });
                ("delete an action", local)
            }
            2 if !own.is_empty() => {
                let id = self.rng.pick(&own).clone();
                let to = self.rng.pick(&AGENCIES).to_string();
                let (local, _) = edit(replica, diff, |p, t| {
                    p.change_action(t, &id, &ActionChange::OwnerAgency(to)).unwrap();
                    None
                });
                ("give its action away", local)
            }
            3 if !own.is_empty() => {
                let id = self.rng.pick(&own).clone();
                let p_ = *self.rng.pick(&P::ALL);
                let on = self.rng.chance(60);
                let (local, _) = edit(replica, diff, |p, t| {
                    let _ = p.change_action(t, &id, &ActionChange::Align(p_, on));
                    None
                });
                ("align its action", local)
            }
            4 => {
                let to = loop {
                    let a = *self.rng.pick(&AGENCIES);
                    if !same_agency(a, &agency) {
                        break a.to_string();
                    }
                };
                let action = new_action(&mut self.rng, to);
                let id = self.rng.id();
                let (local, created) = edit(replica, diff, |_, t| Some(add_action(t, &id, &action)));
                self.actions.extend(created);
                ("add another agency's action", local)
            }
            5 | 6 if !own.is_empty() => {
                let id = self.rng.pick(&own).clone();
                self.field_attack(replica, diff, &id)
            }
            7 => {
                let evil = replica.doc().get_or_insert_text("evil");
                let text = self.rng.text(1, 4);
                let (local, _) = edit(replica, diff, |_, t| {
                    evil.push(t, &text);
                    None
                });
                ("unknown root", local)
            }
            _ => {
                // what only the LRO, plan owner or SIO may do, outside the actions
                let kind = self.rng.below(7);
                self.lro_edit_kind(replica, diff, kind)
            }
        }
    }

    /// Outside the model, on an existing action: the LRO may not either.
    pub(super) fn field_attack(
        &mut self,
        replica: &PlanDoc,
        diff: bool,
        id: &str,
    ) -> (&'static str, Option<(Vec<u8>, bool)>) {
        let actions = replica.doc().get_or_insert_map("actions");
        let how = self.rng.below(5);
        let field = *self.rng.pick(&["text", "update", "owner_name", "ps"]);
        let (local, _) = edit(replica, diff, |p, t| {
            let map = p.action_ref(t, id).unwrap();
            match how {
                0 => {
                    map.insert(t, "colour", "red");
                }
                1 if field == "ps" => {
                    map.insert(t, "ps", MapPrelim::default());
                }
                1 => {
                    map.insert(t, field, TextPrelim::new("replaced"));
                }
                2 => {
                    map.insert(t, "status", MapPrelim::default());
                }
                3 => {
                    actions.insert(t, id, MapPrelim::default());
                }
                _ => {
                    actions.insert(t, id, "gone");
                }
            }
            None
        });
        (
            [
                "unknown key",
                "new shared type",
                "map for a value",
                "replace the action",
                "action as a value",
            ][how],
            local,
        )
    }

    /// Outside the model: refused even for the LRO.
    pub(super) fn model_attack(&mut self, replica: &PlanDoc, diff: bool) -> (&'static str, Option<(Vec<u8>, bool)>) {
        let existing = self.actions_where(replica, |_| true);
        match self.rng.below(4) {
            0 if !existing.is_empty() => {
                let id = self.rng.pick(&existing).clone();
                self.field_attack(replica, diff, &id)
            }
            1 => {
                let header = replica.doc().get_or_insert_map("header");
                let (local, _) = edit(replica, diff, |_, t| {
                    header.insert(t, "colour", "red");
                    None
                });
                ("unknown header key", local)
            }
            2 => {
                let objectives = replica.doc().get_or_insert_map("objectives");
                let (local, _) = edit(replica, diff, |_, t| {
                    objectives.insert(t, "pursue-99", true);
                    None
                });
                ("unknown objective", local)
            }
            _ => {
                let evil = replica.doc().get_or_insert_text("evil");
                let (local, _) = edit(replica, diff, |_, t| {
                    evil.push(t, "x");
                    None
                });
                ("unknown root", local)
            }
        }
    }
}
