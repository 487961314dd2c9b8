//! Merging the document updates one batch relays, so each client is
//! posted one update per batch, not one per update.
//!
//! The updates of a batch usually go to everyone but their sender. Every
//! client that sent none of them gets the same merge, computed once. A
//! client that sent some gets the merge of the others' when few clients
//! sent (the usual case); when many did, computing a merge for each would
//! cost the square of the batch, so they get the common merge, their own
//! updates included: applying an update one already has changes nothing
//! (it is what y-websocket's own server does for every update).

use crate::collab::mailbox::merge;
use crate::collab::room::{ConnId, Target};
use std::collections::HashMap;
use std::sync::Arc;

/// Senders in one batch up to which each gets an exact merge.
const EXACT_FOR_SENDERS: usize = 8;

type Update = Arc<Vec<u8>>;

/// What each client of the room is to be posted for one batch.
pub(super) struct Coalesced {
    /// For clients the batch names in no target.
    common: Vec<Update>,
    /// For clients some target names: their exact share.
    named: HashMap<ConnId, Vec<Update>>,
}

impl Coalesced {
    /// The updates to post to `conn` (one, unless yrs refused to merge).
    pub(super) fn for_conn(&self, conn: ConnId) -> &[Update] {
        self.named.get(&conn).unwrap_or(&self.common)
    }
}

/// Merges `updates` (with whom each is for) per receiving client.
pub(super) fn coalesce(updates: &[(Target, Update)]) -> Coalesced {
    let mut names: Vec<ConnId> = updates
        .iter()
        .filter_map(|(target, _)| match target {
            Target::One(c) | Target::AllBut(c) => Some(*c),
            Target::All => None,
        })
        .collect();
    names.sort_unstable();
    names.dedup();
    // Anyone not named receives exactly the updates for all, or for all but someone.
    let common = merged(updates, |target| !matches!(target, Target::One(_)));
    let named = if names.len() <= EXACT_FOR_SENDERS {
        names
            .into_iter()
            .map(|conn| (conn, merged(updates, |target| target.includes(conn))))
            .collect()
    } else {
        // Named only by `One` targets, a client must not be sent the
        // common merge instead: that would be someone else's reply.
        names
            .into_iter()
            .filter(|conn| updates.iter().any(|(t, _)| *t == Target::One(*conn)))
            .map(|conn| {
                let share = |target: Target| target.includes(conn) || matches!(target, Target::AllBut(_));
                (conn, merged(updates, share))
            })
            .collect()
    };
    Coalesced { common, named }
}

/// The updates `wanted` picks, merged into one.
fn merged(updates: &[(Target, Update)], wanted: impl Fn(Target) -> bool) -> Vec<Update> {
    let picked: Vec<&Update> = updates.iter().filter(|(t, _)| wanted(*t)).map(|(_, u)| u).collect();
    match picked[..] {
        [] => Vec::new(),
        [one] => vec![one.clone()],
        _ => match merge(picked.iter().map(|u| u.as_slice())) {
            Some(update) => vec![Arc::new(update)],
            // They all applied in the room, so they merge; if yrs
            // disagrees, posting them one by one is still right.
            None => picked.into_iter().cloned().collect(),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use yrs::updates::decoder::Decode;
    use yrs::{Doc, GetString, ReadTxn, Text, Transact};

    /// One update per (sender, word): each sender types on its own doc.
    fn batch(words: &[(ConnId, &str)]) -> Vec<(Target, Update)> {
        let docs: HashMap<ConnId, Doc> = words.iter().map(|(c, _)| (*c, Doc::with_client_id(*c))).collect();
        words
            .iter()
            .map(|(conn, word)| {
                let doc = &docs[conn];
                let aim = doc.get_or_insert_text("aim");
                let before = doc.transact().state_vector();
                aim.push(&mut doc.transact_mut(), word);
                let update = doc.transact().encode_state_as_update_v1(&before);
                (Target::AllBut(*conn), Arc::new(update))
            })
            .collect()
    }

    /// The words a client holds after applying what it was posted.
    fn words(posted: &[Update]) -> String {
        let doc = Doc::new();
        let aim = doc.get_or_insert_text("aim");
        for update in posted {
            doc.transact_mut()
                .apply_update(yrs::Update::decode_v1(update).unwrap())
                .unwrap();
        }
        let txn = doc.transact();
        let mut text = aim.get_string(&txn).chars().collect::<Vec<_>>();
        text.sort_unstable();
        text.into_iter().collect()
    }

    #[test]
    fn each_client_gets_one_update_holding_everyone_elses() {
        let updates = batch(&[(1, "a"), (2, "b"), (1, "c"), (3, "d")]);
        let merged = coalesce(&updates);
        assert_eq!(merged.for_conn(9).len(), 1, "a bystander is posted one update");
        assert_eq!(words(merged.for_conn(9)), "abcd");
        assert_eq!(words(merged.for_conn(1)), "bd", "no echo of a sender's own");
        assert_eq!(words(merged.for_conn(2)), "acd");
        assert_eq!(words(merged.for_conn(3)), "abc");
        assert_eq!(merged.for_conn(1).len(), 1);
    }

    #[test]
    fn with_many_senders_everyone_gets_the_common_merge() {
        let senders: Vec<(ConnId, &str)> = (1..=20).map(|c| (c, "x")).collect();
        let merged = coalesce(&batch(&senders));
        assert_eq!(merged.for_conn(5).len(), 1);
        assert_eq!(words(merged.for_conn(5)), "x".repeat(20), "its own echo does no harm");
    }

    #[test]
    fn a_relay_for_all_reaches_its_sender_too() {
        let mut updates = batch(&[(1, "a")]);
        updates[0].0 = Target::All;
        let merged = coalesce(&updates);
        assert_eq!(words(merged.for_conn(1)), "a");
        assert!(coalesce(&[]).for_conn(1).is_empty());
    }
}
