//! Sending an update through the gate and checking the property after
//! each: refusals change nothing, admitted changes are the sender's to
//! make, under its own client ids, and the observer reads as the server.

use super::super::driver::Tally;
use super::super::oracle::allowed;
use super::replica::{export, pending, roots, snapshot};
use super::{Expect, World};
use plan::admission::{Admission, Refusal, Writer};
use plan::ReviewIntervals;
use std::collections::BTreeSet;
use yrs::updates::decoder::Decode;
use yrs::{ReadTxn, StateVector, Update};

impl World {
    /// A fresh replica of the server's state under a new client id.
    pub(super) fn replace(&mut self, m: usize) {
        let client = self.new_client();
        let member = &mut self.members[m];
        member.client = client;
        member.reload = true;
        member.held.clear();
        self.log.push(format!("  {} reloads as client {client}", member.name));
    }

    /// Sends `update` from member `m` and checks the property. Returns
    /// whether it was admitted; a refused sender's replica is replaced.
    pub(super) fn send(
        &mut self,
        m: usize,
        update: &[u8],
        expect: Expect,
        kind: &'static str,
        tally: &mut Tally,
    ) -> Result<bool, String> {
        let (user, role, agency, name) = {
            let member = &self.members[m];
            (member.user, member.role, member.agency.clone(), member.name)
        };
        let writer = Writer {
            user,
            role,
            agency: &agency,
        };
        let outcome = self.gate.admit(&self.server, &writer, update);
        tally.record(kind, &outcome);
        self.log.push(format!("    -> {}", describe(&outcome)));
        let context = || format!("{kind} from {name} ({role:?}), update {}", hex(update));
        let applied = matches!(outcome, Ok(Admission::Applied { .. }));
        if !applied {
            // `seen` is the server before this update (only admission
            // changes it), and must be the server after it too.
            self.unchanged()
                .map_err(|e| format!("{}: {} yet {e}", context(), describe(&outcome)))?;
        }
        let admitted = match &outcome {
            Err(Refusal::Broken(why)) => return Err(format!("{}: broken: {why}", context())),
            Err(refusal) => {
                ensure!(
                    !matches!(expect, Expect::Admit | Expect::Nothing | Expect::NothingOrNoop),
                    "{}: an honest update was refused: {refusal}",
                    context()
                );
                false
            }
            Ok(Admission::Nothing) => {
                ensure!(
                    expect != Expect::Refuse,
                    "{}: admitted as `Nothing`, expected a refusal",
                    context()
                );
                true
            }
            Ok(Admission::Applied { claimed, .. }) => {
                let before = std::mem::replace(&mut self.seen, snapshot(&self.server));
                let after = &self.seen;
                ensure!(
                    !matches!(expect, Expect::Refuse | Expect::Nothing),
                    "{}: applied, expected {expect:?}",
                    context()
                );
                if expect == Expect::NothingOrNoop {
                    ensure!(
                        before.export == after.export && before.roots == after.roots,
                        "{}: applied and changed the plan, expected no change",
                        context()
                    );
                }
                allowed(role, &agency, &before, after).map_err(|e| format!("{}: {e}", context()))?;
                let after_sv = after.sv.clone();
                self.check_owners(user, &before.sv, &after_sv, claimed)
                    .map_err(|e| format!("{}: {e}", context()))?;
                // The relay: the observer gets exactly what was admitted.
                let decoded = Update::decode_v1(update).map_err(|e| format!("{}: admitted but {e}", context()))?;
                self.observer
                    .transact_mut()
                    .apply_update(decoded)
                    .map_err(|e| format!("{}: the observer could not apply it: {e}", context()))?;
                self.history.push(update.to_vec());
                self.check_observer().map_err(|e| format!("{}: {e}", context()))?;
                true
            }
        };
        if !admitted {
            self.replace(m);
        }
        Ok(admitted)
    }

    /// Client ids written under are the sender's, or nobody's and new.
    pub(super) fn check_owners(
        &mut self,
        user: uuid::Uuid,
        before: &StateVector,
        after: &StateVector,
        claimed: &[u64],
    ) -> Result<(), String> {
        let mut newly = BTreeSet::new();
        for (client, clock) in after.iter() {
            let was = before.get(client);
            if *clock <= was {
                continue;
            }
            match self.owners.get(&client.get()) {
                Some(owner) if *owner == user => {}
                Some(owner) => return Err(format!("it wrote under client {client}, owned by {owner}")),
                None if was > 0 => return Err(format!("it wrote under client {client}, used before by someone else")),
                None => {
                    newly.insert(client.get());
                }
            }
        }
        let claimed: BTreeSet<u64> = claimed.iter().copied().collect();
        ensure!(
            claimed == newly,
            "the gate says it claimed {claimed:?}, the new client ids written under are {newly:?}"
        );
        for client in newly {
            self.owners.insert(client, user);
        }
        Ok(())
    }

    /// The server is as it was before the last update: same state vector,
    /// same export, same document (so the same roots), nothing pending.
    /// The observer got nothing, so it still reads as the server does.
    pub(super) fn unchanged(&self) -> Result<(), String> {
        let txn = self.server.transact();
        ensure!(!pending(&txn), "the server holds pending state");
        ensure!(txn.state_vector() == self.seen.sv, "the state vector changed");
        ensure!(
            txn.encode_state_as_update_v1(&StateVector::default()) == self.seen.state,
            "the document changed"
        );
        ensure!(
            self.server.export(&txn, uuid::Uuid::nil(), &ReviewIntervals::default()) == self.seen.export,
            "the export changed"
        );
        Ok(())
    }

    pub(super) fn check_observer(&self) -> Result<(), String> {
        let server_txn = self.server.transact();
        let observer_txn = self.observer.transact();
        ensure!(!pending(&server_txn), "the server holds pending state");
        ensure!(!pending(&observer_txn), "the observer holds pending state");
        ensure!(
            server_txn.state_vector() == observer_txn.state_vector(),
            "the observer's state vector differs from the server's"
        );
        drop((server_txn, observer_txn));
        ensure!(
            export(&self.observer) == self.seen.export,
            "the observer's export differs from the server's"
        );
        ensure!(
            roots(&self.observer) == self.seen.roots,
            "the observer's roots differ from the server's"
        );
        Ok(())
    }
}

pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn describe(outcome: &Result<Admission, Refusal>) -> String {
    match outcome {
        Ok(Admission::Nothing) => "nothing new".into(),
        Ok(Admission::Applied { changes, claimed }) => {
            let fields: Vec<&str> = changes.iter().map(|c| c.field.as_str()).collect();
            format!("applied {fields:?}, claimed {claimed:?}")
        }
        Err(refusal) => format!("refused: {refusal:?}"),
    }
}
