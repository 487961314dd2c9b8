//! Which other nodes are alive. Each node's listening connection carries
//! its id as its `application_name`; PostgreSQL ends a connection as soon
//! as its process dies (the kernel closes the socket on SIGKILL too), so
//! the nodes whose names vanish from `pg_stat_activity` are gone. Their
//! connections' presence is then removed within one or two checks (2–4 s),
//! not left to linger until clients time it out (30 s in y-protocols;
//! never in a room's own state, which newcomers are sent).
//!
//! A node that freezes (a stopped process) or is cut off from the network
//! keeps its connection open in PostgreSQL's eyes until TCP keepalive gives
//! up (two hours by default). So every node also says it is alive at each
//! check ([`Notice::Alive`]); one that beat before and then stays silent
//! for [`SILENT_CHECKS`] checks (10–12 s) is gone too, until it beats again.

use super::{Notice, Publisher};
use crate::collab::rooms::Rooms;
use crate::store::bind;
use sqlx::PgPool;
use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use uuid::Uuid;

/// How often a node looks for nodes that are gone, and says it is alive.
const CHECK_EVERY: Duration = Duration::from_secs(2);

/// Checks a beating node may miss before it is taken for gone (10–12 s):
/// room enough for a node slowed by load, whose beats come late.
const SILENT_CHECKS: u32 = 5;

const NAME_PREFIX: &str = "pillars-node ";

/// The `application_name` of `node`'s listening connection.
pub(super) fn connection_name(node: Uuid) -> String {
    format!("{NAME_PREFIX}{node}")
}

/// What this node has heard from others since the last check, filled by
/// the listener.
#[derive(Debug, Clone, Default)]
pub(super) struct Heard(Arc<Mutex<Since>>);

#[derive(Debug, Default)]
struct Since {
    /// Nodes that sent presence.
    spoke: HashSet<Uuid>,
    /// Nodes that said they are alive.
    beat: HashSet<Uuid>,
}

impl Heard {
    /// `node` sent presence.
    pub(super) fn from(&self, node: Uuid) {
        self.lock().spoke.insert(node);
    }

