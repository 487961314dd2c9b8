//! The loop of steps: the relay delivers admitted updates, a member is
//! picked, and the kind of step it takes.

use super::super::driver::Tally;
use super::replica::{export, pending, replica_of};
use super::World;
use plan::access::Role;
use yrs::updates::decoder::Decode;
use yrs::Update;

impl World {
    pub(crate) fn run(&mut self, steps: usize, tally: &mut Tally) -> Result<(), String> {
        for step in 0..steps {
            // The relay delivers admitted updates; some replicas lag.
            for m in 0..self.members.len() {
                if self.rng.chance(60) {
                    let upto = if self.rng.chance(80) {
                        self.history.len()
                    } else {
                        self.members[m].delivered + self.rng.below(self.history.len() - self.members[m].delivered + 1)
                    };
                    self.deliver(m, upto)?;
                }
            }
            let m = self.rng.weighted(&[15, 10, 27, 23, 25]);
            if self.members[m].reload {
                let member = &mut self.members[m];
                member.replica = replica_of(&self.seen.state, member.client);
                member.delivered = self.history.len();
                member.reload = false;
            }
            self.check_replica(m)?;
            self.log.push(format!("step {step}: {}", self.members[m].name));
            self.step(m, tally)?;
            tally.steps += 1;
        }
        Ok(())
    }

    pub(super) fn deliver(&mut self, m: usize, upto: usize) -> Result<(), String> {
        let member = &mut self.members[m];
        if member.reload {
            return Ok(());
        }
        for update in &self.history[member.delivered..upto] {
            let update = Update::decode_v1(update).map_err(|e| e.to_string())?;
            let mut txn = member.replica.transact_mut();
            txn.apply_update(update)
                .map_err(|e| format!("{}'s replica could not apply a relayed update: {e}", member.name))?;
            ensure!(
                !pending(&txn),
                "{}'s replica has pending state after a relayed update",
                member.name
            );
        }
        member.delivered = member.delivered.max(upto);
        Ok(())
    }

    /// A replica with every relayed update and nothing unsent reads as the
    /// server does.
    pub(super) fn check_replica(&self, m: usize) -> Result<(), String> {
        let member = &self.members[m];
        if !member.reload && member.delivered == self.history.len() && member.held.is_empty() {
            ensure!(
                export(&member.replica) == self.seen.export,
                "{}'s in-sync replica reads differently from the server",
                member.name
            );
        }
        Ok(())
    }

    pub(super) fn in_sync(&self, m: usize) -> bool {
        self.members[m].delivered == self.history.len() && self.members[m].held.is_empty()
    }

    pub(super) fn step(&mut self, m: usize, tally: &mut Tally) -> Result<(), String> {
        let role = self.members[m].role;
        let has_held = !self.members[m].held.is_empty();
        // honest, flush, gap, hostile, impostor, future, past, overlap,
        // present, replay, step 2, whole state, skip, corrupt, overwrite
        let overwrite = if self.overwrites { 6 } else { 0 };
        let weights: [u32; 15] = match role {
            Role::Viewer => [0, 0, 0, 30, 8, 6, 6, 6, 5, 6, 15, 8, 2, 3, overwrite],
            _ => [
                34,
                if has_held { 10 } else { 0 },
                if has_held { 10 } else { 0 },
                16,
                6,
                4,
                4,
                4,
                3,
                3,
                5,
                2,
                2,
                3,
                overwrite,
            ],
        };
        match self.rng.weighted(&weights) {
            0 => self.honest(m, tally),
            1 => self.flush(m, tally, "flush"),
            2 => self.gap(m, tally),
            3 => self.hostile(m, tally),
            4 => self.impostor(m, tally),
            5 => self.future_delete(m, tally),
            6 => self.past_delete(m, tally),
            7 => self.overlapping_delete(m, tally),
            8 => self.present_delete(m, tally),
            9 => self.replay(m, tally),
            10 => self.step2(m, tally, false),
            11 => self.step2(m, tally, true),
            12 => self.skip_struct(m, tally),
            13 => self.corrupt(m, tally),
            _ => self.overwrite(m, tally),
        }
    }
}
