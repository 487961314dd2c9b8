//! Honest sending: edits sent now, held and sent later, sent after a gap;
//! admitted updates sent again; sync step 2.

use super::super::driver::Tally;
use super::{Expect, Local, World};
use plan::access::Role;
use yrs::{ReadTxn, StateVector};

impl World {
    pub(super) fn honest(&mut self, m: usize, tally: &mut Tally) -> Result<(), String> {
        let replica = self.members[m].replica.clone();
        let diff = self.rng.chance(30);
        let (what, local) = match self.members[m].role {
            Role::Partner => self.partner_edit(m, &replica, diff),
            Role::Viewer => unreachable!("viewers make no honest edits"),
            _ => self.lro_edit(&replica, diff),
        };
        let Some((update, added)) = local else {
            self.log.push(format!("  honest {what}: no change"));
            return Ok(());
        };
        let local = Local {
            update,
            added,
            in_sync: self.members[m].delivered == self.history.len(),
            at: self.history.len(),
        };
        self.members[m].held.push(local);
        if self.rng.chance(30) {
            self.log.push(format!("  honest {what}: held"));
            return Ok(());
        }
        self.log.push(format!("  honest {what}"));
        self.flush(m, tally, "honest")
    }

    /// Sends every held update in order, as a reconnecting browser does.
    pub(super) fn flush(&mut self, m: usize, tally: &mut Tally, kind: &'static str) -> Result<(), String> {
        let held = std::mem::take(&mut self.members[m].held);
        let expect = self.honest_expectation(m, &held);
        for (i, local) in held.iter().enumerate() {
            self.log.push(format!("  send held {i} of {}", held.len()));
            if !self.send(m, &local.update, expect, kind, tally)? {
                return Ok(()); // refused: the replica was replaced
            }
        }
        Ok(())
    }

    /// Honest updates sent in order: the LRO's and SIO's are always
    /// admitted; a partner's when nothing was admitted since it made them
    /// from an in-sync replica (otherwise an action it edits may have
    /// changed hands meanwhile).
    pub(super) fn honest_expectation(&self, m: usize, held: &[Local]) -> Expect {
        let member = &self.members[m];
        match member.role {
            r if r.edits_everything() => Expect::Admit,
            Role::Partner if held.first().is_some_and(|l| l.in_sync && l.at == self.history.len()) => Expect::Admit,
            _ => Expect::Any,
        }
    }

    /// Makes one more edit and sends the held updates without the first.
    pub(super) fn gap(&mut self, m: usize, tally: &mut Tally) -> Result<(), String> {
        let replica = self.members[m].replica.clone();
        let diff = self.rng.chance(30);
        let (_, local) = match self.members[m].role {
            Role::Partner => self.partner_edit(m, &replica, diff),
            _ => self.lro_edit(&replica, diff),
        };
        if let Some((update, added)) = local {
            let (in_sync, at) = (false, self.history.len());
            self.members[m].held.push(Local {
                update,
                added,
                in_sync,
                at,
            });
        }
        let held = std::mem::take(&mut self.members[m].held);
        let mut expect = if held.len() >= 2 && held[0].added && held[1].added {
            Expect::Refuse
        } else {
            Expect::Any
        };
        self.log.push(format!("  gap: drop the first of {} held", held.len()));
        for local in &held[1..] {
            if !self.send(m, &local.update, expect, "gap", tally)? {
                return Ok(()); // refused: the replica was replaced
            }
            expect = Expect::Any;
        }
        // A browser that lost an update is out of step with the server: it reloads.
        self.replace(m);
        Ok(())
    }

    pub(super) fn replay(&mut self, m: usize, tally: &mut Tally) -> Result<(), String> {
        if self.history.is_empty() {
            return self.step2(m, tally, false);
        }
        let i = self.rng.below(self.history.len());
        let update = self.history[i].clone();
        self.log.push(format!("  replay admitted update {i}"));
        self.send(m, &update, Expect::Nothing, "replay", tally)?;
        Ok(())
    }

    /// The answer to the server's sync step 1 (`whole`: the replica's whole
    /// state). With nothing held it adds nothing.
    pub(super) fn step2(&mut self, m: usize, tally: &mut Tally, whole: bool) -> Result<(), String> {
        let held = std::mem::take(&mut self.members[m].held);
        let expect = if held.is_empty() {
            Expect::Nothing
        } else {
            self.honest_expectation(m, &held)
        };
        let sv = if whole {
            StateVector::default()
        } else {
            self.seen.sv.clone()
        };
        let update = self.members[m].replica.transact().encode_state_as_update_v1(&sv);
        self.log.push(format!(
            "  sync step 2 ({}, {} held)",
            if whole { "whole state" } else { "diff" },
            held.len()
        ));
        self.send(
            m,
            &update,
            expect,
            if whole { "whole state" } else { "sync step 2" },
            tally,
        )?;
        Ok(())
    }
}