    /// `node` said it is alive.
    pub(super) fn beat(&self, node: Uuid) {
        self.lock().beat.insert(node);
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Since> {
        self.0.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn take(&self) -> Since {
        std::mem::take(&mut *self.lock())
    }
}

/// What the checks so far have seen.
#[derive(Debug, Default)]
struct Seen {
    /// Alive at the last check.
    alive: HashSet<Uuid>,
    /// Heard from, but not alive at the last check: a node that died
    /// before any check saw it, or one whose connection is not named yet.
    unseen: HashSet<Uuid>,
    /// Nodes that beat, with how many checks since their last beat.
    beating: HashMap<Uuid, u32>,
    /// Beating nodes taken for gone for their silence (told once).
    silent: HashSet<Uuid>,
}

impl Seen {
    /// Records the nodes alive now and those heard from since the last
    /// check; returns the nodes gone: alive at the last check and not now,
    /// heard from yet not alive at two checks running, or beating before
    /// and silent for [`SILENT_CHECKS`] checks.
    fn gone(&mut self, alive: HashSet<Uuid>, heard: Since) -> Vec<Uuid> {
        let mut gone: Vec<Uuid> = self.alive.difference(&alive).copied().collect();
        let mut unseen = HashSet::new();
        for node in heard.spoke.union(&self.unseen) {
            if alive.contains(node) || self.alive.contains(node) {
                continue;
            }
            if self.unseen.contains(node) {
                gone.push(*node);
            } else {
                unseen.insert(*node);
            }
        }
        for node in &heard.beat {
            self.beating.insert(*node, 0);
            self.silent.remove(node);
        }
        for (node, missed) in &mut self.beating {
            if heard.beat.contains(node) {
                continue;
            }
            *missed += 1;
            if *missed >= SILENT_CHECKS && self.silent.insert(*node) {
                gone.push(*node);
            }
        }
        // A node whose connection has closed is gone for good: forget it.
        for node in self.alive.difference(&alive) {
            self.beating.remove(node);
            self.silent.remove(node);
        }
        self.alive = alive;
        self.unseen = unseen;
        gone.sort_unstable();
        gone.dedup();
        gone
    }
}

/// Every [`CHECK_EVERY`], says this node is alive and tells its rooms of
/// each other node gone (see [`Seen::gone`]).
pub(super) async fn watch(pool: PgPool, node: Uuid, heard: Heard, rooms: Rooms, others: Publisher) {
    let mut seen = Seen::default();
    let mut ticks = tokio::time::interval(CHECK_EVERY);
    ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        ticks.tick().await;
        others.publish(Notice::Alive);
        let names: Vec<String> = match bind!(
            sqlx::query_scalar(
                "SELECT application_name FROM pg_stat_activity \
             WHERE datname = current_database() AND starts_with(application_name, $1)",
            ),
            NAME_PREFIX
        )
        .fetch_all(&pool)
        .await
        {
            Ok(names) => names,
            // Without the database nothing can be judged: the next check will.
            Err(e) => {
                tracing::debug!(error = %e, "could not check which server nodes are alive");
                continue;
            }
        };
        let alive = names
            .iter()
            .filter_map(|name| name.strip_prefix(NAME_PREFIX)?.parse().ok())
            .filter(|other| *other != node)
            .collect();
        for other in seen.gone(alive, heard.take()) {
            tracing::warn!(node = %other, "another server node is gone; removing its connections' presence");
            rooms.node_gone(other).await;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spoke(nodes: HashSet<Uuid>) -> Since {
        Since {
            spoke: nodes,
            beat: HashSet::new(),
        }
    }

    fn beat(nodes: HashSet<Uuid>) -> Since {
        Since {
            spoke: HashSet::new(),
            beat: nodes,
        }
    }

    #[test]
    fn a_node_that_beat_and_falls_silent_is_gone_until_it_beats_again() {
        let (a, b) = (Uuid::new_v4(), Uuid::new_v4());
        let mut seen = Seen::default();
        // Both connected and beating; then `a` freezes, its connection open.
        assert!(seen.gone([a, b].into(), beat([a, b].into())).is_empty());
        for _ in 1..SILENT_CHECKS {
            assert!(seen.gone([a, b].into(), beat([b].into())).is_empty());
        }
        assert_eq!(
            seen.gone([a, b].into(), beat([b].into())),
            [a],
            "silent for SILENT_CHECKS checks"
        );
        assert!(seen.gone([a, b].into(), beat([b].into())).is_empty(), "told once");
        assert!(seen.gone([a, b].into(), beat([a, b].into())).is_empty(), "back");
        for _ in 1..SILENT_CHECKS {
            assert!(seen.gone([a, b].into(), beat([b].into())).is_empty());
        }
        assert_eq!(seen.gone([a, b].into(), beat([b].into())), [a], "silent again");
    }

    #[test]
    fn a_node_that_never_beat_is_judged_by_its_connection_alone() {
        // A node of an earlier release says nothing between presence.
        let a = Uuid::new_v4();
        let mut seen = Seen::default();
        for _ in 0..2 * SILENT_CHECKS {
            assert!(seen.gone([a].into(), spoke(HashSet::new())).is_empty());
        }
    }

    #[test]
    fn a_node_gone_by_its_connection_is_told_once_and_forgotten() {
        let a = Uuid::new_v4();
        let mut seen = Seen::default();
        assert!(seen.gone([a].into(), beat([a].into())).is_empty());
        assert_eq!(seen.gone(HashSet::new(), spoke(HashSet::new())), [a]);
        for _ in 0..2 * SILENT_CHECKS {
            assert!(
                seen.gone(HashSet::new(), spoke(HashSet::new())).is_empty(),
                "not again for its silence"
            );
        }
    }

    #[test]
    fn a_node_is_gone_once_seen_alive_and_then_not() {
        let (a, b) = (Uuid::new_v4(), Uuid::new_v4());
        let none = HashSet::new;
        let mut seen = Seen::default();
        let alive = |seen: &mut Seen, nodes: &[Uuid]| seen.gone(nodes.iter().copied().collect(), spoke(none()));
        assert!(alive(&mut seen, &[a]).is_empty(), "nothing was alive before");
        assert!(alive(&mut seen, &[a, b]).is_empty());
        assert_eq!(alive(&mut seen, &[b]), [a]);
        assert!(alive(&mut seen, &[b]).is_empty(), "told once");
        assert!(alive(&mut seen, &[a, b]).is_empty(), "a node back is alive again");
    }

    #[test]
    fn a_node_heard_from_but_never_seen_is_gone_at_the_second_check() {
        let (a, b) = (Uuid::new_v4(), Uuid::new_v4());
        let none = HashSet::new;
        let mut seen = Seen::default();
        // `a` spoke and died between two checks; `b` spoke before its
        // connection was named, and is seen at the next check.
        assert!(
            seen.gone(none(), spoke([a, b].into())).is_empty(),
            "one check may be too early"
        );
        assert_eq!(seen.gone([b].into(), spoke(none())), [a]);
        assert!(
            seen.gone([b].into(), spoke([a].into())).is_empty(),
            "heard again: one more chance"
        );
        assert_eq!(seen.gone([b].into(), spoke(none())), [a]);
        assert!(
            seen.gone([b].into(), spoke([b].into())).is_empty(),
            "an alive node is never gone"
        );
    }

    #[test]
    fn connection_names_carry_the_node() {
        let node = Uuid::new_v4();
        let name = connection_name(node);
        assert_eq!(name.strip_prefix(NAME_PREFIX).and_then(|n| n.parse().ok()), Some(node));
        assert!(name.len() < 64, "PostgreSQL keeps application names under 64 bytes");
    }
}
