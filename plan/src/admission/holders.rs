//! Who holds each Yjs client id of a plan. Its owner is the user whose
//! update was the first to write under it (stored with the plan). Before
//! that, the user whose connection announced it in presence holds it while
//! the plan is open: presence shows every member the id, and without this a
//! member could copy it and write under it first, locking its real user out.

use super::Gate;
use std::collections::HashMap;
use uuid::Uuid;

/// How many client ids one user's connections may hold by presence alone.
/// A browser tab announces one; the cap keeps a hostile client from
/// growing the room's memory by announcing ids without end.
pub const MAX_ANNOUNCED_PER_USER: usize = 64;

#[derive(Debug, Default, Clone)]
pub(super) struct Holders {
    owners: HashMap<u64, Uuid>,
    announced: HashMap<u64, Uuid>,
    announced_by: HashMap<Uuid, usize>,
}

impl Holders {
    pub(super) fn new(owners: impl IntoIterator<Item = (u64, Uuid)>) -> Self {
        Holders {
            owners: owners.into_iter().collect(),
            ..Holders::default()
        }
    }

    pub(super) fn owner(&self, client: u64) -> Option<Uuid> {
        self.owners.get(&client).copied()
    }

    /// Its owner, or else the user who announced it.
    pub(super) fn holder(&self, client: u64) -> Option<Uuid> {
        self.owner(client).or_else(|| self.announced.get(&client).copied())
    }

    /// `user` now owns `client` (an update of theirs wrote under it first).
    pub(super) fn own(&mut self, client: u64, user: Uuid) {
        self.owners.insert(client, user);
        if let Some(announcer) = self.announced.remove(&client) {
            if let Some(count) = self.announced_by.get_mut(&announcer) {
                *count -= 1;
            }
        }
    }
}

impl Gate {
    /// `user`'s connection announced `client` in presence: it holds the id
    /// if nobody does. Whether `user` may use it (false: another user holds
    /// it, so the announcement is not to be shown).
    pub fn announce(&mut self, client: u64, user: Uuid) -> bool {
        let holders = &mut self.holders;
        match holders.holder(client) {
            Some(holder) => holder == user,
            // Written under before owners were recorded: nobody's to hold.
            None if self.index.clock(client) > 0 => true,
            None => {
                let count = holders.announced_by.entry(user).or_default();
                if *count < MAX_ANNOUNCED_PER_USER {
                    *count += 1;
                    holders.announced.insert(client, user);
                }
                true
            }
        }
    }
}
